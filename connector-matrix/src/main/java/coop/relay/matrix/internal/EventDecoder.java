package coop.relay.matrix.internal;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.OriginMarker;
import coop.relay.api.Reply;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.RichText;
import coop.relay.support.BoundedMap;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns room events into the relay's inbound events: messages and stickers into
 * {@link MessageCreated} (HTML through {@link HtmlParser}, reply fallbacks stripped, media as
 * attachments, {@code m.in_reply_to} and {@code m.thread} relations), {@code m.replace} edits into
 * {@link MessageEdited}, {@code m.annotation} reactions into {@link ReactionAdded}, redactions into
 * {@link ReactionRemoved} or {@link MessageDeleted}. Membership events only update the
 * {@link MemberDirectory}, so later events carry their sender's room name.
 *
 * <p>Drops what must not be relayed: events of the connector's own accounts, events carrying this
 * relay's origin marker (the namespaced content key {@value #ORIGIN_KEY}) and events that were
 * already redacted. A malformed event is logged without its content and skipped. One decoder per
 * connection (it knows the relay id); thread-safe as long as events of one room are decoded in order.
 */
final class EventDecoder {
  /** The content key that carries the origin marker of everything the relay sends. */
  static final String ORIGIN_KEY = "coop.relay.origin";

  private static final Logger LOG = LoggerFactory.getLogger(EventDecoder.class);

  private final String connectorId;
  private final String relayId;
  private final Predicate<String> ownUser;
  private final MemberDirectory members;
  private final BoundedMap<String, SeenReaction> reactions;
  private final HtmlParser html;

  /** A reaction the decoder saw, so that its redaction can be told apart from a message's. */
  record SeenReaction(String roomId, String targetId, String key, String sender) {}

  EventDecoder(String connectorId, String relayId, Predicate<String> ownUser, MemberDirectory members,
      BoundedMap<String, SeenReaction> reactions, HtmlParser html) {
    this.connectorId = connectorId;
    this.relayId = relayId;
    this.ownUser = ownUser;
    this.members = members;
    this.reactions = reactions;
    this.html = html;
  }

  /** The inbound event for {@code event} in {@code roomId}, or {@code null} when there is none to relay. */
  @Nullable InboundEvent decode(String roomId, RawEvent event) {
    String type = event.type();
    String eventId = event.eventId();
    String sender = event.sender();
    JsonNode content = event.content();
    if (type == null || eventId == null || sender == null || content == null || !content.isObject()) {
      skip(roomId, event, "type, event_id, sender or content is missing");
      return null;
    }
    try {
      if (event.stateKey() != null) {
        if (type.equals("m.room.member")) {
          members.update(roomId, event.stateKey(), text(content, "displayname"), text(content, "avatar_url"));
        }
        return null;
      }
      if (ownUser.test(sender)) {
        return null; // our own echo
      }
      OriginMarker origin = OriginMarker.parse(text(content, ORIGIN_KEY));
      if (origin != null && origin.relayId().equals(relayId)) {
        return null; // sent by this relay through another account
      }
      if (event.unsigned() != null && event.unsigned().has("redacted_because")) {
        return null; // redacted before we saw it: nothing left to relay
      }
      Instant at = event.originServerTs() > 0 ? Instant.ofEpochMilli(event.originServerTs()) : Instant.now();
      ChannelRef channel = ChannelRef.of(connectorId, roomId);
      switch (type) {
        case "m.room.message", "m.sticker" -> {
          JsonNode relation = content.path("m.relates_to");
          if ("m.replace".equals(text(relation, "rel_type"))) {
            return edit(channel, eventId, sender, content, relation, at, origin);
          }
          return message(channel, eventId, sender, type, content, relation, at, origin);
        }
        case "m.reaction" -> {
          return reaction(channel, eventId, sender, content, at);
        }
        case "m.room.redaction" -> {
          return redaction(channel, eventId, content, event.redacts(), at);
        }
        default -> {
          return null;
        }
      }
    } catch (RuntimeException e) {
      skip(roomId, event, e.getClass().getSimpleName() + ": " + e.getMessage());
      return null;
    }
  }

  private @Nullable InboundEvent message(ChannelRef channel, String eventId, String sender, String type,
      JsonNode content, JsonNode relation, Instant at, @Nullable OriginMarker origin) {
    String body = text(content, "body");
    if (body == null) {
      skip(channel.channelId(), eventId, "a message without a body");
      return null;
    }
    String msgtype = type.equals("m.sticker") ? "m.sticker" : text(content, "msgtype");
    if (msgtype == null) {
      skip(channel.channelId(), eventId, "a message without a msgtype");
      return null;
    }
    String replyTo = text(relation.path("m.in_reply_to"), "event_id");
    String threadRoot = null;
    if ("m.thread".equals(text(relation, "rel_type"))) {
      threadRoot = text(relation, "event_id");
      if (relation.path("is_falling_back").asBoolean(false)) {
        replyTo = null; // the reply only says where the thread was, for clients without threads
      }
    }
    Identity author = identity(channel.channelId(), sender);
    Attachment attachment = attachment(msgtype, content, eventId);
    RichText text = attachment != null && !hasCaption(content) ? RichText.empty() : text(content, replyTo != null);
    if (msgtype.equals("m.emote")) {
      text = RichText.of("* " + author.displayName() + " ").concat(text);
    }
    Message message = Message.builder(channel.message(eventId), author)
        .text(text)
        .attachments(attachment == null ? List.of() : List.of(attachment))
        .replyTo(replyTo == null ? null : Reply.to(channel.message(replyTo)))
        .threadRoot(threadRoot == null ? null : channel.message(threadRoot))
        .timestamp(at)
        .origin(origin)
        .build();
    return new MessageCreated(message);
  }

