package coop.relay.slack.internal;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns Slack events into the relay's events, and decides which ones the bridge relays.
 *
 * <p>Relayed: {@code message} (plain, {@code thread_broadcast}, {@code file_share},
 * {@code bot_message}, {@code me_message}) as created, {@code message_changed} as edited,
 * {@code message_deleted} as deleted, {@code reaction_added}/{@code reaction_removed} on messages.
 * Ignored: every other event type and message subtype (joins, topics, {@code message_replied}
 * notices), link previews that Slack reports as changes, and whatever this connector's bot or app
 * did itself or that carries this relay's origin marker. Skipped: events that lack a field they
 * need (a channel, a ts, an author).
 *
 * <p>Pure and thread-safe; it never throws for any input.
 */
final class EventDecoder {
  private static final Set<String> CREATED_SUBTYPES =
      Set.of("thread_broadcast", "file_share", "bot_message", "me_message");

  private final String connectorId;
  private final String relayId;
  private final SelfIdentity self;
  private final MrkdwnParser parser;
  private final BiConsumer<String, String> downloadUrls;

  /**
   * @param connectorId the connector the events belong to
   * @param relayId the relay whose origin markers are our own echoes
   * @param self this connector's bot, whose own actions are not relayed
   * @param parser reads message text
   * @param downloadUrls told the private download URL of every file seen, by file id
   */
  EventDecoder(String connectorId, String relayId, SelfIdentity self, MrkdwnParser parser,
      BiConsumer<String, String> downloadUrls) {
    this.connectorId = connectorId;
    this.relayId = relayId;
    this.self = self;
    this.parser = parser;
    this.downloadUrls = downloadUrls;
  }

