package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxAttachment;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.internal.ChangeFeed;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the Slack emulator knows: the workspace's apps, users, channels, messages and files,
 * with Slack's rules for changing them, and the events each change sends to the apps. One lock
 * guards it all; every operation is short and in memory.
 */
final class SlackState {

  /** Limits and switches from the emulator's builder. */
  record Settings(String teamId, String teamName, int textLimit, long uploadLimit, @Nullable Duration unfurlDelay) {}

  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9_\\-\\p{L}]{1,80}");
  private static final Pattern METADATA_TYPE = Pattern.compile("[A-Za-z0-9_.\\-]{1,255}");
  private static final int MAX_EMOJI_PER_MESSAGE = 23;
  private static final Pattern LINK = Pattern.compile("<(https?://[^|>\\s]+)(?:\\|[^>]*)?>|(?<![<|])\\b(https?://[^\\s<>|]+)");
  private static final Pattern MEDIA = Pattern.compile("(?i).*\\.(png|jpe?g|gif|webp|mp4|mov)$|https?://(www\\.)?(youtube\\.com|youtu\\.be|vimeo\\.com)/.*");
  private static final int MAX_UNFURLS = 5;

  final Settings settings;
  final ChangeFeed feed;
  final Wire wire;
  final Emoji emoji;
  private final Scheduler scheduler;
  private final SlackIds ids = new SlackIds();
  private final Map<String, SlackApp> apps = new LinkedHashMap<>();
  private final Map<String, SlackUser> users = new LinkedHashMap<>();
  private final Map<String, SlackChannel> channels = new LinkedHashMap<>();
  private final Map<String, LinkedHashMap<String, SlackMessage>> messages = new HashMap<>();
  private final Map<String, SlackFile> files = new HashMap<>();
  private final Map<String, SlackFile> uploads = new HashMap<>();
  private long lastMicros;
  private @Nullable String baseUrl;
  private Outbox outbox = (app, event) -> {};

  SlackState(Settings settings, Scheduler scheduler, Map<String, String> customEmoji) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.emoji = new Emoji(customEmoji);
    this.feed = new ChangeFeed("slack", () -> Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)));
    String domain = settings.teamName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    this.wire = new Wire(settings.teamId(), domain.isEmpty() ? "sandbox" : domain, users::get, this::baseUrl, emoji);
    this.wire.rootLookup = m -> {
      SlackMessage root = m.threadTs == null ? null : find(m.channelId, m.threadTs);
      return root == null ? null : users.get(root.user);
    };
  }

  synchronized void outbox(Outbox outbox) {
    this.outbox = outbox;
  }

  synchronized void baseUrl(@Nullable String url) {
    this.baseUrl = url;
  }

  synchronized String baseUrl() {
    return baseUrl == null ? "http://127.0.0.1" : baseUrl;
  }

  long nowSeconds() {
    return scheduler.now(TimeUnit.SECONDS);
  }

  long nowMillis() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  /** A new message timestamp: epoch seconds with six digits of microseconds, unique and increasing. */
  private String nextTs() {
    long micros = Math.max(scheduler.now(TimeUnit.MILLISECONDS) * 1000, lastMicros + 1);
    lastMicros = micros;
    return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  // ---------------------------------------------------------------- apps and users

  synchronized SlackApp addApp(SlackEngine.AppSpec spec) {
    for (SlackApp a : apps.values()) {
      if (a.name.equals(spec.name())) {
        throw new IllegalArgumentException("two apps are named " + spec.name() + "; give each its own name");
      }
      if (a.botToken.equals(spec.botToken()) || (spec.appToken() != null && spec.appToken().equals(a.appToken))) {
        throw new IllegalArgumentException("apps " + a.name + " and " + spec.name() + " share a token; give each its own");
      }
    }
    String handle = spec.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.\\-]+", "_");
    SlackApp app = new SlackApp(
        spec.name(),
        ids.app(),
        ids.bot(),
        ids.user(),
        spec.botToken(),
        spec.appToken(),
        spec.signingSecret(),
        randomToken(24),
        spec.customize(),
        spec.allMetadata(),
        nowSeconds());
    app.requestUrl = spec.requestUrl();
    if (spec.appToken() == null && spec.requestUrl() != null) {
      app.socketMode = false;
    }
    users.put(app.botUserId, new SlackUser(app.botUserId, handle, spec.name(), spec.name(), spec.iconUrl(), app.botId, app.appId, nowSeconds()));
    apps.put(app.name, app);
    for (SlackChannel c : channels.values()) {
      c.members.add(app.botUserId);
    }
    return app;
  }

  synchronized @Nullable SlackApp appByBotToken(String token) {
    for (SlackApp a : apps.values()) {
      if (a.botToken.equals(token)) {
        return a;
      }
    }
    return null;
  }

  synchronized @Nullable SlackApp appByAppToken(String token) {
    for (SlackApp a : apps.values()) {
      if (token.equals(a.appToken)) {
        return a;
      }
    }
    return null;
  }

  synchronized @Nullable SlackApp appById(String appId) {
    for (SlackApp a : apps.values()) {
      if (a.appId.equals(appId)) {
        return a;
      }
    }
    return null;
  }

  synchronized SlackApp app(String name) {
    SlackApp app = apps.get(name);
    if (app == null) {
      throw SandboxException.notFound("no Slack app named " + name + "; the emulator has " + apps.keySet());
    }
    return app;
  }

  synchronized List<SlackApp> apps() {
    return List.copyOf(apps.values());
  }

  synchronized SandboxUser createUser(NewUser spec) {
    if (spec.displayName() == null || spec.displayName().isBlank()) {
      throw SandboxException.invalid("a user needs a display name");
    }
    String handle = spec.username();
    if (handle != null) {
      handle = handle.startsWith("@") ? handle.substring(1) : handle;
      if (!handle.matches("[a-z0-9][a-z0-9._\\-]{0,79}")) {
        throw SandboxException.invalid(
            "Slack usernames are up to 80 lower-case letters, digits, periods, hyphens and underscores; got " + handle);
      }
    } else {
      handle = spec.displayName().strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._\\-]+", ".").replaceAll("^\\.+|\\.+$", "");
      if (handle.isEmpty()) {
        handle = "user";
      }
    }
    for (SlackUser u : users.values()) {
      if (u.name().equals(handle)) {
        if (spec.username() != null) {
          throw SandboxException.conflict("the username " + handle + " is taken");
        }
        handle = handle + (users.size() + 1);
      }
    }
    String name = spec.displayName().strip();
    SlackUser user = new SlackUser(ids.user(), handle, name, name, spec.avatarUrl(), null, null, nowSeconds());
    users.put(user.id(), user);
    for (SlackChannel c : channels.values()) {
      c.members.add(user.id());
    }
    SandboxUser out = sandboxUser(user);
    feed.user(out);
    return out;
  }

  synchronized List<SandboxUser> users() {
    List<SandboxUser> out = new ArrayList<>();
    users.values().forEach(u -> out.add(sandboxUser(u)));
    return out;
  }

  private SandboxUser sandboxUser(SlackUser u) {
    return new SandboxUser(u.id(), u.shownName(), u.name(), u.avatarUrl(), u.bot());
  }

  private SlackUser person(String userId) {
    SlackUser user = users.get(userId);
    if (user == null) {
      throw SandboxException.notFound("no Slack user " + userId + "; create one with createUser");
    }
    if (user.bot()) {
      throw SandboxException.invalid("user " + userId + " is an app's bot user; apps act through the Web API, not the control API");
    }
    return user;
  }

  // ---------------------------------------------------------------- channels

  synchronized SandboxChannel createChannel(NewChannel spec) {
    if (spec.name() == null || spec.name().isBlank()) {
      throw SandboxException.invalid("a channel needs a name");
    }
    String type = spec.type() == null ? "public_channel" : spec.type();
    if (!type.equals("public_channel") && !type.equals("private_channel")) {
      throw SandboxException.invalid("Slack channels are of type public_channel (the default) or private_channel; got " + type);
    }
    String title = spec.name().strip();
    String name = title.toLowerCase(Locale.ROOT).replaceAll("\\s+", "-").replaceAll("[^a-z0-9_\\-\\p{L}]", "");
    if (!CHANNEL_NAME.matcher(name).matches()) {
      throw SandboxException.invalid("a Slack channel name needs 1-80 lower-case letters, digits, - or _; got " + title);
    }
    for (SlackChannel c : channels.values()) {
      if (c.name.equals(name)) {
        throw SandboxException.conflict("a channel named #" + name + " exists (Slack's name_taken)");
      }
    }
    // Someone created it: the first person, or an app's bot user in a workspace without people yet.
    String creator = users.values().stream().filter(u -> !u.bot()).map(SlackUser::id).findFirst()
        .orElse(users.isEmpty() ? "" : users.keySet().iterator().next());
    SlackChannel channel = new SlackChannel(ids.channel(), name, title, type.equals("private_channel"), creator, nowSeconds());
    channel.members.addAll(users.keySet());
    channels.put(channel.id, channel);
    messages.put(channel.id, new LinkedHashMap<>());
    SandboxChannel out = sandboxChannel(channel);
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, out);
    return out;
  }

  synchronized List<SandboxChannel> channels() {
    List<SandboxChannel> out = new ArrayList<>();
    channels.values().forEach(c -> out.add(sandboxChannel(c)));
    return out;
  }

  private static SandboxChannel sandboxChannel(SlackChannel c) {
    return new SandboxChannel(c.id, c.name, c.type(), null);
  }

  private SlackChannel channelForControl(String channelId) {
    SlackChannel c = channels.get(channelId);
    if (c == null) {
      throw SandboxException.notFound("no Slack channel " + channelId + "; create one with createChannel");
    }
    return c;
  }

  /** The channel by id or {@code #name}, as the Web API's {@code channel} argument allows. */
  private SlackChannel channelForApi(@Nullable String idOrName) {
    if (idOrName == null || idOrName.isBlank()) {
      throw ApiException.of("channel_not_found");
    }
    SlackChannel c = channels.get(idOrName);
    if (c == null) {
      String name = idOrName.startsWith("#") ? idOrName.substring(1) : idOrName;
      for (SlackChannel candidate : channels.values()) {
        if (candidate.name.equals(name)) {
          return candidate;
        }
      }
      throw ApiException.of("channel_not_found");
    }
    return c;
  }

  private SlackChannel memberChannel(SlackApp app, @Nullable String idOrName) {
    SlackChannel c = channelForApi(idOrName);
    if (!c.members.contains(app.botUserId)) {
      if (c.isPrivate) {
        // A private channel the bot is not in does not exist as far as the bot can tell.
        throw ApiException.of("channel_not_found");
      }
      throw ApiException.of("not_in_channel");
    }
    return c;
  }

  /** Makes {@code app}'s bot user join or leave a channel (platform control). */
  synchronized void membership(String appName, String channelId, boolean join) {
    SlackApp app = app(appName);
    SlackChannel c = channelForControl(channelId);
    if (join) {
      c.members.add(app.botUserId);
    } else {
      c.members.remove(app.botUserId);
    }
  }

  // ---------------------------------------------------------------- Web API: reading

  synchronized ObjectNode authTest(SlackApp app) {
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("url", "https://" + wire.teamDomain + ".slack.com/");
    node.put("team", settings.teamName());
    node.put("user", users.get(app.botUserId).name());
    node.put("team_id", settings.teamId());
    node.put("user_id", app.botUserId);
    node.put("bot_id", app.botId);
    node.put("is_enterprise_install", false);
    return node;
  }

  synchronized ObjectNode usersInfo(@Nullable String userId) {
    SlackUser user = userId == null ? null : users.get(userId);
    if (user == null) {
      throw ApiException.of("user_not_found");
    }
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.set("user", wire.user(user));
    return node;
  }

  synchronized ObjectNode conversationsInfo(SlackApp app, @Nullable String channelId, boolean numMembers) {
    SlackChannel c = channelForApi(channelId);
    boolean member = c.members.contains(app.botUserId);
    if (c.isPrivate && !member) {
      throw ApiException.of("channel_not_found");
    }
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.set("channel", wire.channel(c, member, numMembers));
    return node;
  }

  /** conversations.history: top-level messages (and broadcasts), newest first. */
  synchronized ObjectNode history(SlackApp app, @Nullable String channelId, int limit, @Nullable String oldest,
      @Nullable String latest, boolean inclusive, boolean includeAllMetadata) {
    SlackChannel c = channelForApi(channelId);
    if (!c.members.contains(app.botUserId)) {
      throw ApiException.of(c.isPrivate ? "channel_not_found" : "not_in_channel");
    }
    List<SlackMessage> shown = new ArrayList<>();
    for (SlackMessage m : messages.get(c.id).values()) {
      if (!m.deleted && (!m.isReply() || "thread_broadcast".equals(m.subtype)) && inRange(m.ts, oldest, latest, inclusive)) {
        shown.add(m);
      }
    }
    return page(app, shown, limit, includeAllMetadata, true);
  }

  /** conversations.replies: a thread's root and replies, oldest first. */
  synchronized ObjectNode replies(SlackApp app, @Nullable String channelId, @Nullable String ts, int limit,
      @Nullable String oldest, @Nullable String latest, boolean inclusive, boolean includeAllMetadata) {
    SlackChannel c = channelForApi(channelId);
    if (!c.members.contains(app.botUserId)) {
      throw ApiException.of(c.isPrivate ? "channel_not_found" : "not_in_channel");
    }
    SlackMessage root = ts == null ? null : find(c.id, ts);
    if (root == null || root.deleted) {
      throw ApiException.of("thread_not_found");
    }
    String rootTs = root.isReply() ? root.threadTs : root.ts;
    List<SlackMessage> shown = new ArrayList<>();
    for (SlackMessage m : messages.get(c.id).values()) {
      boolean inThread = m.ts.equals(rootTs) || rootTs.equals(m.threadTs);
      if (inThread && !m.deleted && (m.ts.equals(rootTs) || inRange(m.ts, oldest, latest, inclusive))) {
        shown.add(m);
      }
    }
    return page(app, shown, limit, includeAllMetadata, false);
  }

  private ObjectNode page(SlackApp app, List<SlackMessage> shown, int limit, boolean allMetadata, boolean newestFirst) {
    int max = limit < 1 ? 100 : Math.min(limit, 999);
    List<SlackMessage> ordered = new ArrayList<>(shown);
    if (newestFirst) {
      java.util.Collections.reverse(ordered);
    }
    ObjectNode node = wire.object();
    node.put("ok", true);
    ArrayNode list = node.putArray("messages");
    for (int i = 0; i < Math.min(max, ordered.size()); i++) {
      SlackMessage m = ordered.get(i);
      list.add(wire.message(m, allMetadata || app.allMetadata || m.app == app));
    }
    node.put("has_more", ordered.size() > max);
    if (newestFirst) {
      // conversations.history's extra fields; conversations.replies has none.
      node.put("pin_count", 0);
      node.putNull("channel_actions_ts");
      node.put("channel_actions_count", 0);
    }
    return node;
  }

  private static boolean inRange(String ts, @Nullable String oldest, @Nullable String latest, boolean inclusive) {
    if (oldest != null && !oldest.isEmpty()) {
      int cmp = compareTs(ts, oldest);
      if (cmp < 0 || (cmp == 0 && !inclusive)) {
        return false;
      }
    }
    if (latest != null && !latest.isEmpty()) {
      int cmp = compareTs(ts, latest);
      return cmp < 0 || (cmp == 0 && inclusive);
    }
    return true;
  }

  private static int compareTs(String a, String b) {
    try {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  // ---------------------------------------------------------------- Web API: writing

  synchronized ObjectNode postMessage(SlackApp app, PostRequest r) {
    SlackChannel c = memberChannel(app, r.channel());
    checkContent(r.text(), r.blocks(), r.attachments());
    SlackMessage root = threadRoot(c, r.threadTs());
    boolean puppet = app.customize && (r.username() != null || r.iconUrl() != null || r.iconEmoji() != null);
    String subtype = puppet ? "bot_message" : root != null && r.replyBroadcast() ? "thread_broadcast" : null;
    SlackMessage m = new SlackMessage(
        c.id,
        nextTs(),
        app.botUserId,
        app,
        subtype,
        puppet ? r.username() : null,
        puppet ? r.iconUrl() : null,
        puppet ? r.iconEmoji() : null,
        null,
        root == null ? null : root.ts,
        r.text());
    m.blocks = withBlockIds(r.blocks());
    m.attachments = numbered(r.attachments());
    m.metadata = r.metadata();
    store(c, m, root);
    unfurlLater(c, m, r.unfurlLinks(), r.unfurlMedia());
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("channel", c.id);
    node.put("ts", m.ts);
    ObjectNode message = wire.message(m, true);
    if (root != null && r.replyBroadcast() && !puppet) {
      message.set("root", wire.broadcastRoot(root));
    }
    node.set("message", message);
    return node;
  }

  synchronized ObjectNode meMessage(SlackApp app, @Nullable String channelId, String text) {
    SlackChannel c = memberChannel(app, channelId);
    checkContent(text, null, null);
    SlackMessage m = new SlackMessage(c.id, nextTs(), app.botUserId, app, "me_message", null, null, null, null, null, text);
    store(c, m, null);
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("channel", c.id);
    node.put("ts", m.ts);
    return node;
  }

  synchronized ObjectNode update(SlackApp app, @Nullable String channelId, @Nullable String ts, @Nullable String text,
      @Nullable JsonNode blocks, @Nullable JsonNode attachments, @Nullable ObjectNode metadata) {
    SlackChannel c = channelForApi(channelId);
    SlackMessage m = ts == null ? null : find(c.id, ts);
    if (m == null || m.deleted) {
      throw ApiException.of("message_not_found");
    }
    if (m.app != app) {
      throw ApiException.of("cant_update_message");
    }
    String newText = text == null ? (blocks != null || attachments != null ? "" : m.text) : text;
    checkContent(newText, blocks != null ? blocks : m.blocks, attachments != null ? attachments : m.attachments);
    Map<SlackApp, ObjectNode> before = snapshot(c, m);
    m.text = newText;
    if (blocks != null) {
      m.blocks = withBlockIds(blocks);
    }
    if (attachments != null) {
      m.attachments = numbered(attachments);
    }
    if (metadata != null) {
      m.metadata = metadata;
    }
    m.editedTs = nextTs();
    m.editedBy = app.botUserId;
    changed(c, m, before);
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("channel", c.id);
    node.put("ts", m.ts);
    node.put("text", m.text);
    ObjectNode message = wire.message(m, true);
    node.set("message", message);
    return node;
  }

  synchronized ObjectNode delete(SlackApp app, @Nullable String channelId, @Nullable String ts) {
    SlackChannel c = channelForApi(channelId);
    SlackMessage m = ts == null ? null : find(c.id, ts);
    if (m == null || m.deleted) {
      throw ApiException.of("message_not_found");
    }
    if (m.app != app) {
      throw ApiException.of("cant_delete_message");
    }
    deleteMessage(c, m);
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("channel", c.id);
    node.put("ts", m.ts);
    return node;
  }

  synchronized void reaction(SlackApp app, @Nullable String channelId, @Nullable String ts, @Nullable String name, boolean add) {
    if (name == null || name.isEmpty()) {
      throw ApiException.of("invalid_name");
    }
    SlackChannel c = channelForApi(channelId);
    if (ts == null || ts.isEmpty()) {
      throw ApiException.of("no_item_specified");
    }
    if (!ts.matches("\\d+\\.\\d+")) {
      throw ApiException.of("bad_timestamp");
    }
    SlackMessage m = find(c.id, ts);
    if (m == null || m.deleted) {
      throw ApiException.of("message_not_found");
    }
    String canonical = emoji.canonicalName(name);
    if (canonical == null) {
      throw ApiException.of("invalid_name");
    }
    react(c, m, app.botUserId, canonical, add);
  }

  // ---------------------------------------------------------------- Web API: files

  synchronized ObjectNode uploadUrl(SlackApp app, @Nullable String filename, long length, @Nullable String altText) {
    if (filename == null || filename.isBlank() || length < 1) {
      throw ApiException.of("invalid_arguments");
    }
    if (length > settings.uploadLimit()) {
      throw ApiException.of("file_too_large");
    }
    SlackFile f = new SlackFile(ids.file(), filename, app.botUserId, length, altText);
    f.created = nowSeconds();
    files.put(f.id, f);
    String key = randomToken(32);
    uploads.put(key, f);
    ObjectNode node = wire.object();
    node.put("ok", true);
    node.put("upload_url", baseUrl() + "/upload/v1/" + key);
    node.put("file_id", f.id);
    return node;
  }

  /** Stores an upload's bytes; {@code false} if the upload URL is unknown or already used. */
  synchronized boolean upload(String key, byte[] data, @Nullable String contentType) {
    SlackFile f = uploads.remove(key);
    if (f == null) {
      return false;
    }
    f.data = data;
    f.mimetype = mediaType(f.name, contentType);
    return true;
  }

  synchronized ObjectNode completeUpload(SlackApp app, JsonNode fileList, @Nullable String channelId,
      @Nullable String initialComment, @Nullable String threadTs) {
    if (!fileList.isArray() || fileList.isEmpty()) {
      throw ApiException.of("invalid_arguments");
    }
    List<SlackFile> completed = new ArrayList<>();
    for (JsonNode entry : fileList) {
      SlackFile f = files.get(entry.path("id").asString(""));
      if (f == null || f.data == null || !f.user.equals(app.botUserId) || f.completed) {
        throw ApiException.of("file_not_found");
      }
      if (entry.hasNonNull("title")) {
        f.title = entry.get("title").asString();
      }
      completed.add(f);
    }
    SlackChannel c = channelId == null || channelId.isEmpty() ? null : memberChannel(app, channelId);
    SlackMessage root = c == null ? null : threadRoot(c, threadTs);
    String comment = initialComment == null ? "" : initialComment;
    if (comment.length() > settings.textLimit()) {
      throw ApiException.of("msg_too_long");
    }
    completed.forEach(f -> f.completed = true);
    SlackMessage m = null;
    if (c != null) {
      m = new SlackMessage(c.id, nextTs(), app.botUserId, app, "file_share", null, null, null, null, root == null ? null : root.ts, comment);
      m.files.addAll(completed);
      store(c, m, root);
    }
    ObjectNode node = wire.object();
    node.put("ok", true);
    ArrayNode out = node.putArray("files");
    for (SlackFile f : completed) {
      out.add(wire.file(f, m == null ? List.of() : List.of(m)));
    }
    return node;
  }

  /** A file's bytes for a download by an app of the workspace, or {@code null} if it does not exist. */
  synchronized @Nullable SlackFile download(String fileId) {
    SlackFile f = files.get(fileId);
    return f == null || f.data == null || !f.completed ? null : f;
  }

  // ---------------------------------------------------------------- control API

  synchronized HistoryEntry post(Post post) {
    SlackChannel c = channelForControl(post.channelId());
    SlackUser user = person(post.userId());
    String threadTs = post.threadId();
    if (threadTs == null && post.replyTo() != null) {
      SlackMessage target = find(c.id, post.replyTo());
      if (target == null || target.deleted) {
        throw SandboxException.notFound("no message " + post.replyTo() + " in " + c.id + " to reply to");
      }
      // Slack has no reply-to: answering a message is replying in its thread.
      threadTs = target.isReply() ? target.threadTs : target.ts;
    }
    SlackMessage root = null;
    if (threadTs != null) {
      root = find(c.id, threadTs);
      if (root == null || root.deleted || root.isReply()) {
        throw SandboxException.notFound("no thread root " + threadTs + " in " + c.id);
      }
    }
    String text = post.text();
    String subtype = null;
    if (text.startsWith("/me ")) {
      text = text.substring(4);
      subtype = "me_message";
    }
    SandboxFile attachment = post.attachment();
    if (attachment != null) {
      subtype = "file_share";
    } else if (text.isBlank()) {
      throw SandboxException.invalid("Slack refuses a message without text (no_text); attach a file or write something");
    }
    if (text.length() > settings.textLimit()) {
      throw SandboxException.invalid("Slack refuses messages over " + settings.textLimit() + " characters (msg_too_long)");
    }
    SlackMessage m = new SlackMessage(c.id, nextTs(), user.id(), null, subtype, null, null, null,
        UUID.randomUUID().toString(), root == null ? null : root.ts, text);
    if (attachment != null) {
      SlackFile f = new SlackFile(ids.file(), attachment.fileName(), user.id(), attachment.size(), null);
      f.data = attachment.data();
      f.mimetype = attachment.mediaType();
      f.created = nowSeconds();
      f.completed = true;
      files.put(f.id, f);
      m.files.add(f);
    }
    store(c, m, root);
    unfurlLater(c, m, true, true);
    return entry(m);
  }

  synchronized HistoryEntry broadcastReply(String channelId, String threadTs, String userId, String text) {
    SlackChannel c = channelForControl(channelId);
    SlackUser user = person(userId);
    SlackMessage root = find(c.id, threadTs);
    if (root == null || root.deleted || root.isReply()) {
      throw SandboxException.notFound("no thread root " + threadTs + " in " + c.id);
    }
    if (text.isBlank()) {
      throw SandboxException.invalid("Slack refuses a message without text (no_text)");
    }
    SlackMessage m = new SlackMessage(c.id, nextTs(), user.id(), null, "thread_broadcast", null, null, null,
        UUID.randomUUID().toString(), root.ts, text);
    store(c, m, root);
    unfurlLater(c, m, true, true);
    return entry(m);
  }

  synchronized HistoryEntry createThread(String channelId, String userId, String title) {
    if (title == null || title.isBlank()) {
      throw SandboxException.invalid("a thread needs a title: on Slack it is the text of its first message");
    }
    return post(Post.of(channelId, userId, title));
  }

  synchronized HistoryEntry edit(String channelId, String ts, String userId, String text) {
    SlackChannel c = channelForControl(channelId);
    SlackUser user = person(userId);
    SlackMessage m = message(c, ts);
    if (!m.user.equals(user.id())) {
      throw SandboxException.conflict("only the author can edit message " + ts + " on Slack");
    }
    if (text.isBlank() && m.files.isEmpty()) {
      throw SandboxException.invalid("Slack refuses an edit to empty text (no_text); delete the message instead");
    }
    if (text.length() > settings.textLimit()) {
      throw SandboxException.invalid("Slack refuses messages over " + settings.textLimit() + " characters (msg_too_long)");
    }
    Map<SlackApp, ObjectNode> before = snapshot(c, m);
    m.text = text;
    m.editedTs = nextTs();
    m.editedBy = user.id();
    changed(c, m, before);
    return entry(m);
  }

  synchronized void delete(String channelId, String ts, String userId) {
    SlackChannel c = channelForControl(channelId);
    SlackUser user = person(userId);
    SlackMessage m = message(c, ts);
    if (!m.user.equals(user.id())) {
      throw SandboxException.conflict("only the author can delete message " + ts + " in the sandbox");
    }
    deleteMessage(c, m);
  }

  synchronized void react(String channelId, String ts, String userId, String unicode, boolean add) {
    SlackChannel c = channelForControl(channelId);
    SlackUser user = person(userId);
    SlackMessage m = message(c, ts);
    String name = emoji.nameOf(unicode);
    if (name == null) {
      name = emoji.canonicalName(unicode.startsWith(":") && unicode.endsWith(":") ? unicode.substring(1, unicode.length() - 1) : unicode);
    }
    if (name == null) {
      throw SandboxException.invalid("the Slack emulator does not know the emoji " + unicode + "; use a common one such as 👍");
    }
    try {
      react(c, m, user.id(), name, add);
    } catch (ApiException e) {
      throw SandboxException.conflict("Slack answered " + e.error + " for this reaction");
    }
  }

  synchronized List<HistoryEntry> history(String channelId) {
    SlackChannel c = channelForControl(channelId);
    List<HistoryEntry> out = new ArrayList<>();
    for (SlackMessage m : messages.get(c.id).values()) {
      out.add(entry(m));
    }
    return out;
  }

  synchronized SandboxFile controlFile(String fileId) {
    SlackFile f = files.get(fileId);
    if (f == null || f.data == null) {
      throw SandboxException.notFound("no Slack file " + fileId);
    }
    return new SandboxFile(f.name, f.mimetype, f.data);
  }

  private SlackMessage message(SlackChannel c, String ts) {
    SlackMessage m = find(c.id, ts);
    if (m == null) {
      throw SandboxException.notFound("no message " + ts + " in " + c.id);
    }
    if (m.deleted) {
      throw SandboxException.conflict("message " + ts + " is deleted");
    }
    return m;
  }

  // ---------------------------------------------------------------- shared rules

  private @Nullable SlackMessage find(String channelId, String ts) {
    Map<String, SlackMessage> inChannel = messages.get(channelId);
    return inChannel == null ? null : inChannel.get(ts);
  }

  private void checkContent(String text, @Nullable JsonNode blocks, @Nullable JsonNode attachments) {
    boolean hasBlocks = blocks != null && blocks.isArray() && !blocks.isEmpty();
    boolean hasAttachments = attachments != null && attachments.isArray() && !attachments.isEmpty();
    if (blocks != null && !blocks.isArray()) {
      throw ApiException.of("invalid_blocks_format");
    }
    if (hasBlocks) {
      if (blocks.size() > 50) {
        throw ApiException.of("invalid_blocks");
      }
      for (JsonNode b : blocks) {
        if (!b.isObject() || !b.path("type").isString()) {
          throw ApiException.of("invalid_blocks");
        }
      }
    }
    if (attachments != null && !attachments.isArray()) {
      throw ApiException.of("invalid_attachments");
    }
    if (text.isBlank() && !hasBlocks && !hasAttachments) {
      throw ApiException.of("no_text");
    }
    if (text.length() > settings.textLimit()) {
      throw ApiException.of("msg_too_long");
    }
    if (hasAttachments && attachments.size() > 100) {
      throw ApiException.of("too_many_attachments");
    }
  }

  private @Nullable SlackMessage threadRoot(SlackChannel c, @Nullable String threadTs) {
    if (threadTs == null || threadTs.isEmpty()) {
      return null;
    }
    SlackMessage root = find(c.id, threadTs);
    if (root == null || root.deleted) {
      throw ApiException.of("thread_not_found");
    }
    if (root.isReply()) {
      throw ApiException.of("cannot_reply_to_message");
    }
    return root;
  }

  /** Checks and normalizes the {@code metadata} argument ({@code {event_type, event_payload}}). */
  static @Nullable ObjectNode metadata(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject() || !node.path("event_type").isString()
        || !METADATA_TYPE.matcher(node.get("event_type").asString()).matches()
        || !node.path("event_payload").isObject()) {
      throw ApiException.of("invalid_metadata_format");
    }
    ObjectNode out = (ObjectNode) node.deepCopy();
    out.retain("event_type", "event_payload");
    return out;
  }

  private @Nullable JsonNode withBlockIds(@Nullable JsonNode blocks) {
    if (blocks == null || !blocks.isArray() || blocks.isEmpty()) {
      return null;
    }
    ArrayNode out = (ArrayNode) blocks.deepCopy();
    for (JsonNode b : out) {
      if (b instanceof ObjectNode o && !o.has("block_id")) {
        o.put("block_id", randomToken(5));
      }
    }
    return out;
  }

  private static @Nullable JsonNode numbered(@Nullable JsonNode attachments) {
    if (attachments == null || !attachments.isArray() || attachments.isEmpty()) {
      return null;
    }
    ArrayNode out = (ArrayNode) attachments.deepCopy();
    int id = 1;
    for (JsonNode a : out) {
      if (a instanceof ObjectNode o) {
        o.put("id", id++);
      }
    }
    return out;
  }

  private void store(SlackChannel c, SlackMessage m, @Nullable SlackMessage root) {
    messages.get(c.id).put(m.ts, m);
    if (root != null) {
      root.replies.add(m.ts);
      root.replyUsers.add(m.user);
    }
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry(m));
    emit(c, app -> {
      ObjectNode event = eventMessage(m, app);
      if ("thread_broadcast".equals(m.subtype) && root != null) {
        event.set("root", wire.broadcastRoot(root));
      }
      event.put("channel", c.id);
      event.put("event_ts", m.ts);
      event.put("channel_type", c.eventChannelType());
      return event;
    });
  }


  /**
   * Slack unfurls links a little after a message is posted: it adds link previews as {@code
   * attachments} and sends {@code message_changed} without {@code edited}. People's links always
   * unfurl; an app's only as its {@code unfurl_links} (text links) and {@code unfurl_media} ask.
   */
  private void unfurlLater(SlackChannel c, SlackMessage m, boolean links, boolean media) {
    Duration delay = settings.unfurlDelay();
    if (delay == null || m.attachments != null) {
      return;
    }
    List<String> urls = new ArrayList<>();
    java.util.regex.Matcher matcher = LINK.matcher(m.text);
    while (matcher.find() && urls.size() < MAX_UNFURLS) {
      String url = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      boolean isMedia = MEDIA.matcher(url).matches();
      if ((isMedia ? media : links) && !urls.contains(url)) {
        urls.add(url);
      }
    }
    if (urls.isEmpty()) {
      return;
    }
    String text = m.text;
    Mono.delay(delay, scheduler).subscribe(t -> unfurl(c, m, urls, text));
  }

  private synchronized void unfurl(SlackChannel c, SlackMessage m, List<String> urls, String text) {
    if (m.deleted || !m.text.equals(text) || m.attachments != null) {
      return;
    }
    Map<SlackApp, ObjectNode> before = snapshot(c, m);
    ArrayNode attachments = wire.array();
    int id = 1;
    for (String url : urls) {
      ObjectNode a = attachments.addObject();
      String host = java.net.URI.create(url).getHost();
      host = host == null ? url : host;
      a.put("id", id++);
      a.put("from_url", url);
      a.put("original_url", url);
      a.put("fallback", host);
      a.put("service_name", host);
      if (MEDIA.matcher(url).matches()) {
        a.put("image_url", url);
        a.put("image_width", 640);
        a.put("image_height", 480);
        a.put("image_bytes", 10240);
      } else {
        a.put("title", host);
        a.put("title_link", url);
        a.put("text", "");
      }
    }
    m.attachments = attachments;
    changed(c, m, before);
  }

  /** Each app's view of a message before a change, for {@code previous_message}. */
  private Map<SlackApp, ObjectNode> snapshot(SlackChannel c, SlackMessage m) {
    Map<SlackApp, ObjectNode> out = new HashMap<>();
    for (SlackApp app : apps.values()) {
      if (c.members.contains(app.botUserId)) {
        out.put(app, eventMessage(m, app));
      }
    }
    return out;
  }

  /**
   * A message inside an event: reactions travel as their own events, and files leave out where
   * they are shared (the event says), as in Slack's event payloads.
   */
  private ObjectNode eventMessage(SlackMessage m, SlackApp app) {
    ObjectNode node = wire.message(m, m.app == app || app.allMetadata);
    node.remove("reactions");
    for (JsonNode file : node.path("files")) {
      ((ObjectNode) file).remove(List.of("channels", "groups", "ims"));
    }
    return node;
  }

  private void changed(SlackChannel c, SlackMessage m, Map<SlackApp, ObjectNode> before) {
    feed.message(SandboxEvent.Type.MESSAGE_EDITED, entry(m));
    String eventTs = nextTs();
    emit(c, app -> {
      ObjectNode event = wire.object();
      event.put("type", "message");
      event.put("subtype", "message_changed");
      event.set("message", eventMessage(m, app));
      ObjectNode previous = before.get(app);
      if (previous != null) {
        event.set("previous_message", previous);
      }
      event.put("channel", c.id);
      event.put("hidden", true);
      event.put("ts", eventTs);
      event.put("event_ts", eventTs);
      event.put("channel_type", c.eventChannelType());
      return event;
    });
  }

  private void deleteMessage(SlackChannel c, SlackMessage m) {
    Map<SlackApp, ObjectNode> before = snapshot(c, m);
    m.deleted = true;
    feed.message(SandboxEvent.Type.MESSAGE_DELETED, entry(m));
    String eventTs = nextTs();
    emit(c, app -> {
      ObjectNode event = wire.object();
      event.put("type", "message");
      event.put("subtype", "message_deleted");
      event.put("hidden", true);
      event.put("deleted_ts", m.ts);
      event.put("channel", c.id);
      ObjectNode previous = before.get(app);
      if (previous != null) {
        event.set("previous_message", previous);
      }
      event.put("ts", eventTs);
      event.put("event_ts", eventTs);
      event.put("channel_type", c.eventChannelType());
      return event;
    });
  }

  private void react(SlackChannel c, SlackMessage m, String userId, String name, boolean add) {
    List<String> who = m.reactions.get(name);
    if (add) {
      if (who != null && who.contains(userId)) {
        throw ApiException.of("already_reacted");
      }
      if (who == null && m.reactions.size() >= MAX_EMOJI_PER_MESSAGE) {
        throw ApiException.of("too_many_emoji");
      }
      m.reactions.computeIfAbsent(name, n -> new ArrayList<>()).add(userId);
    } else {
      if (who == null || !who.remove(userId)) {
        throw ApiException.of("no_reaction");
      }
      if (who.isEmpty()) {
        m.reactions.remove(name);
      }
    }
    feed.message(SandboxEvent.Type.REACTIONS_CHANGED, entry(m));
    String eventTs = nextTs();
    emit(c, app -> {
      ObjectNode event = wire.object();
      event.put("type", add ? "reaction_added" : "reaction_removed");
      event.put("user", userId);
      event.put("reaction", name);
      ObjectNode item = event.putObject("item");
      item.put("type", "message");
      item.put("channel", c.id);
      item.put("ts", m.ts);
      event.put("item_user", m.user);
      event.put("event_ts", eventTs);
      return event;
    });
  }

  /** Wraps the event for every app whose bot user is in the channel and hands it to the outbox. */
  private void emit(SlackChannel c, Function<SlackApp, ObjectNode> event) {
    String eventId = ids.event();
    long time = nowSeconds();
    for (SlackApp app : apps.values()) {
      if (!app.active || !c.members.contains(app.botUserId)) {
        continue;
      }
      outbox.deliver(app, new EventCallback(eventId, callback(app, c, eventId, time, event.apply(app))));
    }
  }

  /** Slack's {@code event_callback} wrapper of {@code event} for {@code app}. */
  private ObjectNode callback(SlackApp app, SlackChannel c, String eventId, long time, ObjectNode event) {
    ObjectNode wrapper = wire.object();
    wrapper.put("token", app.verificationToken);
    wrapper.put("team_id", settings.teamId());
    wrapper.put("api_app_id", app.appId);
    wrapper.set("event", event);
    wrapper.put("type", "event_callback");
    wrapper.put("event_id", eventId);
    wrapper.put("event_time", time);
    ObjectNode auth = wrapper.putArray("authorizations").addObject();
    auth.putNull("enterprise_id");
    auth.put("team_id", settings.teamId());
    auth.put("user_id", app.botUserId);
    auth.put("is_bot", true);
    auth.put("is_enterprise_install", false);
    wrapper.put("is_ext_shared_channel", false);
    wrapper.put("event_context", "4-" + Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"et\":\"" + event.path("type").asString() + "\",\"tid\":\"" + settings.teamId()
            + "\",\"aid\":\"" + app.appId + "\",\"cid\":\"" + c.id + "\"}").getBytes(StandardCharsets.UTF_8)));
    return wrapper;
  }

  /**
   * Hands {@code app} an event from channel {@code channelId} whose wrapper is Slack's but whose
   * {@code event} has the wrong shape for its type, as after an unannounced payload change: a
   * {@code message} with {@code channel} an array, {@code user} a number and {@code ts} an object.
   * It is no message of the channel; it only goes through the app's delivery like any event.
   * Returns its {@code event_id}.
   *
   * @throws SandboxException NOT_FOUND for an unknown app or channel; CONFLICT when the app is
   *     deactivated or its bot user is not in the channel, as it then gets no events from there
   */
  synchronized String malformedEvent(String appName, String channelId) {
    SlackApp app = app(appName);
    if (channelId.isBlank()) {
      throw SandboxException.invalid("name the channel the malformed event comes from, e.g. {\"channelId\":\"C0SBX...\"}");
    }
    SlackChannel c = channelForControl(channelId);
    if (!app.active) {
      throw SandboxException.conflict("app " + appName + " is deactivated and gets no events; reactivate it first");
    }
    if (!c.members.contains(app.botUserId)) {
      throw SandboxException.conflict("the bot user of app " + appName + " is not in " + c.id
          + " and gets no events from it; let it join first");
    }
    ObjectNode broken = wire.object();
    broken.put("type", "message");
    broken.putArray("channel").add(c.id);
    broken.putObject("ts");
    broken.put("user", 42);
    String eventId = ids.event();
    outbox.deliver(app, new EventCallback(eventId, callback(app, c, eventId, nowSeconds(), broken)));
    return eventId;
  }

  // ---------------------------------------------------------------- history entries

  private HistoryEntry entry(SlackMessage m) {
    SlackUser author = users.get(m.user);
    String name = author == null ? m.user : author.shownName();
    String avatar = author == null ? null : author.avatarUrl();
    Author who;
    if (m.app == null) {
      who = new Author(m.user, name, avatar, Author.Kind.USER, name, avatar);
    } else if (m.isPuppet()) {
      String shown = m.username == null ? m.app.name : m.username;
      String icon = m.iconEmoji != null ? emoji.imageUrl(m.iconEmoji) : m.iconUrl;
      who = new Author(m.user, name, avatar, Author.Kind.WEBHOOK, shown, icon);
    } else {
      who = new Author(m.user, name, avatar, Author.Kind.BOT, name, avatar);
    }
    List<SandboxReaction> reactions = new ArrayList<>();
    m.reactions.forEach((reaction, users) -> reactions.add(new SandboxReaction(emoji.unicodeOf(reaction), users)));
    List<SandboxAttachment> attachments = new ArrayList<>();
    for (SlackFile f : m.files) {
      attachments.add(new SandboxAttachment(f.id, f.name, f.mimetype, f.size(),
          baseUrl == null ? null : baseUrl + "/_sandbox/files/" + f.id));
    }
    return new HistoryEntry(
        m.ts,
        m.channelId,
        who,
        m.text,
        null,
        null,
        m.isReply() ? m.threadTs : null,
        reactions,
        attachments,
        m.editedTs != null,
        m.deleted,
        tsInstant(m.ts),
        wire.message(m, true).toString());
  }

  private static Instant tsInstant(String ts) {
    int dot = ts.indexOf('.');
    long seconds = Long.parseLong(ts.substring(0, dot));
    long micros = Long.parseLong(ts.substring(dot + 1));
    return Instant.ofEpochSecond(seconds, micros * 1000);
  }

  private static String mediaType(String name, @Nullable String declared) {
    if (declared != null && !declared.isBlank() && !declared.startsWith("application/octet-stream")
        && !declared.startsWith("multipart/") && !declared.startsWith("application/x-www-form-urlencoded")) {
      return declared;
    }
    String guessed = URLConnection.guessContentTypeFromName(name);
    return guessed == null ? "application/octet-stream" : guessed;
  }

  static String randomToken(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** Enables or disables an app (Slack's {@code account_inactive}). */
  synchronized void active(String appName, boolean active) {
    app(appName).active = active;
  }
}
