package coop.relay.discord.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Discord's JSON objects as far as the connector reads them (unknown fields are ignored). Required
 * fields are checked on construction, so that a payload without them is skipped as malformed.
 */
final class Wire {
  private Wire() {}

  static String require(@Nullable String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  /** A user; {@code member} is set in the {@code mentions} of guild messages. */
  record User(String id, @Nullable String username, @Nullable String globalName, @Nullable String avatar,
      boolean bot, @Nullable Member member) {
    User {
      require(id, "user.id");
    }
  }

  /** A guild member: the nickname and guild avatar, and in reaction events the user. */
  record Member(@Nullable String nick, @Nullable String avatar, @Nullable User user) {}

  /** A file attached to a message. */
  record Attachment(String id, String filename, @Nullable String contentType, long size, @Nullable String url,
      @Nullable String proxyUrl) {
    Attachment {
      require(id, "attachment.id");
      require(filename, "attachment.filename");
    }
  }

  /** What a message refers to: the replied-to message (type 0), a forward (type 1). */
  record Reference(@Nullable Integer type, @Nullable String messageId, @Nullable String channelId,
      @Nullable String guildId) {}

  /** A sticker sent as the message. */
  record StickerItem(String id, String name) {}

  /** A message, as in MESSAGE_CREATE and MESSAGE_UPDATE dispatches and REST answers. */
  record Message(
      String id,
      String channelId,
      @Nullable String guildId,
      @Nullable User author,
      @Nullable Member member,
      @Nullable String content,
      @Nullable String timestamp,
      @Nullable String editedTimestamp,
      @Nullable List<Attachment> attachments,
      @Nullable List<User> mentions,
      @Nullable Reference messageReference,
      @Nullable Message referencedMessage,
      @Nullable String webhookId,
      @Nullable String applicationId,
      @Nullable String nonce,
      int type,
      @Nullable List<StickerItem> stickerItems) {
    Message {
      require(id, "message.id");
      require(channelId, "message.channel_id");
    }
  }

  /** MESSAGE_DELETE. */
  record MessageDelete(String id, String channelId, @Nullable String guildId) {
    MessageDelete {
      require(id, "id");
      require(channelId, "channel_id");
    }
  }

  /** MESSAGE_DELETE_BULK. */
  record MessageDeleteBulk(List<String> ids, String channelId, @Nullable String guildId) {
    MessageDeleteBulk {
      if (ids == null) {
        throw new IllegalArgumentException("ids is missing");
      }
      require(channelId, "channel_id");
    }
  }

  /** An emoji of a reaction: {@code id} is null for Unicode emoji, whose {@code name} is the character. */
  record Emoji(@Nullable String id, @Nullable String name, boolean animated) {}

  /** MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE. */
  record Reaction(String userId, String channelId, String messageId, @Nullable String guildId,
      @Nullable Member member, Emoji emoji) {
    Reaction {
      require(userId, "user_id");
      require(channelId, "channel_id");
      require(messageId, "message_id");
      if (emoji == null) {
        throw new IllegalArgumentException("emoji is missing");
      }
    }
  }

  /** A channel or thread (types 10, 11 and 12 are threads, whose parent is a text channel). */
  record Channel(String id, int type, @Nullable String name, @Nullable String parentId, @Nullable String guildId) {
    Channel {
      require(id, "channel.id");
    }

    boolean isThread() {
      return type == 10 || type == 11 || type == 12;
    }
  }

  /** A role, for the names of role mentions. */
  record Role(String id, @Nullable String name) {}

  /** GUILD_CREATE, as far as the connector needs it. */
  record Guild(String id, @Nullable List<Channel> channels, @Nullable List<Channel> threads,
      @Nullable List<Role> roles) {}

  /** THREAD_LIST_SYNC. */
  record ThreadListSync(@Nullable String guildId, @Nullable List<Channel> threads) {}

  /** The application in READY. */
  record Application(@Nullable String id) {}

  /** READY. */
  record Ready(String sessionId, String resumeGatewayUrl, User user, @Nullable Application application) {
    Ready {
      require(sessionId, "session_id");
      require(resumeGatewayUrl, "resume_gateway_url");
      if (user == null) {
        throw new IllegalArgumentException("user is missing");
      }
    }
  }

  /** A channel webhook. */
  record Webhook(String id, int type, @Nullable String token, @Nullable String channelId,
      @Nullable String applicationId, @Nullable User user, @Nullable String name) {
    Webhook {
      require(id, "webhook.id");
    }
  }

  /** GET /gateway/bot. */
  record GatewayBot(String url, @Nullable SessionStartLimit sessionStartLimit) {
    GatewayBot {
      require(url, "url");
    }
  }

  /** How many identifies the bot has left. */
  record SessionStartLimit(int total, int remaining, long resetAfter, int maxConcurrency) {}
}
