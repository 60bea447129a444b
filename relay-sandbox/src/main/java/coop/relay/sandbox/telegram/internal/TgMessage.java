package coop.relay.sandbox.telegram.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** One message of a chat, with everything that changes about it. Guarded by the state's lock. */
final class TgMessage {
  final long chatId;
  final long id;
  final long date;
  /** The account that acted: the posting user or bot, also for channel posts. */
  final long authorId;
  /** Shown as sent by the chat itself (channel posts). */
  final boolean fromChat;
  FormattedText content;
  final @Nullable TgFile photo;
  final @Nullable TgFile document;
  /** The message this one explicitly answers. */
  final @Nullable Long replyToId;
  final @Nullable Long threadId;
  final boolean topicMessage;
  final @Nullable ObjectNode linkPreview;
  /** Service message fields (forum_topic_created, migrate_to_chat_id, ...), merged into the JSON. */
  final @Nullable ObjectNode service;
  @Nullable Long editDate;
  boolean deleted;
  /** Emoji to the accounts that reacted with it, in order. */
  final Map<String, Set<Long>> reactions = new LinkedHashMap<>();

  TgMessage(
      long chatId,
      long id,
      long date,
      long authorId,
      boolean fromChat,
      FormattedText content,
      @Nullable TgFile photo,
      @Nullable TgFile document,
      @Nullable Long replyToId,
      @Nullable Long threadId,
      boolean topicMessage,
      @Nullable ObjectNode linkPreview,
      @Nullable ObjectNode service) {
    this.chatId = chatId;
    this.id = id;
    this.date = date;
    this.authorId = authorId;
    this.fromChat = fromChat;
    this.content = content;
    this.photo = photo;
    this.document = document;
    this.replyToId = replyToId;
    this.threadId = threadId;
    this.topicMessage = topicMessage;
    this.linkPreview = linkPreview;
    this.service = service;
  }

  boolean hasMedia() {
    return photo != null || document != null;
  }

  /** The emoji {@code userId} reacted with, in the order of the message's reactions. */
  java.util.List<String> reactionsOf(long userId) {
    java.util.List<String> out = new java.util.ArrayList<>();
    reactions.forEach((emoji, users) -> {
      if (users.contains(userId)) {
        out.add(emoji);
      }
    });
    return out;
  }

  void setReactions(long userId, java.util.List<String> emoji) {
    reactions.values().forEach(users -> users.remove(userId));
    for (String e : emoji) {
      reactions.computeIfAbsent(e, k -> new LinkedHashSet<>()).add(userId);
    }
    reactions.values().removeIf(Set::isEmpty);
  }
}
