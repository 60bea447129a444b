package coop.relay.sandbox.discord.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A guild text channel (type 0) or a public thread (type 11) under one. Threads are channels on
 * Discord: their messages carry the thread's id as {@code channel_id}.
 */
final class DcChannel {
  static final int GUILD_TEXT = 0;
  static final int PUBLIC_THREAD = 11;

  final long id;
  final int type;
  String name;
  final @Nullable Long parentId;
  final long ownerId;
  final long createdMillis;
  int position;
  boolean manageWebhooks = true;
  boolean archived;
  long lastMessageId;
  int messageCount;
  int totalMessageSent;
  /** The messages whose {@code channel_id} is this channel, in id order. */
  final Map<Long, DcMessage> messages = new LinkedHashMap<>();

  DcChannel(long id, int type, String name, @Nullable Long parentId, long ownerId, long createdMillis) {
    this.id = id;
    this.type = type;
    this.name = name;
    this.parentId = parentId;
    this.ownerId = ownerId;
    this.createdMillis = createdMillis;
  }

  boolean isThread() {
    return type == PUBLIC_THREAD;
  }

  /** The text channel a message here belongs to: itself, or a thread's parent. */
  long roomId() {
    return parentId != null ? parentId : id;
  }
}
