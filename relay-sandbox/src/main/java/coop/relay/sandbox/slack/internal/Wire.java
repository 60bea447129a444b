package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.internal.SandboxJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the workspace's objects in Slack's JSON shapes: users.info's user, conversations.info's
 * conversation, the message object of chat.postMessage and conversations.history, file objects.
 * Called under the state's lock.
 */
final class Wire {
  static final String BOT_ICON = "https://a.slack-edge.com/80588/img/plugins/app/bot_%d.png";
  static final String DEFAULT_AVATAR = "https://a.slack-edge.com/80588/img/avatars/ava_0001-%d.png";
  private static final int[] AVATAR_SIZES = {24, 32, 48, 72, 192, 512, 1024};

  final String teamId;
  final String teamDomain;
  private final Function<String, @Nullable SlackUser> users;
  private final Supplier<String> baseUrl;
  private final Emoji emoji;

  Wire(String teamId, String teamDomain, Function<String, @Nullable SlackUser> users, Supplier<String> baseUrl, Emoji emoji) {
    this.teamId = teamId;
    this.teamDomain = teamDomain;
    this.users = users;
    this.baseUrl = baseUrl;
    this.emoji = emoji;
  }

  ObjectNode object() {
    return SandboxJson.mapper().createObjectNode();
  }

  ArrayNode array() {
    return SandboxJson.mapper().createArrayNode();
  }

  // ---------------------------------------------------------------- users

  ObjectNode user(SlackUser u) {
    ObjectNode node = object();
    node.put("id", u.id());
    node.put("team_id", teamId);
    node.put("name", u.name());
    node.put("deleted", false);
    node.put("color", u.bot() ? "757575" : "9f69e7");
    node.put("real_name", u.realName());
    node.put("tz", "Europe/Amsterdam");
    node.put("tz_label", "Central European Time");
    node.put("tz_offset", 3600);
    ObjectNode profile = node.putObject("profile");
    profile.put("title", "");
    profile.put("phone", "");
    profile.put("skype", "");
    profile.put("real_name", u.realName());
    profile.put("real_name_normalized", u.realName());
    profile.put("display_name", u.displayName());
    profile.put("display_name_normalized", u.displayName());
    profile.putNull("fields");
    profile.put("status_text", "");
    profile.put("status_emoji", "");
    profile.put("status_expiration", 0);
    profile.put("avatar_hash", avatarHash(u));
    if (u.bot()) {
      profile.put("api_app_id", u.appId());
      profile.put("always_active", true);
      profile.put("bot_id", u.botId());
    }
    if (u.avatarUrl() != null) {
      profile.put("image_original", u.avatarUrl());
      profile.put("is_custom_image", true);
    }
    String first = u.realName().contains(" ") ? u.realName().substring(0, u.realName().indexOf(' ')) : u.realName();
    profile.put("first_name", first);
    profile.put("last_name", u.realName().length() > first.length() ? u.realName().substring(first.length() + 1) : "");
    for (int size : AVATAR_SIZES) {
      profile.put("image_" + size, avatar(u, size));
    }
    profile.put("team", teamId);
    node.put("is_admin", false);
    node.put("is_owner", false);
    node.put("is_primary_owner", false);
    node.put("is_restricted", false);
    node.put("is_ultra_restricted", false);
    node.put("is_bot", u.bot());
    node.put("is_app_user", false);
    node.put("updated", u.updated());
    return node;
  }

  String avatar(SlackUser u, int size) {
    if (u.avatarUrl() != null) {
      return u.avatarUrl();
    }
    return String.format(Locale.ROOT, u.bot() ? BOT_ICON : DEFAULT_AVATAR, size);
  }

  private static String avatarHash(SlackUser u) {
    String source = u.avatarUrl() == null ? u.id() : u.avatarUrl();
    return "g" + HexFormat.of().formatHex(Integer.toHexString(source.hashCode()).getBytes(StandardCharsets.US_ASCII)).substring(0, 11);
  }

  // ---------------------------------------------------------------- conversations