  /** Classifies an Events API callback (or the payload of a Socket Mode envelope). */
  Decoded decode(Callback callback) {
    try {
      return classify(callback);
    } catch (RuntimeException e) {
      // The value types refuse what they cannot hold; that is a malformed payload, not a bug to crash on.
      return new Decoded.Skipped("cannot use the event (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private Decoded classify(Callback callback) {
    String type = callback.type();
    if (type != null && !type.equals("event_callback")) {
      return new Decoded.Ignored("callback type " + type + " carries no event to relay");
    }
    SlackEvent event = callback.event();
    if (event == null) {
      return new Decoded.Skipped("the callback has no event object");
    }
    String eventType = event.type();
    if (eventType == null) {
      return new Decoded.Skipped("the event has no type");
    }
    return switch (eventType) {
      case "message" -> message(event, callback.eventId());
      case "reaction_added", "reaction_removed" -> reaction(event, callback.eventId());
      default -> new Decoded.Ignored("event type " + eventType + " is not bridged");
    };
  }

  private Decoded message(SlackEvent event, @Nullable String eventId) {
    String subtype = event.subtype();
    if (subtype == null || CREATED_SUBTYPES.contains(subtype)) {
      return created(event, subtype);
    }
    return switch (subtype) {
      case "message_changed" -> changed(event, eventId);
      case "message_deleted" -> deleted(event);
      case "message_replied" -> new Decoded.Ignored("message_replied only announces a thread reply, which arrives itself");
      default -> new Decoded.Ignored("message subtype " + subtype + " is not bridged");
    };
  }

  private Decoded created(SlackEvent event, @Nullable String subtype) {
    String channel = event.channel();
    String ts = event.ts();
    if (channel == null) {
      return new Decoded.Skipped("message without a channel");
    }
    Instant at = SlackTs.toInstant(ts);
    if (ts == null || at == null) {
      return new Decoded.Skipped("message without a valid ts");
    }
    if (self.posted(event.user(), event.botId(), event.appId())) {
      return new Decoded.Ignored("our own post");
    }
    OriginMarker origin = origin(event);
    if (origin != null && origin.relayId().equals(relayId)) {
      return new Decoded.Ignored("carries this relay's origin marker");
    }
    Author author = author(event);
    if (author == null) {
      return new Decoded.Skipped("message without an author (no user and no bot id)");
    }
    RichText text = parser.parse(event.text());
    if ("me_message".equals(subtype) && !text.isEmpty()) {
      text = new RichText(List.of(new Styled(Style.ITALIC, text.nodes())));
    }
    List<Attachment> attachments = attachments(event);
    if (text.isEmpty() && attachments.isEmpty()) {
      return new Decoded.Skipped("message has neither text nor files");
    }
    ChannelRef channelRef = ChannelRef.of(connectorId, channel);
    String threadTs = event.threadTs();
    MessageRef threadRoot = threadTs != null && !threadTs.equals(ts) && SlackTs.isValid(threadTs)
        ? channelRef.message(threadTs) : null;
    Message message = Message.builder(channelRef.message(ts), author.identity())
        .text(text)
        .attachments(attachments)
        .threadRoot(threadRoot)
        .timestamp(at)
        .origin(origin)
        .build();
    return new Decoded.Relayed(new MessageCreated(message), author.lookup(), channel + "/" + ts);
  }

  private Decoded changed(SlackEvent event, @Nullable String eventId) {
    String channel = event.channel();
    SlackEvent message = event.message();
    if (channel == null) {
      return new Decoded.Skipped("message_changed without a channel");
    }
    if (message == null || !SlackTs.isValid(message.ts())) {
      return new Decoded.Skipped("message_changed without the changed message's ts");
    }
    String ts = Objects.requireNonNull(message.ts());
    if (self.posted(message.user(), message.botId(), message.appId())) {
      return new Decoded.Ignored("change of our own post");
    }
    OriginMarker origin = origin(message);
    if (origin != null && origin.relayId().equals(relayId)) {
      return new Decoded.Ignored("change carrying this relay's origin marker");
    }
    SlackEvent previous = event.previousMessage();
    if (message.editedTs() == null && previous != null && Objects.equals(previous.text(), message.text())) {
      return new Decoded.Ignored("message_changed without an edit (a link preview or a thread update)");
    }
    String editorId = message.editedUser() != null ? message.editedUser() : message.user();
    Author editor;
    if (editorId != null) {
      editor = Author.user(connectorId, editorId, message.editedUser() == null ? message : null);
    } else {
      editor = author(message);
    }
    if (editor == null) {
      return new Decoded.Skipped("message_changed without an editor");
    }
    String editTs = firstNonNull(message.editedTs(), event.eventTs(), event.ts());
    Instant editedAt = SlackTs.toInstant(editTs);
    if (editedAt == null) {
      return new Decoded.Skipped("message_changed without a valid time");
    }
    String id = ts + ":edited:" + editTs;
    MessageEdited edited = new MessageEdited(id, ChannelRef.of(connectorId, channel).message(ts), editor.identity(),
        parser.parse(message.text()), attachments(message), editedAt, origin);
    return new Decoded.Relayed(edited, editor.lookup(), eventId != null ? eventId : channel + "/" + id);
  }

  private Decoded deleted(SlackEvent event) {
    String channel = event.channel();
    String deletedTs = event.deletedTs();
    if (deletedTs == null && event.previousMessage() != null) {
      deletedTs = Objects.requireNonNull(event.previousMessage()).ts();
    }
    if (channel == null) {
      return new Decoded.Skipped("message_deleted without a channel");
    }
    if (deletedTs == null || !SlackTs.isValid(deletedTs)) {
      return new Decoded.Skipped("message_deleted without the deleted message's ts");
    }
    SlackEvent previous = event.previousMessage();
    if (previous != null) {
      if (self.posted(previous.user(), previous.botId(), previous.appId())) {
        return new Decoded.Ignored("deletion of our own post");
      }
      OriginMarker origin = origin(previous);
      if (origin != null && origin.relayId().equals(relayId)) {
        return new Decoded.Ignored("deletion of a copy this relay posted");
      }
    }
    Instant at = SlackTs.toInstant(firstNonNull(event.eventTs(), event.ts()));
    String id = deletedTs + ":deleted";
    MessageDeleted deleted = new MessageDeleted(id, ChannelRef.of(connectorId, channel).message(deletedTs),
        at != null ? at : Objects.requireNonNull(SlackTs.toInstant(deletedTs)));
    return new Decoded.Relayed(deleted, null, channel + "/" + id);
  }

  private Decoded reaction(SlackEvent event, @Nullable String eventId) {
    boolean added = "reaction_added".equals(event.type());
    if (event.itemType() != null && !event.itemType().equals("message")) {
      return new Decoded.Ignored("reaction to a " + event.itemType() + ", not to a message");
    }
    String channel = event.itemChannel();
    String ts = event.itemTs();
    String user = event.user();
    String name = event.reaction();
    if (channel == null || ts == null || !SlackTs.isValid(ts)) {
      return new Decoded.Skipped("reaction without the message's channel and ts");
    }
    if (user == null) {
      return new Decoded.Skipped("reaction without a user");
    }
    if (name == null) {
      return new Decoded.Skipped("reaction without an emoji name");
    }
    if (self.userId().equals(user)) {
      return new Decoded.Ignored("our own reaction");
    }
    String eventTs = event.eventTs();
    Instant at = SlackTs.toInstant(eventTs);
    if (at == null) {
      return new Decoded.Skipped("reaction without a valid event_ts");
    }
    Emoji emoji = EmojiNames.fromSlackName(name);
    MessageRef target = ChannelRef.of(connectorId, channel).message(ts);
    Identity who = Identity.of(new UserRef(connectorId, user), user);
    String id = (added ? "reaction_added:" : "reaction_removed:") + eventTs + ":" + user + ":" + name;
    return new Decoded.Relayed(
        added ? new ReactionAdded(id, target, who, emoji, at) : new ReactionRemoved(id, target, who, emoji, at),
        user, eventId != null ? eventId : channel + "/" + id);
  }

  private @Nullable OriginMarker origin(SlackEvent event) {
    if (!SlackEvent.MARKER_EVENT_TYPE.equals(event.metadataType())) {
      return null;
    }
    try {
      return OriginMarker.parse(event.metadataOrigin());
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  private @Nullable Author author(SlackEvent event) {
    String user = event.user();
    if (user != null) {
      return Author.user(connectorId, user, event);
    }
    String bot = event.botId();
    if (bot != null) {
      String name = firstNonNull(event.username(), event.botName(), bot);
      String icon = event.iconUrl() != null ? event.iconUrl() : event.botIconUrl();
      return new Author(new Identity(new UserRef(connectorId, bot), Objects.requireNonNull(name), icon, true, null), null);
    }
    return null;
  }

  private List<Attachment> attachments(SlackEvent event) {
    if (event.files().isEmpty()) {
      return List.of();
    }
    List<Attachment> out = new ArrayList<>(event.files().size());
    for (SlackFile file : event.files()) {
      String id = file.id();
      if (id == null) {
        continue;
      }
      String name = firstNonNull(file.name(), file.title(), id);
      String type = file.mimetype() != null ? file.mimetype() : "application/octet-stream";
      out.add(new Attachment(id, Objects.requireNonNull(name), type, Math.max(-1, file.size()), file.permalink(), kind(type)));
      String download = file.downloadUrl();
      if (download != null) {
        downloadUrls.accept(id, download);
      }
    }
    return out;
  }

  private static Attachment.Kind kind(String mediaType) {
    String lower = mediaType.toLowerCase(Locale.ROOT);
    if (lower.startsWith("image/")) {
      return Attachment.Kind.IMAGE;
    }
    if (lower.startsWith("video/")) {
      return Attachment.Kind.VIDEO;
    }
    if (lower.startsWith("audio/")) {
      return Attachment.Kind.AUDIO;
    }
    return Attachment.Kind.FILE;
  }

  @SafeVarargs
  private static <T> @Nullable T firstNonNull(@Nullable T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * An author as far as the payload tells, and the user to look up for the rest.
   *
   * @param identity what the payload says (the profile Slack sent along, else the user id as name)
   * @param lookup the user id to look up, or {@code null} when the payload said all there is
   */
  private record Author(Identity identity, @Nullable String lookup) {
    static Author user(String connectorId, String userId, @Nullable SlackEvent withProfile) {
      String name = withProfile != null && withProfile.profileName() != null ? withProfile.profileName() : userId;
      String avatar = withProfile != null ? withProfile.profileAvatar() : null;
      boolean bot = withProfile != null && withProfile.botId() != null;
      return new Author(new Identity(new UserRef(connectorId, userId), Objects.requireNonNull(name), avatar, bot, null),
          userId);
    }
  }
}
