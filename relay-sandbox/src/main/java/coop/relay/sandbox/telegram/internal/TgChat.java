package coop.relay.sandbox.telegram.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A group, supergroup (possibly a forum) or channel. Guarded by the state's lock. */
final class TgChat {
  final long id;
  final String kind;
  String title;
  @Nullable Long migratedTo;
  @Nullable Long migratedFrom;
  long nextMessageId = 1;
  final Map<Long, TgMessage> messages = new LinkedHashMap<>();
  final Map<Long, String> topics = new LinkedHashMap<>();

  /** @param kind the sandbox's word: group, supergroup, forum or channel */
  TgChat(long id, String kind, String title) {
    this.id = id;
    this.kind = kind;
    this.title = title;
  }

  /** The Bot API's {@code Chat.type}. */
  String wireType() {
    return kind.equals("forum") ? "supergroup" : kind;
  }

  boolean isForum() {
    return kind.equals("forum");
  }

  boolean isChannel() {
    return kind.equals("channel");
  }

  boolean isSupergroup() {
    return kind.equals("supergroup") || kind.equals("forum");
  }

  /** Group chats count against the 20 messages per minute limit. */
  boolean isGroup() {
    return !isChannel();
  }
}