  ObjectNode channel(SlackChannel c, boolean member, boolean numMembers) {
    ObjectNode node = object();
    node.put("id", c.id);
    node.put("name", c.name);
    node.put("is_channel", true);
    node.put("is_group", false);
    node.put("is_im", false);
    node.put("is_mpim", false);
    node.put("is_private", c.isPrivate);
    node.put("created", c.created);
    node.put("is_archived", false);
    node.put("is_general", false);
    node.put("unlinked", 0);
    node.put("name_normalized", c.name);
    node.put("is_shared", false);
    node.put("is_org_shared", false);
    node.put("is_ext_shared", false);
    node.put("is_pending_ext_shared", false);
    node.putArray("pending_shared");
    node.putArray("pending_connected_team_ids");
    node.putArray("shared_team_ids").add(teamId);
    node.put("creator", c.creator);
    node.put("is_member", member);
    ObjectNode topic = node.putObject("topic");
    topic.put("value", "");
    topic.put("creator", "");
    topic.put("last_set", 0);
    ObjectNode purpose = node.putObject("purpose");
    purpose.put("value", c.title.equals(c.name) ? "" : c.title);
    purpose.put("creator", c.title.equals(c.name) ? "" : c.creator);
    purpose.put("last_set", c.title.equals(c.name) ? 0 : c.created);
    node.putArray("previous_names");
    if (numMembers) {
      node.put("num_members", c.members.size());
    }
    return node;
  }

  // ---------------------------------------------------------------- messages

  /** The message as conversations.history and chat.postMessage show it. */
  ObjectNode message(SlackMessage m, boolean withMetadata) {
    ObjectNode node = object();
    if (m.app != null) {
      node.put("bot_id", m.app.botId);
    }
    node.put("type", "message");
    if (m.subtype != null) {
      node.put("subtype", m.subtype);
    }
    node.put("text", m.text);
    if (!m.isPuppet()) {
      node.put("user", m.user);
    }
    if (m.clientMsgId != null) {
      node.put("client_msg_id", m.clientMsgId);
    }
    node.put("ts", m.ts);
    if (m.app != null) {
      node.put("app_id", m.app.appId);
    }
    if (m.isPuppet()) {
      node.put("username", m.username == null ? m.app.name : m.username);
      ObjectNode icons = node.putObject("icons");
      if (m.iconEmoji != null) {
        icons.put("emoji", m.iconEmoji);
        icons.put("image_64", emoji.imageUrl(m.iconEmoji));
      } else {
        icons.put("image_64", m.iconUrl != null ? m.iconUrl : String.format(Locale.ROOT, BOT_ICON, 72));
      }
    }
    node.put("team", teamId);
    if (m.app != null && !m.isPuppet()) {
      node.set("bot_profile", botProfile(m.app));
    }
    if (m.blocks != null) {
      node.set("blocks", m.blocks.deepCopy());
    }
    if (m.attachments != null) {
      node.set("attachments", m.attachments.deepCopy());
    }
    if (!m.files.isEmpty()) {
      ArrayNode files = node.putArray("files");
      for (SlackFile f : m.files) {
        files.add(file(f, List.of(m)));
      }
      node.put("upload", false);
      node.put("display_as_bot", false);
    }
    if (m.editedTs != null) {
      ObjectNode edited = node.putObject("edited");
      edited.put("user", m.editedBy);
      edited.put("ts", m.editedTs);
    }
    if (m.threadTs != null) {
      node.put("thread_ts", m.threadTs);
      SlackUser parent = rootAuthor(m);
      if (parent != null && !"thread_broadcast".equals(m.subtype)) {
        node.put("parent_user_id", parent.id());
      }
    } else if (!m.replies.isEmpty()) {
      threadSummary(node, m);
    }
    if (!m.reactions.isEmpty()) {
      ArrayNode reactions = node.putArray("reactions");
      m.reactions.forEach((name, who) -> {
        ObjectNode r = reactions.addObject();
        r.put("name", name);
        ArrayNode list = r.putArray("users");
        who.forEach(list::add);
        r.put("count", who.size());
      });
    }
    if (withMetadata && m.metadata != null) {
      node.set("metadata", m.metadata.deepCopy());
    }
    return node;
  }

  private @Nullable SlackUser rootAuthor(SlackMessage m) {
    return m.threadTs == null ? null : rootLookup.apply(m);
  }

  /** Finds a reply's root message author; set by the state, which owns the messages. */
  Function<SlackMessage, @Nullable SlackUser> rootLookup = m -> null;

  void threadSummary(ObjectNode node, SlackMessage root) {
    node.put("thread_ts", root.ts);
    node.put("reply_count", root.replies.size());
    node.put("reply_users_count", root.replyUsers.size());
    node.put("latest_reply", root.replies.get(root.replies.size() - 1));
    ArrayNode users = node.putArray("reply_users");
    root.replyUsers.forEach(users::add);
    node.put("is_locked", false);
    node.put("subscribed", false);
  }