  private @Nullable InboundEvent edit(ChannelRef channel, String eventId, String sender, JsonNode content,
      JsonNode relation, Instant at, @Nullable OriginMarker origin) {
    String target = text(relation, "event_id");
    if (target == null) {
      skip(channel.channelId(), eventId, "an edit without the edited event's id");
      return null;
    }
    JsonNode replacement = content.path("m.new_content");
    RichText text;
    List<Attachment> attachments = List.of();
    if (replacement.isObject() && text(replacement, "body") != null) {
      String msgtype = text(replacement, "msgtype");
      Attachment attachment = msgtype == null ? null : attachment(msgtype, replacement, target);
      text = attachment != null && !hasCaption(replacement) ? RichText.empty() : text(replacement, false);
      attachments = attachment == null ? List.of() : List.of(attachment);
    } else {
      // Without m.new_content, the "* "-prefixed fallback is all there is.
      String body = text(content, "body");
      if (body == null) {
        skip(channel.channelId(), eventId, "an edit without new content");
        return null;
      }
      text = RichText.of(body.startsWith("* ") ? body.substring(2) : body);
    }
    return new MessageEdited(eventId, channel.message(target), identity(channel.channelId(), sender), text,
        attachments, at, origin);
  }

  private @Nullable InboundEvent reaction(ChannelRef channel, String eventId, String sender, JsonNode content,
      Instant at) {
    JsonNode relation = content.path("m.relates_to");
    String target = text(relation, "event_id");
    String key = text(relation, "key");
    if (!"m.annotation".equals(text(relation, "rel_type")) || target == null || key == null || key.isBlank()) {
      skip(channel.channelId(), eventId, "a reaction without an annotation");
      return null;
    }
    reactions.put(eventId, new SeenReaction(channel.channelId(), target, key, sender));
    return new ReactionAdded(eventId, channel.message(target), identity(channel.channelId(), sender),
        ReactionKeys.emoji(key), at);
  }

  private @Nullable InboundEvent redaction(ChannelRef channel, String eventId, JsonNode content,
      @Nullable String redactsOutside, Instant at) {
    String redacts = text(content, "redacts");
    if (redacts == null) {
      redacts = redactsOutside; // room versions before 11 put it next to the content
    }
    if (redacts == null) {
      skip(channel.channelId(), eventId, "a redaction that names no event");
      return null;
    }
    SeenReaction reaction = reactions.remove(redacts);
    if (reaction != null && reaction.roomId().equals(channel.channelId())) {
      return new ReactionRemoved(eventId, channel.message(reaction.targetId()),
          identity(channel.channelId(), reaction.sender()), ReactionKeys.emoji(reaction.key()), at);
    }
    return new MessageDeleted(eventId, channel.message(redacts), at);
  }

  /** The text of a message content: its HTML when it has some, else its plain body. */
  private RichText text(JsonNode content, boolean isReply) {
    String body = text(content, "body");
    String formatted = text(content, "formatted_body");
    if ("org.matrix.custom.html".equals(text(content, "format")) && formatted != null) {
      return html.parse(formatted);
    }
    if (body == null) {
      return RichText.empty();
    }
    return RichText.of(isReply ? ReplyFallback.strip(body) : body);
  }

  /** Whether a media message's body is a caption: a separate {@code filename} says what the file is called. */
  private static boolean hasCaption(JsonNode content) {
    String fileName = text(content, "filename");
    String body = text(content, "body");
    return fileName != null && body != null && !body.isEmpty() && !body.equals(fileName);
  }

  private static @Nullable Attachment attachment(String msgtype, JsonNode content, String eventId) {
    Attachment.Kind kind = switch (msgtype) {
      case "m.image", "m.sticker" -> Attachment.Kind.IMAGE;
      case "m.video" -> Attachment.Kind.VIDEO;
      case "m.audio" -> Attachment.Kind.AUDIO;
      case "m.file" -> Attachment.Kind.FILE;
      default -> null;
    };
    String url = text(content, "url");
    if (kind == null || url == null || !url.startsWith("mxc://")) {
      return null; // not media, or end-to-end encrypted media the relay cannot read
    }
    JsonNode info = content.path("info");
    String fileName = text(content, "filename");
    if (fileName == null || fileName.isBlank()) {
      fileName = text(content, "body");
    }
    if (fileName == null || fileName.isBlank()) {
      fileName = eventId;
    }
    String mediaType = text(info, "mimetype");
    long size = info.path("size").isIntegralNumber() ? info.path("size").asLong() : -1;
    // The mxc URI is the attachment id; it is no public link (downloads need the access token).
    return new Attachment(url, fileName, mediaType == null ? "application/octet-stream" : mediaType,
        size < 0 ? -1 : size, null, kind);
  }

  private Identity identity(String roomId, String userId) {
    MemberDirectory.Member member = members.get(roomId, userId);
    String name = member == null || member.displayName() == null || member.displayName().isBlank()
        ? MemberDirectory.localpart(userId) : member.displayName();
    String avatar = member == null ? null : member.avatarUrl();
    // mxc:// avatars need an access token to fetch; only public links can go to other platforms.
    boolean publicAvatar = avatar != null && (avatar.startsWith("https://") || avatar.startsWith("http://"));
    return new Identity(new UserRef(connectorId, userId), name, publicAvatar ? avatar : null, false, null);
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() ? value.asString() : null;
  }

  private static void skip(String roomId, RawEvent event, String reason) {
    skip(roomId, event.eventId() == null ? "(no id)" : event.eventId(), reason);
  }

  private static void skip(String roomId, String eventId, String reason) {
    LOG.warn("Skipping malformed Matrix event {} in {}: {}", eventId, roomId, reason);
  }
}
