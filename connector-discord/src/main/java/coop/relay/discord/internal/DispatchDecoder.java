package coop.relay.discord.internal;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.Reply;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Gateway dispatches into the relay's inbound events, and keeps the {@link Directory} up to
 * date from the guild, channel and thread dispatches. Messages in threads belong to the thread's
 * parent channel, with the thread's root as {@link Message#threadRoot()}. The connector's own
 * doings are dropped here: messages of its bot user and of its webhooks, messages whose nonce
 * carries this relay's marker, deletes of its copies and reactions of its bot. Only user-visible
 * message types (default, reply, commands) are relayed; system messages are skipped.
 */
final class DispatchDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchDecoder.class);
  private static final Set<Integer> RELAYED_TYPES = Set.of(0, 19, 20, 23);
  private static final int REPLY_REFERENCE = 0;

  /**
   * What the decoder needs to know about the running session.
   *
   * @param relayId the relay's id, to recognise its nonces
   * @param botUserId the bot's user id, from READY, or {@code null} before
   * @param applicationId the bot's application id, from READY, or {@code null}
   * @param sessionId the Gateway session, for the ids of reaction events
   * @param bridged the bridged channel ids
   */
  record Session(String relayId, @Nullable String botUserId, @Nullable String applicationId, String sessionId,
      Set<String> bridged) {}

  private final String connectorId;
  private final String cdnBaseUrl;
  private final MarkdownParser parser;
  private final Directory directory;
  private final MessageLocations locations;
  private final Set<String> ownWebhooks;

  DispatchDecoder(String connectorId, String cdnBaseUrl, Directory directory, MessageLocations locations,
      Set<String> ownWebhooks) {
    this.connectorId = connectorId;
    this.cdnBaseUrl = cdnBaseUrl;
    this.parser = new MarkdownParser(connectorId, cdnBaseUrl);
    this.directory = directory;
    this.locations = locations;
    this.ownWebhooks = ownWebhooks;
  }

  /**
   * The channel of a message event that the decoder cannot place (neither bridged nor known as a
   * channel or thread); the connector looks it up before decoding. {@code null} when none.
   */
  @Nullable String unknownChannel(Frame frame, Set<String> bridged) {
    String channel = channelOf(frame.data());
    if (channel == null || bridged.contains(channel) || directory.channel(channel) != null) {
      return null;
    }
    return channel;
  }

  private static @Nullable String channelOf(@Nullable Object data) {
    if (data instanceof Wire.Message message) {
      return message.channelId();
    }
    if (data instanceof Wire.MessageDelete delete) {
      return delete.channelId();
    }
    if (data instanceof Wire.MessageDeleteBulk bulk) {
      return bulk.channelId();
    }
    if (data instanceof Wire.Reaction reaction) {
      return reaction.channelId();
    }
    return null;
  }

  /** The events of one dispatch; empty for the ones the relay does not see. Never throws. */
  List<InboundEvent> decode(Frame frame, Session session) {
    String type = frame.type();
    Object data = frame.data();
    if (type == null || data == null) {
      return List.of();
    }
    try {
      return switch (type) {
        case "MESSAGE_CREATE" -> created((Wire.Message) data, session);
        case "MESSAGE_UPDATE" -> edited((Wire.Message) data, session);
        case "MESSAGE_DELETE" -> deleted(((Wire.MessageDelete) data).channelId(),
            List.of(((Wire.MessageDelete) data).id()));
        case "MESSAGE_DELETE_BULK" -> deleted(((Wire.MessageDeleteBulk) data).channelId(),
            ((Wire.MessageDeleteBulk) data).ids());
        case "MESSAGE_REACTION_ADD" -> reaction((Wire.Reaction) data, true, frame.sequence(), session);
        case "MESSAGE_REACTION_REMOVE" -> reaction((Wire.Reaction) data, false, frame.sequence(), session);
        default -> {
          directoryUpdate(type, data);
          yield List.of();
        }
      };
    } catch (RuntimeException e) {
      // A payload that passed binding but breaks an assumption (a blank name, an impossible value).
      LOG.warn("Skipping a {} dispatch the connector cannot use: {}", type, e.toString());
      return List.of();
    }
  }

  private void directoryUpdate(String type, Object data) {
    switch (type) {
      case "GUILD_CREATE" -> directory.guild((Wire.Guild) data);
      case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE" -> directory.channel((Wire.Channel) data);
      case "CHANNEL_DELETE", "THREAD_DELETE" -> directory.forget(((Wire.Channel) data).id());
      case "THREAD_LIST_SYNC" -> directory.channels(((Wire.ThreadListSync) data).threads());
      default -> { }
    }
  }

  private boolean isOwn(Wire.Message message, Session session) {
    Wire.User author = message.author();
    if (author != null && author.id().equals(session.botUserId())) {
      return true;
    }
    String webhook = message.webhookId();
    if (webhook != null && (ownWebhooks.contains(webhook)
        || (session.applicationId() != null && session.applicationId().equals(message.applicationId())))) {
      return true;
    }
    OriginMarker origin = Nonces.decode(message.nonce(), session.relayId());
    return (origin != null && origin.relayId().equals(session.relayId())) || locations.isPosted(message.id());
  }

  private List<InboundEvent> created(Wire.Message message, Session session) {
    if (!RELAYED_TYPES.contains(message.type()) || isOwn(message, session) || message.author() == null) {
      return List.of();
    }
    Place place = place(message.channelId(), message.id());
    RichText text = text(message);
    List<Attachment> attachments = attachments(message);
    if (text.isEmpty() && attachments.isEmpty()) {
      return List.of();
    }
    Message relayed = Message.builder(place.channel().message(message.id()), identity(message.author(), message.member(), message.guildId()))
        .text(text)
        .attachments(attachments)
        .replyTo(reply(message, place))
        .threadRoot(place.threadRoot())
        .timestamp(instant(message.timestamp()))
        .origin(Nonces.decode(message.nonce(), session.relayId()))
        .build();
    return List.of(new MessageCreated(relayed));
  }

  private List<InboundEvent> edited(Wire.Message message, Session session) {
    // Updates without content or edit time are embeds being resolved, not edits.
    if (message.content() == null || message.editedTimestamp() == null || message.author() == null
        || isOwn(message, session) || !RELAYED_TYPES.contains(message.type())) {
      return List.of();
    }
    Place place = place(message.channelId(), message.id());
    return List.of(new MessageEdited(
        message.id() + "@" + message.editedTimestamp(),
        place.channel().message(message.id()),
        identity(message.author(), message.member(), message.guildId()),
        text(message),
        attachments(message),
        instant(message.editedTimestamp()),
        Nonces.decode(message.nonce(), session.relayId())));
  }

  private List<InboundEvent> deleted(String channelId, List<String> ids) {
    List<InboundEvent> events = new ArrayList<>(ids.size());
    Instant now = Instant.now();
    for (String id : ids) {
      if (locations.isPosted(id)) {
        locations.forget(id);
        continue;
      }
      Place place = place(channelId, id);
      events.add(new MessageDeleted("delete:" + id, place.channel().message(id), now));
    }
    return events;
  }

  private List<InboundEvent> reaction(Wire.Reaction reaction, boolean added, @Nullable Long sequence, Session session) {
    if (reaction.userId().equals(session.botUserId())) {
      return List.of();
    }
    Emoji emoji = emoji(reaction.emoji());
    if (emoji == null) {
      return List.of();
    }
    Place place = place(reaction.channelId(), reaction.messageId());
    MessageRef target = place.channel().message(reaction.messageId());
    Wire.Member member = reaction.member();
    Wire.User user = member == null ? null : member.user();
    Identity who = user != null ? identity(user, member, reaction.guildId())
        : Identity.of(new UserRef(connectorId, reaction.userId()), "user " + reaction.userId());
    // The session and sequence make the id stable when a resume replays the dispatch, and distinct
    // when the same person adds the same emoji again later.
    String eventId = (added ? "reaction+:" : "reaction-:") + reaction.messageId() + ":" + reaction.userId() + ":"
        + emojiKey(reaction.emoji()) + "@" + session.sessionId() + ":" + sequence;
    Instant now = Instant.now();
    return List.of(added ? new ReactionAdded(eventId, target, who, emoji, now)
        : new ReactionRemoved(eventId, target, who, emoji, now));
  }

  private @Nullable Emoji emoji(Wire.Emoji emoji) {
    String name = emoji.name();
    if (emoji.id() == null) {
      return name == null || name.isEmpty() ? null : Emoji.unicode(name, name);
    }
    String shown = name == null || name.isBlank() ? "emoji" : name;
    return Emoji.custom(shown, cdnBaseUrl + "/emojis/" + emoji.id() + (emoji.animated() ? ".gif" : ".png"));
  }

  private static String emojiKey(Wire.Emoji emoji) {
    return emoji.id() != null ? emoji.id() : String.valueOf(emoji.name());
  }

  /** Where a message is for the relay: its bridged channel, and the thread root when it is in a thread. */
  private record Place(ChannelRef channel, @Nullable MessageRef threadRoot) {}

  private Place place(String channelId, String messageId) {
    Directory.ChannelInfo info = directory.channel(channelId);
    if (info != null && info.parentId() != null) {
      ChannelRef parent = ChannelRef.of(connectorId, info.parentId());
      locations.seenInThread(messageId, channelId);
      return new Place(parent, parent.message(channelId));
    }
    return new Place(ChannelRef.of(connectorId, channelId), null);
  }

  private RichText text(Wire.Message message) {
    String content = message.content();
    RichText text = content == null || content.isEmpty() ? RichText.empty()
        : parser.parse(content, names(message));
    List<Wire.StickerItem> stickers = message.stickerItems();
    if (stickers != null && !stickers.isEmpty()) {
      StringBuilder shown = new StringBuilder();
      for (Wire.StickerItem sticker : stickers) {
        shown.append(shown.length() == 0 && text.isEmpty() ? "" : " ").append("[sticker: ").append(sticker.name()).append(']');
      }
      text = text.concat(RichText.of(shown.toString()));
    }
    return text;
  }

  private MentionNames names(Wire.Message message) {
    Map<String, String> users = new HashMap<>();
    List<Wire.User> mentions = message.mentions();
    if (mentions != null) {
      for (Wire.User user : mentions) {
        users.put(user.id(), displayName(user, user.member()));
      }
    }
    return new MentionNames() {
      @Override
      public @Nullable String user(String id) {
        return users.get(id);
      }

      @Override
      public @Nullable String channel(String id) {
        Directory.ChannelInfo info = directory.channel(id);
        return info == null ? null : info.name();
      }

      @Override
      public @Nullable String role(String id) {
        return directory.roleName(id);
      }
    };
  }

  private @Nullable Reply reply(Wire.Message message, Place place) {
    Wire.Reference reference = message.messageReference();
    if (reference == null || reference.messageId() == null || message.type() == 21
        || (reference.type() != null && reference.type() != REPLY_REFERENCE)) {
      return null;
    }
    String channelId = reference.channelId() == null ? message.channelId() : reference.channelId();
    MessageRef target = place(channelId, reference.messageId()).channel().message(reference.messageId());
    Wire.Message referenced = message.referencedMessage();
    if (referenced == null || referenced.author() == null) {
      return Reply.to(target);
    }
    return new Reply(target, displayName(referenced.author(), referenced.member()), text(referenced));
  }

  private List<Attachment> attachments(Wire.Message message) {
    List<Wire.Attachment> list = message.attachments();
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    List<Attachment> out = new ArrayList<>(list.size());
    for (Wire.Attachment a : list) {
      String mediaType = a.contentType() == null || a.contentType().isBlank() ? guessMediaType(a.filename())
          : a.contentType();
      out.add(new Attachment(a.id(), a.filename(), mediaType, a.size() > 0 ? a.size() : -1,
          a.url() != null ? a.url() : a.proxyUrl(), kind(mediaType)));
    }
    return out;
  }

  private static String guessMediaType(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    if (lower.endsWith(".mp4")) {
      return "video/mp4";
    }
    if (lower.endsWith(".ogg") || lower.endsWith(".mp3")) {
      return lower.endsWith(".ogg") ? "audio/ogg" : "audio/mpeg";
    }
    return "application/octet-stream";
  }

  private static Attachment.Kind kind(String mediaType) {
    if (mediaType.startsWith("image/")) {
      return Attachment.Kind.IMAGE;
    }
    if (mediaType.startsWith("video/")) {
      return Attachment.Kind.VIDEO;
    }
    if (mediaType.startsWith("audio/")) {
      return Attachment.Kind.AUDIO;
    }
    return Attachment.Kind.FILE;
  }

  Identity identity(Wire.User user, Wire.@Nullable Member member, @Nullable String guildId) {
    return new Identity(new UserRef(connectorId, user.id()), displayName(user, member), avatarUrl(user, member, guildId),
        user.bot(), null);
  }

  private static String displayName(Wire.User user, Wire.@Nullable Member member) {
    if (member != null && member.nick() != null && !member.nick().isBlank()) {
      return member.nick();
    }
    if (user.globalName() != null && !user.globalName().isBlank()) {
      return user.globalName();
    }
    if (user.username() != null && !user.username().isBlank()) {
      return user.username();
    }
    return "user " + user.id();
  }

  private String avatarUrl(Wire.User user, Wire.@Nullable Member member, @Nullable String guildId) {
    if (member != null && member.avatar() != null && guildId != null) {
      return cdnBaseUrl + "/guilds/" + guildId + "/users/" + user.id() + "/avatars/" + member.avatar()
          + (member.avatar().startsWith("a_") ? ".gif" : ".png");
    }
    if (user.avatar() != null) {
      return cdnBaseUrl + "/avatars/" + user.id() + "/" + user.avatar() + (user.avatar().startsWith("a_") ? ".gif" : ".png");
    }
    long index;
    try {
      index = (Long.parseUnsignedLong(user.id()) >>> 22) % 6;
    } catch (NumberFormatException e) {
      index = 0;
    }
    return cdnBaseUrl + "/embed/avatars/" + index + ".png";
  }

  private static Instant instant(@Nullable String timestamp) {
    if (timestamp == null) {
      return Instant.now();
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.now();
    }
  }
}
