package coop.relay.telegram.internal;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.Reply;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Turns Bot API updates into Relay's inbound events. A {@code getUpdates} answer is read straight
 * into records; only when that fails (some update is malformed) is it read again as a tree, update
 * by update, so that the malformed one is logged (never its content) and skipped while the rest are
 * delivered, and its {@code update_id} still moves the offset past it. The bot's own messages,
 * edits and reactions are dropped here: they are the echoes of what the relay sent. Thread-safe.
 */
final class UpdateDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateDecoder.class);
  private static final TypeReference<Wire.Response<List<Wire.Update>>> BATCH = new TypeReference<>() {};

  /** A basic group became the supergroup {@code to}, as a service message said. */
  record ChatMove(long from, long to) {}

  /**
   * One update, decoded.
   *
   * @param updateId its id
   * @param events what it means for the relay, possibly nothing (a service message, an echo)
   * @param move a chat migration it announced, or {@code null}
   */
  record Decoded(long updateId, List<InboundEvent> events, @Nullable ChatMove move) {}

  /**
   * The updates of one {@code getUpdates} answer.
   *
   * @param updates the well-formed ones, in order
   * @param nextOffset the highest {@code update_id} seen (malformed updates included) plus one, or
   *     {@code -1} when the answer held no update with a readable id
   */
  record Batch(List<Decoded> updates, long nextOffset) {}

  private final String connectorId;
  private final EntityDecoder entities;

  UpdateDecoder(String connectorId) {
    this.connectorId = connectorId;
    this.entities = new EntityDecoder(connectorId);
  }

  /**
   * Decodes the body of a successful {@code getUpdates} answer.
   *
   * @throws DeliveryException (transient) when the body is not a Bot API answer at all
   */
  Batch decodeBatch(byte[] body, long botId) {
    return decodeBatch(body, botId, UnaryOperator.identity());
  }

  /**
   * Like {@link #decodeBatch(byte[], long)}, naming the channel of each chat with {@code channels}
   * (a chat id to the id of the channel its messages appear under).
   */
  Batch decodeBatch(byte[] body, long botId, UnaryOperator<String> channels) {
    List<Wire.Update> updates;
    try {
      Wire.Response<List<Wire.Update>> response = Json.mapper().readValue(body, BATCH);
      updates = response.result();
    } catch (JacksonException malformed) {
      return decodeTolerantly(body, botId, channels);
    }
    if (updates == null) {
      throw DeliveryException.transientFailure("getUpdates answered without a result; retrying", null);
    }
    List<Decoded> decoded = new ArrayList<>(updates.size());
    long next = -1;
    for (Wire.Update update : updates) {
      if (update == null) {
        continue;
      }
      next = Math.max(next, update.updateId() + 1);
      Decoded d = decode(update, botId, channels);
      if (d != null) {
        decoded.add(d);
      }
    }
    return new Batch(decoded, next);
  }

  private Batch decodeTolerantly(byte[] body, long botId, UnaryOperator<String> channels) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JacksonException notJson) {
      throw DeliveryException.transientFailure("getUpdates answered with a body that is not JSON; retrying", null);
    }
    JsonNode result = root == null ? null : root.get("result");
    if (result == null || !result.isArray()) {
      throw DeliveryException.transientFailure("getUpdates answered without a result array; retrying", null);
    }
    List<Decoded> decoded = new ArrayList<>();
    long next = -1;
    for (JsonNode element : result) {
      JsonNode id = element.get("update_id");
      String what = id != null && id.isIntegralNumber() ? "Telegram update " + id.asLong() : "Telegram update without an id";
      if (id != null && id.isIntegralNumber()) {
        next = Math.max(next, id.asLong() + 1);
      }
      Json.convertOrSkip(element, Wire.Update.class, what)
          .map(update -> decode(update, botId, channels))
          .ifPresent(decoded::add);
    }
    return new Batch(decoded, next);
  }

  /** Decodes the body of one webhook request; {@code null} when it is malformed (logged). */
  Wire.@Nullable Update readUpdate(byte[] body) {
    return Json.readOrSkip(body, Wire.Update.class, "Telegram webhook update").orElse(null);
  }

  /** The events of one update, or {@code null} when it is malformed (logged, without content). */
  @Nullable Decoded decode(Wire.Update update, long botId) {
    return decode(update, botId, UnaryOperator.identity());
  }

  /** Like {@link #decode(Wire.Update, long)}, naming channels with {@code channels}. */
  @Nullable Decoded decode(Wire.Update update, long botId, UnaryOperator<String> channels) {
    try {
      List<InboundEvent> events = new ArrayList<>(1);
      ChatMove move = null;
      if (update.message() != null) {
        move = created(update.message(), botId, channels, events);
      } else if (update.channelPost() != null) {
        move = created(update.channelPost(), botId, channels, events);
      } else if (update.editedMessage() != null) {
        edited(update.editedMessage(), botId, channels, events);
      } else if (update.editedChannelPost() != null) {
        edited(update.editedChannelPost(), botId, channels, events);
      } else if (update.messageReaction() != null) {
        reactions(update.updateId(), update.messageReaction(), botId, channels, events);
      }
      return new Decoded(update.updateId(), events, move);
    } catch (RuntimeException malformed) {
      LOG.warn("Skipping malformed Telegram update {}: {}", update.updateId(), malformed.getMessage());
      return null;
    }
  }

  private @Nullable ChatMove created(Wire.Message m, long botId, UnaryOperator<String> channels, List<InboundEvent> out) {
    Wire.Chat chat = require(m.chat(), "chat");
    if (m.migrateToChatId() != null) {
      return new ChatMove(chat.id(), m.migrateToChatId());
    }
    if (m.migrateFromChatId() != null) {
      return new ChatMove(m.migrateFromChatId(), chat.id());
    }
    if (isOwn(m, botId)) {
      return null;
    }
    RichText text = content(m);
    List<Attachment> attachments = attachments(m);
    if (text.isEmpty() && attachments.isEmpty()) {
      return null; // a service message: nothing a person wrote
    }
    ChannelRef channel = channel(chat, channels);
    String chatId = Long.toString(chat.id());
    Message message = Message.builder(new MessageAddress(chatId, m.messageId()).in(channel), author(m))
        .text(text)
        .attachments(attachments)
        .replyTo(reply(m, chatId, channel))
        .threadRoot(m.messageThreadId() == null ? null : new MessageAddress(chatId, m.messageThreadId()).in(channel))
        .timestamp(Instant.ofEpochSecond(m.date()))
        .build();
    out.add(new MessageCreated(message));
    return null;
  }

  private void edited(Wire.Message m, long botId, UnaryOperator<String> channels, List<InboundEvent> out) {
    Wire.Chat chat = require(m.chat(), "chat");
    if (isOwn(m, botId)) {
      return;
    }
    long editedAt = m.editDate() != null ? m.editDate() : m.date();
    MessageRef target = new MessageAddress(Long.toString(chat.id()), m.messageId()).in(channel(chat, channels));
    out.add(new MessageEdited(m.messageId() + "@" + editedAt, target, author(m), content(m), attachments(m),
        Instant.ofEpochSecond(editedAt), null));
  }

  private void reactions(long updateId, Wire.MessageReactionUpdated r, long botId, UnaryOperator<String> channels,
      List<InboundEvent> out) {
    Wire.Chat chat = require(r.chat(), "chat");
    Identity who;
    if (r.user() != null) {
      if (r.user().id() == botId) {
        return;
      }
      who = identity(r.user());
    } else {
      who = chatIdentity(require(r.actorChat(), "user or actor_chat"), null);
    }
    MessageRef target = new MessageAddress(Long.toString(chat.id()), r.messageId()).in(channel(chat, channels));
    Set<String> before = reactionKeys(r.oldReaction());
    Set<String> after = reactionKeys(r.newReaction());
    Instant at = Instant.ofEpochSecond(r.date());
    for (String key : before) {
      if (!after.contains(key)) {
        out.add(new ReactionRemoved(updateId + "-" + key, target, who, emoji(key), at));
      }
    }
    for (String key : after) {
      if (!before.contains(key)) {
        out.add(new ReactionAdded(updateId + "+" + key, target, who, emoji(key), at));
      }
    }
  }

  /** Reaction keys: the emoji itself, or {@code custom:<id>}; paid reactions are left out. */
  private static Set<String> reactionKeys(@Nullable List<Wire.ReactionType> reactions) {
    Set<String> keys = new LinkedHashSet<>();
    if (reactions != null) {
      for (Wire.ReactionType reaction : reactions) {
        if (reaction == null || reaction.type() == null) {
          continue;
        }
        if (reaction.type().equals("emoji") && reaction.emoji() != null && !reaction.emoji().isEmpty()) {
          keys.add(reaction.emoji());
        } else if (reaction.type().equals("custom_emoji") && reaction.customEmojiId() != null) {
          keys.add("custom:" + reaction.customEmojiId());
        }
      }
    }
    return keys;
  }

  private static Emoji emoji(String key) {
    return key.startsWith("custom:") ? Emoji.custom(key.substring("custom:".length()), null) : ReactionEmoji.of(key);
  }

  private RichText content(Wire.Message m) {
    if (m.text() != null) {
      return entities.decode(m.text(), m.entities());
    }
    if (m.caption() != null) {
      return entities.decode(m.caption(), m.captionEntities());
    }
    if (m.sticker() != null && m.sticker().emoji() != null) {
      return RichText.of(m.sticker().emoji());
    }
    return RichText.empty();
  }

  private @Nullable Reply reply(Wire.Message m, String chatId, ChannelRef channel) {
    Wire.Message target = m.replyToMessage();
    if (target == null) {
      return null;
    }
    // In a forum topic, Telegram shows every message as a reply to the topic's first message.
    if (Boolean.TRUE.equals(m.isTopicMessage()) && m.messageThreadId() != null
        && target.messageId() == m.messageThreadId()) {
      return null;
    }
    String name = target.from() != null ? displayName(target.from())
        : target.senderChat() != null ? chatTitle(target.senderChat()) : null;
    return new Reply(new MessageAddress(chatId, target.messageId()).in(channel), name, content(target));
  }

  private List<Attachment> attachments(Wire.Message m) {
    List<Attachment> out = new ArrayList<>(1);
    List<Wire.PhotoSize> photo = m.photo();
    if (photo != null && !photo.isEmpty()) {
      Wire.PhotoSize largest = null;
      for (Wire.PhotoSize size : photo) {
        if (size != null && size.fileId() != null
            && (largest == null || (long) size.width() * size.height() >= (long) largest.width() * largest.height())) {
          largest = size;
        }
      }
      if (largest != null) {
        String unique = largest.fileUniqueId() == null ? Long.toString(m.messageId()) : largest.fileUniqueId();
        out.add(new Attachment(largest.fileId(), "photo_" + unique + ".jpg", "image/jpeg", size(largest.fileSize()),
            null, Attachment.Kind.IMAGE));
      }
    }
    media(m.video(), "video.mp4", "video/mp4", out);
    media(m.animation(), "animation.mp4", "video/mp4", out);
    media(m.audio(), "audio.mp3", "audio/mpeg", out);
    media(m.voice(), "voice.ogg", "audio/ogg", out);
    Wire.Media document = m.document();
    // An animation also comes as a document, for old clients; it is attached once.
    if (document != null && (m.animation() == null || !String.valueOf(document.fileId()).equals(m.animation().fileId()))) {
      media(document, "document", "application/octet-stream", out);
    }
    return out;
  }

  private static void media(Wire.@Nullable Media media, String defaultName, String defaultType, List<Attachment> out) {
    if (media == null || media.fileId() == null || media.fileId().isBlank()) {
      return;
    }
    String name = media.fileName() == null || media.fileName().isBlank() ? defaultName : media.fileName();
    String type = media.mimeType() == null || media.mimeType().isBlank() ? defaultType : media.mimeType();
    // Never the download URL: it carries the bot token (see Attachment#url).
    out.add(new Attachment(media.fileId(), name, type, size(media.fileSize()), null, kind(type)));
  }

  private static Attachment.Kind kind(String mediaType) {
    String type = mediaType.toLowerCase(Locale.ROOT);
    if (type.startsWith("image/")) {
      return Attachment.Kind.IMAGE;
    }
    if (type.startsWith("video/")) {
      return Attachment.Kind.VIDEO;
    }
    if (type.startsWith("audio/")) {
      return Attachment.Kind.AUDIO;
    }
    return Attachment.Kind.FILE;
  }

  private static long size(@Nullable Long bytes) {
    return bytes == null || bytes < 0 ? -1 : bytes;
  }

  private static boolean isOwn(Wire.Message m, long botId) {
    return m.from() != null && m.from().id() == botId;
  }

  private Identity author(Wire.Message m) {
    if (m.from() != null && m.senderChat() == null) {
      return identity(m.from());
    }
    if (m.senderChat() != null) {
      return chatIdentity(m.senderChat(), m.authorSignature());
    }
    throw new IllegalArgumentException("message " + m.messageId() + " has neither from nor sender_chat");
  }

  private Identity identity(Wire.User user) {
    return new Identity(new UserRef(connectorId, Long.toString(user.id())), displayName(user), null, user.isBot(), null);
  }

  /** A channel post or an anonymous admin: the chat speaks, signed by its author when it says so. */
  private Identity chatIdentity(Wire.Chat chat, @Nullable String signature) {
    String title = chatTitle(chat);
    String name = signature == null || signature.isBlank() ? title : signature + " (" + title + ")";
    return new Identity(new UserRef(connectorId, Long.toString(chat.id())), name, null, false, null);
  }

  private static String displayName(Wire.User user) {
    String first = user.firstName() == null ? "" : user.firstName().strip();
    String last = user.lastName() == null ? "" : user.lastName().strip();
    String name = (first + " " + last).strip();
    if (!name.isEmpty()) {
      return name;
    }
    return user.username() != null && !user.username().isBlank() ? user.username() : Long.toString(user.id());
  }

  private static String chatTitle(Wire.Chat chat) {
    if (chat.title() != null && !chat.title().isBlank()) {
      return chat.title();
    }
    if (chat.username() != null && !chat.username().isBlank()) {
      return chat.username();
    }
    return Long.toString(chat.id());
  }

  private ChannelRef channel(Wire.Chat chat, UnaryOperator<String> channels) {
    return ChannelRef.of(connectorId, channels.apply(Long.toString(chat.id())));
  }

  private static <T> T require(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("required field " + field + " is missing");
    }
    return value;
  }
}