  /** The {@code root} object of a {@code thread_broadcast} message. */
  ObjectNode broadcastRoot(SlackMessage root) {
    ObjectNode node = message(root, false);
    node.remove("reactions");
    node.remove("files");
    return node;
  }

  ObjectNode botProfile(SlackApp app) {
    ObjectNode p = object();
    p.put("id", app.botId);
    p.put("deleted", false);
    p.put("name", app.name);
    p.put("updated", app.created);
    p.put("app_id", app.appId);
    ObjectNode icons = p.putObject("icons");
    SlackUser bot = users.apply(app.botUserId);
    for (int size : new int[] {36, 48, 72}) {
      icons.put("image_" + size, bot != null && bot.avatarUrl() != null ? bot.avatarUrl() : String.format(Locale.ROOT, BOT_ICON, size));
    }
    p.put("team_id", teamId);
    return p;
  }

  // ---------------------------------------------------------------- files

  ObjectNode file(SlackFile f, List<SlackMessage> shares) {
    ObjectNode node = object();
    String base = baseUrl.get();
    String name = URLEncoder.encode(f.name, StandardCharsets.UTF_8).replace("+", "%20");
    node.put("id", f.id);
    node.put("created", f.created);
    node.put("timestamp", f.created);
    node.put("name", f.name);
    node.put("title", f.title);
    node.put("mimetype", f.mimetype);
    node.put("filetype", fileType(f.name));
    node.put("pretty_type", prettyType(f.name));
    node.put("user", f.user);
    node.put("user_team", teamId);
    node.put("editable", false);
    node.put("size", f.size());
    node.put("mode", "hosted");
    node.put("is_external", false);
    node.put("external_type", "");
    node.put("is_public", shares.stream().anyMatch(m -> !m.channelId.startsWith("G")));
    node.put("public_url_shared", false);
    node.put("display_as_bot", false);
    node.put("username", "");
    node.put("url_private", base + "/files-pri/" + teamId + "-" + f.id + "/" + name);
    node.put("url_private_download", base + "/files-pri/" + teamId + "-" + f.id + "/download/" + name);
    node.put("permalink", base + "/files/" + f.user + "/" + f.id + "/" + name);
    node.put("permalink_public", base + "/files-pub/" + teamId + "-" + f.id + "-" + Integer.toHexString(f.id.hashCode()));
    if (f.altText != null) {
      node.put("alt_txt", f.altText);
    }
    node.put("has_rich_preview", false);
    node.put("file_access", "visible");
    node.put("comments_count", 0);
    node.put("is_starred", false);
    ArrayNode channels = node.putArray("channels");
    ObjectNode publicShares = node.putObject("shares").putObject("public");
    for (SlackMessage m : shares) {
      if (!containsText(channels, m.channelId)) {
        channels.add(m.channelId);
      }
      ObjectNode share = publicShares.putArray(m.channelId).addObject();
      share.put("reply_users_count", 0);
      share.put("reply_count", 0);
      share.put("ts", m.ts);
      share.put("channel_name", m.channelId);
      share.put("team_id", teamId);
      share.put("share_user_id", m.user);
      share.put("source", "UNKNOWN");
      if (m.threadTs != null) {
        share.put("thread_ts", m.threadTs);
      }
    }
    node.putArray("groups");
    node.putArray("ims");
    node.put("has_more_shares", false);
    return node;
  }

  private static boolean containsText(ArrayNode array, String value) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i).asString().equals(value)) {
        return true;
      }
    }
    return false;
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static String fileType(String name) {
    return switch (extension(name)) {
      case "png", "gif", "pdf", "zip", "csv", "mp4", "mp3", "webp", "svg", "json", "html" -> extension(name);
      case "jpg", "jpeg" -> "jpg";
      case "txt", "text", "md" -> "text";
      default -> "binary";
    };
  }

  static String prettyType(String name) {
    return switch (fileType(name)) {
      case "png" -> "PNG";
      case "jpg" -> "JPEG";
      case "gif" -> "GIF";
      case "webp" -> "WebP";
      case "pdf" -> "PDF";
      case "text" -> "Plain Text";
      case "binary" -> "Binary";
      default -> fileType(name).toUpperCase(Locale.ROOT);
    };
  }
}
