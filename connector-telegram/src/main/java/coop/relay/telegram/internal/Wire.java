package coop.relay.telegram.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Bot API objects the connector reads, as records for the shared snake_case mapper. Only the
 * fields Relay uses are declared; Telegram adds fields often and unknown ones are ignored. Fields
 * the Bot API marks required are still {@code @Nullable} here: a payload that lacks one is malformed,
 * which the decoder logs and skips instead of failing the whole batch.
 */
final class Wire {
  private Wire() {}

  /** The envelope of every Bot API answer. */
  record Response<T>(
      boolean ok,
      @Nullable T result,
      @Nullable Integer errorCode,
      @Nullable String description,
      @Nullable ResponseParameters parameters) {}

  /** Why a request failed and what to do about it. */
  record ResponseParameters(@Nullable Long migrateToChatId, @Nullable Integer retryAfter) {}

  /** One incoming update; at most one of the optional fields is set. */
  record Update(
      long updateId,
      @Nullable Message message,
      @Nullable Message editedMessage,
      @Nullable Message channelPost,
      @Nullable Message editedChannelPost,
      @Nullable MessageReactionUpdated messageReaction) {}

  /** A message, or a service message (migration, topic created, ...). */
  record Message(
      long messageId,
      @Nullable Long messageThreadId,
      @Nullable User from,
      @Nullable Chat senderChat,
      long date,
      @Nullable Chat chat,
      @Nullable Boolean isTopicMessage,
      @Nullable Message replyToMessage,
      @Nullable Long editDate,
      @Nullable String authorSignature,
      @Nullable String text,
      @Nullable List<MessageEntity> entities,
      @Nullable String caption,
      @Nullable List<MessageEntity> captionEntities,
      @Nullable List<PhotoSize> photo,
      @Nullable Media document,
      @Nullable Media video,
      @Nullable Media audio,
      @Nullable Media voice,
      @Nullable Media animation,
      @Nullable Sticker sticker,
      @Nullable Long migrateToChatId,
      @Nullable Long migrateFromChatId) {}

  /** A user or bot. */
  record User(long id, boolean isBot, @Nullable String firstName, @Nullable String lastName, @Nullable String username) {}

  /** A chat: private, group, supergroup or channel. */
  record Chat(
      long id,
      @Nullable String type,
      @Nullable String title,
      @Nullable String username,
      @Nullable String firstName,
      @Nullable String lastName) {}

  /** A formatting entity; offsets and lengths count UTF-16 code units. */
  record MessageEntity(
      @Nullable String type,
      int offset,
      int length,
      @Nullable String url,
      @Nullable User user,
      @Nullable String language,
      @Nullable String customEmojiId) {}

  /** One size of a photo; Telegram lists them smallest first. */
  record PhotoSize(@Nullable String fileId, @Nullable String fileUniqueId, int width, int height, @Nullable Long fileSize) {}

  /** A document, video, audio, voice note or animation. */
  record Media(
      @Nullable String fileId,
      @Nullable String fileUniqueId,
      @Nullable String fileName,
      @Nullable String mimeType,
      @Nullable Long fileSize) {}

  /** A sticker; relayed as its emoji. */
  record Sticker(@Nullable String fileId, @Nullable String emoji) {}

  /** A change of one person's reactions to a message. */
  record MessageReactionUpdated(
      @Nullable Chat chat,
      long messageId,
      @Nullable User user,
      @Nullable Chat actorChat,
      long date,
      @Nullable List<ReactionType> oldReaction,
      @Nullable List<ReactionType> newReaction) {}

  /** An emoji, custom emoji or paid reaction. */
  record ReactionType(@Nullable String type, @Nullable String emoji, @Nullable String customEmojiId) {}

  /** A file ready to download from {@code /file/bot<token>/<file_path>}. */
  record File(@Nullable String fileId, @Nullable Long fileSize, @Nullable String filePath) {}
}
