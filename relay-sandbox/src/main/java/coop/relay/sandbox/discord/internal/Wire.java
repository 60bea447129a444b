package coop.relay.sandbox.discord.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the emulator's state as Discord's JSON objects (user, message, channel, thread, webhook,
 * guild), with the fields the API reference and the OpenAPI spec require. Called under the state's
 * lock.
 */
final class Wire {
  /** MANAGE_WEBHOOKS, the permission bit a channel overwrite denies when webhooks are refused. */
  static final long MANAGE_WEBHOOKS = 1L << 29;
  // What the bot's role grants: view, send, read history, add reactions, manage messages, embed
  // links, attach files, use external emojis, manage webhooks, manage and send in threads.
  static final long BOT_PERMISSIONS =
      (1L << 10) | (1L << 11) | (1L << 16) | (1L << 6) | (1L << 13) | (1L << 14) | (1L << 15) | (1L << 18)
          | MANAGE_WEBHOOKS | (1L << 34) | (1L << 35) | (1L << 38);
  static final long EVERYONE_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 16) | (1L << 6) | (1L << 38);

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final DiscordState state;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  Wire(DiscordState state) {
    this.state = state;
  }

  ObjectNode object() {
    return nodes.objectNode();
  }

  ArrayNode array() {
    return nodes.arrayNode();
  }

  static String timestamp(long millis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(millis));
  }

  static String id(long id) {
    return Long.toString(id);
  }

  // ---------------------------------------------------------------- users

  ObjectNode user(DcUser u) {
    ObjectNode o = object();
    o.put("id", id(u.id()));
    o.put("username", u.username());
    o.put("avatar", u.avatarHash());
    o.put("discriminator", u.discriminator());
    o.put("public_flags", 0);
    o.put("flags", 0);
    if (u.bot()) {
      o.put("bot", true);
    }
    o.putNull("banner");
    o.putNull("accent_color");
    o.put("global_name", u.globalName());
    o.putNull("avatar_decoration_data");
    o.putNull("collectibles");
    o.putNull("primary_guild");
    return o;
  }

  /** A guild member object without its {@code user} (as in MESSAGE_CREATE's {@code member}). */
  ObjectNode member(DcUser u) {
    ObjectNode o = object();
    ArrayNode roles = o.putArray("roles");
    if (u.bot()) {
      roles.add(id(state.botRoleId));
    }
    o.putNull("nick");
    o.putNull("avatar");
    o.putNull("banner");
    o.put("joined_at", timestamp(Snowflakes.millis(state.guildId)));
    o.putNull("premium_since");
    o.put("deaf", false);
    o.put("mute", false);
    o.put("pending", false);
    o.put("flags", 0);
    o.putNull("communication_disabled_until");
    return o;
  }

  ObjectNode memberWithUser(DcUser u) {
    ObjectNode o = member(u);
    o.set("user", user(u));
    return o;
  }

  // ---------------------------------------------------------------- messages

  /**
   * A message object as the REST API returns it. {@code viewer} decides the reactions' {@code me};
   * {@code withNonce} adds the nonce (only create answers and MESSAGE_CREATE carry it).
   */
  ObjectNode message(DcMessage m, long viewer, boolean withNonce) {
    ObjectNode o = basicMessage(m, viewer, withNonce);
    if (m.referencedMessageId != null) {
      DcMessage target = state.messageOrNull(m.referencedMessageId);
      if (m.type == DcMessage.REPLY) {
        if (target == null || target.deleted) {
          o.putNull("referenced_message");
        } else {
          o.set("referenced_message", basicMessage(target, viewer, false));
        }
      }
    }
    return o;
  }

  private ObjectNode basicMessage(DcMessage m, long viewer, boolean withNonce) {
    ObjectNode o = object();
    o.put("type", m.type);
    o.put("content", m.content);
    ArrayNode mentions = o.putArray("mentions");
    for (long uid : m.mentions) {
      DcUser u = state.userOrNull(uid);
      if (u != null) {
        mentions.add(user(u));
      }
    }
    ArrayNode roles = o.putArray("mention_roles");
    m.mentionRoles.forEach(r -> roles.add(id(r)));
    ArrayNode attachments = o.putArray("attachments");
    for (DcFile f : m.attachments) {
      attachments.add(attachment(f));
    }
    o.putArray("embeds");
    o.put("timestamp", timestamp(m.timestampMillis));
    if (m.editedMillis == null) {
      o.putNull("edited_timestamp");
    } else {
      o.put("edited_timestamp", timestamp(m.editedMillis));
    }
    o.put("flags", m.threadId != null ? 32 : 0);
    o.putArray("components");
    o.put("id", id(m.id));
    o.put("channel_id", id(m.channelId));
    o.set("author", author(m));
    o.put("pinned", false);
    o.put("mention_everyone", m.mentionEveryone);
    o.put("tts", false);
    if (withNonce && m.nonce != null) {
      o.set("nonce", m.nonce);
    }
    if (m.webhookId != null) {
      o.put("webhook_id", id(m.webhookId));
      DcWebhook hook = state.webhookOrNull(m.webhookId);
      if (hook != null) {
        o.put("application_id", id(hook.applicationId));
      }
    }
    if (m.referencedMessageId != null || m.referencedChannelId != null) {
      // Replies name the message; a thread-created notice (type 18) names only the thread.
      ObjectNode ref = o.putObject("message_reference");
      ref.put("type", 0);
      ref.put("channel_id", id(m.referencedChannelId == null ? m.channelId : m.referencedChannelId));
      if (m.referencedMessageId != null) {
        ref.put("message_id", id(m.referencedMessageId));
      }
      ref.put("guild_id", id(state.guildId));
    }
    if (!m.reactions.isEmpty()) {
      ArrayNode reactions = o.putArray("reactions");
      for (DcMessage.Reaction r : m.reactions.values()) {
        ObjectNode ro = reactions.addObject();
        ro.set("emoji", emoji(r.emoji));
        ro.put("count", r.userIds.size());
        ObjectNode details = ro.putObject("count_details");
        details.put("burst", 0);
        details.put("normal", r.userIds.size());
        ro.putArray("burst_colors");
        ro.put("me_burst", false);
        ro.put("me", r.userIds.contains(viewer));
      }
    }
    DcChannel channel = state.channelOrNull(m.channelId);
    if (channel != null && channel.isThread()) {
      o.put("position", indexIn(channel, m));
    }
    if (m.threadId != null) {
      DcChannel thread = state.channelOrNull(m.threadId);
      if (thread != null) {
        o.set("thread", thread(thread));
      }
    }
    return o;
  }

  private static int indexIn(DcChannel channel, DcMessage m) {
    int i = 0;
    for (Long id : channel.messages.keySet()) {
      if (id == m.id) {
        return i;
      }
      i++;
    }
    return i;
  }

  ObjectNode author(DcMessage m) {
    if (m.webhookId != null) {
      DcWebhook hook = state.webhookOrNull(m.webhookId);
      String name = m.webhookUsername != null ? m.webhookUsername : hook != null ? hook.name : "Deleted Webhook";
      // A username override alone keeps the webhook's own picture, as on Discord.
      String avatarUrl = m.webhookAvatarUrl != null ? m.webhookAvatarUrl : hook != null ? hook.avatarUrl : null;
      ObjectNode o = object();
      o.put("id", id(m.webhookId));
      o.put("username", name);
      o.put("avatar", avatarUrl == null ? null : state.avatarHash(m.webhookId, avatarUrl));
      o.put("discriminator", "0000");
      o.put("public_flags", 0);
      o.put("flags", 0);
      o.put("bot", true);
      o.putNull("global_name");
      o.putNull("primary_guild");
      return o;
    }
    DcUser u = state.userOrNull(m.authorId);
    return u == null ? deletedUser(m.authorId) : user(u);
  }

  private ObjectNode deletedUser(long id) {
    return user(new DcUser(id, "Deleted User", null, "0", null, null, false));
  }

  ObjectNode emoji(Emoji e) {
    ObjectNode o = object();
    if (e.id() == null) {
      o.putNull("id");
    } else {
      o.put("id", id(e.id()));
    }
    o.put("name", e.name());
    if (e.animated()) {
      o.put("animated", true);
    }
    return o;
  }

  ObjectNode attachment(DcFile f) {
    ObjectNode o = object();
    o.put("id", id(f.id()));
    o.put("filename", f.filename());
    o.put("size", f.data().length);
    o.put("url", fileUrl(f, false));
    o.put("proxy_url", fileUrl(f, true));
    o.put("content_type", f.contentType());
    if (!f.description().isEmpty()) {
      o.put("description", f.description());
    }
    if (f.image()) {
      o.put("width", f.width());
      o.put("height", f.height());
    }
    return o;
  }

  /**
   * Where the emulator serves an attachment, shaped like Discord's signed CDN URLs ({@code ex}:
   * expiry, {@code is}: issue time, {@code hm}: signature, all hexadecimal).
   */
  String fileUrl(DcFile f, boolean proxy) {
    long issued = Snowflakes.millis(f.id()) / 1000;
    String query = "?ex=" + Long.toHexString(issued + 86_400) + "&is=" + Long.toHexString(issued) + "&hm="
        + Long.toHexString(f.id() * 31 + f.channelId()) + "&";
    return state.baseUrl() + (proxy ? "/media" : "") + "/attachments/" + f.channelId() + "/" + f.id() + "/"
        + URLEncoder.encode(f.filename(), StandardCharsets.UTF_8).replace("+", "%20") + query;
  }

  // ---------------------------------------------------------------- channels

  ObjectNode channel(DcChannel c) {
    if (c.isThread()) {
      return thread(c);
    }
    ObjectNode o = object();
    o.put("id", id(c.id));
    o.put("type", c.type);
    o.put("guild_id", id(state.guildId));
    o.put("name", c.name);
    o.put("position", c.position);
    ArrayNode overwrites = o.putArray("permission_overwrites");
    if (!c.manageWebhooks) {
      // Denies Manage Webhooks to the bots' role in this channel, which is how a server admin
      // would take the permission away.
      ObjectNode ow = overwrites.addObject();
      ow.put("id", id(state.botRoleId));
      ow.put("type", 0);
      ow.put("allow", "0");
      ow.put("deny", Long.toString(MANAGE_WEBHOOKS));
    }
    o.putNull("parent_id");
    o.putNull("topic");
    o.put("nsfw", false);
    if (c.lastMessageId == 0) {
      o.putNull("last_message_id");
    } else {
      o.put("last_message_id", id(c.lastMessageId));
    }
    o.put("rate_limit_per_user", 0);
    o.put("flags", 0);
    return o;
  }

  ObjectNode thread(DcChannel c) {
    ObjectNode o = object();
    o.put("id", id(c.id));
    o.put("type", c.type);
    if (c.lastMessageId == 0) {
      o.putNull("last_message_id");
    } else {
      o.put("last_message_id", id(c.lastMessageId));
    }
    o.put("flags", 0);
    o.putNull("last_pin_timestamp");
    o.put("guild_id", id(state.guildId));
    o.put("name", c.name);
    o.put("parent_id", id(c.roomId()));
    o.put("rate_limit_per_user", 0);
    o.put("owner_id", id(c.ownerId));
    ObjectNode meta = o.putObject("thread_metadata");
    meta.put("archived", c.archived);
    meta.put("archive_timestamp", timestamp(c.createdMillis));
    meta.put("auto_archive_duration", 1440);
    meta.put("locked", false);
    meta.put("create_timestamp", timestamp(c.createdMillis));
    o.put("message_count", c.messageCount);
    o.put("member_count", 1);
    o.put("total_message_sent", c.totalMessageSent);
    return o;
  }

  // ---------------------------------------------------------------- webhooks

  ObjectNode webhook(DcWebhook w, boolean withToken) {
    ObjectNode o = object();
    o.put("application_id", id(w.applicationId));
    o.put("avatar", w.avatarHash);
    o.put("channel_id", id(w.channelId));
    o.put("guild_id", id(state.guildId));
    o.put("id", id(w.id));
    o.put("name", w.name);
    o.put("type", 1);
    DcUser creator = state.userOrNull(w.creatorId);
    if (creator != null) {
      o.set("user", user(creator));
    }
    if (withToken) {
      o.put("token", w.token);
      o.put("url", state.baseUrl() + "/api/webhooks/" + w.id + "/" + w.token);
    }
    return o;
  }

  // ---------------------------------------------------------------- guild

  ObjectNode role(long roleId, String name, long permissions, int position, boolean managed) {
    ObjectNode r = object();
    r.put("id", id(roleId));
    r.put("name", name);
    r.put("color", 0);
    r.put("hoist", false);
    r.putNull("icon");
    r.putNull("unicode_emoji");
    r.put("position", position);
    r.put("permissions", Long.toString(permissions));
    r.put("managed", managed);
    r.put("mentionable", false);
    r.put("flags", 0);
    return r;
  }

  /** The GUILD_CREATE payload: the guild with its channels, threads, members, roles and emojis. */
  ObjectNode guildCreate(@Nullable Long botUserId) {
    ObjectNode g = object();
    g.put("id", id(state.guildId));
    g.put("name", state.guildName);
    g.putNull("icon");
    g.putNull("splash");
    g.putNull("banner");
    g.putNull("description");
    g.put("owner_id", id(state.ownerId));
    g.putNull("afk_channel_id");
    g.put("afk_timeout", 300);
    g.put("verification_level", 0);
    g.put("default_message_notifications", 0);
    g.put("explicit_content_filter", 0);
    g.put("mfa_level", 0);
    g.put("nsfw_level", 0);
    g.put("premium_tier", 0);
    g.put("premium_subscription_count", 0);
    g.put("preferred_locale", "en-US");
    g.putNull("system_channel_id");
    g.putNull("rules_channel_id");
    g.putNull("public_updates_channel_id");
    g.putNull("vanity_url_code");
    g.putNull("application_id");
    g.putArray("features");
    ArrayNode roles = g.putArray("roles");
    roles.add(role(state.guildId, "@everyone", EVERYONE_PERMISSIONS, 0, false));
    roles.add(role(state.botRoleId, "Bots", BOT_PERMISSIONS, 1, true));
    ArrayNode emojis = g.putArray("emojis");
    state.customEmojis().forEach((name, eid) -> {
      ObjectNode e = emojis.addObject();
      e.put("id", id(eid));
      e.put("name", name);
      e.putArray("roles");
      e.put("require_colons", true);
      e.put("managed", false);
      e.put("animated", false);
      e.put("available", true);
    });
    g.putArray("stickers");
    g.put("joined_at", timestamp(Snowflakes.millis(state.guildId)));
    g.put("large", false);
    g.put("unavailable", false);
    g.put("member_count", state.memberCount());
    g.putArray("voice_states");
    ArrayNode members = g.putArray("members");
    if (botUserId != null) {
      DcUser bot = state.userOrNull(botUserId);
      if (bot != null) {
        members.add(memberWithUser(bot));
      }
    }
    ArrayNode channels = g.putArray("channels");
    ArrayNode threads = g.putArray("threads");
    for (DcChannel c : state.allChannels()) {
      if (c.isThread()) {
        if (!c.archived) {
          threads.add(thread(c));
        }
      } else {
        channels.add(channel(c));
      }
    }
    g.putArray("presences");
    g.putArray("stage_instances");
    g.putArray("guild_scheduled_events");
    g.putArray("soundboard_sounds");
    return g;
  }
}
