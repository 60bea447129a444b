package coop.relay.sandbox.discord.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One message as Discord stores it; guarded by the state's lock. */
final class DcMessage {
  static final int DEFAULT = 0;
  static final int THREAD_CREATED = 18;
  static final int REPLY = 19;

  final long id;
  final long channelId;
  final int type;
  final long timestampMillis;
  /** The author: a user or bot id, or the webhook's id for webhook messages. */
  final long authorId;
  final @Nullable Long webhookId;
  /** The name and avatar a webhook execution asked for, else null (then the webhook's own). */
  final @Nullable String webhookUsername;
  final @Nullable String webhookAvatarUrl;
  /** Only echoed in the create answer and MESSAGE_CREATE, as Discord does not keep nonces. */
  final @Nullable JsonNode nonce;
  final @Nullable Long referencedChannelId;
  final @Nullable Long referencedMessageId;
  String content;
  List<Long> mentions = List.of();
  List<Long> mentionRoles = List.of();
  boolean mentionEveryone;
  List<DcFile> attachments = new ArrayList<>();
  @Nullable Long editedMillis;
  boolean deleted;
  /** The thread started from this message, if any; its id equals this message's id. */
  @Nullable Long threadId;
  /** Reactions by emoji key ({@code 👍} or {@code name:id}), each with who reacted, in order. */
  final Map<String, Reaction> reactions = new LinkedHashMap<>();

  /** One emoji's reactions. */
  static final class Reaction {
    final Emoji emoji;
    final List<Long> userIds = new ArrayList<>();

    Reaction(Emoji emoji) {
      this.emoji = emoji;
    }
  }

  DcMessage(
      long id,
      long channelId,
      int type,
      long timestampMillis,
      long authorId,
      @Nullable Long webhookId,
      @Nullable String webhookUsername,
      @Nullable String webhookAvatarUrl,
      @Nullable JsonNode nonce,
      @Nullable Long referencedChannelId,
      @Nullable Long referencedMessageId,
      String content) {
    this.id = id;
    this.channelId = channelId;
    this.type = type;
    this.timestampMillis = timestampMillis;
    this.authorId = authorId;
    this.webhookId = webhookId;
    this.webhookUsername = webhookUsername;
    this.webhookAvatarUrl = webhookAvatarUrl;
    this.nonce = nonce;
    this.referencedChannelId = referencedChannelId;
    this.referencedMessageId = referencedMessageId;
    this.content = content;
  }
}
