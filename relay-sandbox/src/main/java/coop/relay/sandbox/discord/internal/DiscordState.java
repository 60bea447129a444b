package coop.relay.sandbox.discord.internal;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.SandboxAttachment;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.internal.ChangeFeed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the Discord emulator knows: one guild with its members, channels, threads, messages,
 * webhooks and files, the bot applications, and Discord's rules for changing them. One lock (this
 * object's monitor) guards it all, the gateway's sessions included, so that sequence numbers follow
 * the order of changes.
 */
final class DiscordState {

  /** Limits and names from the emulator's builder. */
  record Settings(String guildName, int contentLimit, long uploadLimit, Map<String, Long> customEmojis) {}

  /** A file uploaded with a message. */
  record Upload(String filename, String contentType, byte[] data, String description) {}

  /** {@code allowed_mentions}; {@code parse} null means the field was left out. */
  record AllowedMentions(@Nullable Set<String> parse, List<Long> users, List<Long> roles, boolean repliedUser) {}

  /** {@code message_reference} of a reply. */
  record Reference(long messageId, @Nullable Long channelId, boolean failIfNotExists) {}

  /** What a bot or webhook asks to post or edit. {@code keep} lists kept attachment ids on edits. */
  record Outgoing(
      @Nullable String content,
      @Nullable JsonNode nonce,
      boolean enforceNonce,
      @Nullable AllowedMentions allowedMentions,
      @Nullable Reference reference,
      List<Upload> uploads,
      @Nullable List<Long> keep) {}

  private static final Pattern USER_MENTION = Pattern.compile("<@!?([0-9]{1,20})>");
  private static final Pattern ROLE_MENTION = Pattern.compile("<@&([0-9]{1,20})>");
  private static final Pattern EVERYONE = Pattern.compile("@(everyone|here)");
  private static final long NONCE_WINDOW_MILLIS = Duration.ofMinutes(5).toMillis();
  private static final long BULK_DELETE_MAX_AGE = Duration.ofDays(14).toMillis();

  final Settings settings;
  final Scheduler scheduler;
  final ChangeFeed feed;
  final Wire wire;
  final Snowflakes snowflakes;
  final long guildId;
  final String guildName;
  final long botRoleId;
  final long ownerId;
  private final Map<String, BotApp> bots = new LinkedHashMap<>();
  private final Map<Long, DcUser> users = new LinkedHashMap<>();
  private final Map<Long, DcChannel> channels = new LinkedHashMap<>();
  private final Map<Long, DcMessage> messages = new HashMap<>();
  private final Map<Long, DcWebhook> webhooks = new LinkedHashMap<>();
  private final Map<Long, DcFile> files = new HashMap<>();
  private final Map<String, Long> customEmojis;
  private final Map<String, Long> avatarOwners = new HashMap<>();
  private final Map<String, String> avatarUrls = new HashMap<>();
  private final Map<String, long[]> nonces = new HashMap<>();
  private @Nullable String baseUrl;
  private Consumer<Dispatch> dispatcher = d -> {};

  DiscordState(Settings settings, Scheduler scheduler) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.snowflakes = new Snowflakes(this::nowMillis);
    this.feed = new ChangeFeed("discord", () -> Instant.ofEpochMilli(nowMillis()));
    this.wire = new Wire(this);
    this.guildId = snowflakes.next();
    this.guildName = settings.guildName();
    this.botRoleId = snowflakes.next();
    this.ownerId = snowflakes.next();
    Map<String, Long> emojis = new LinkedHashMap<>();
    settings.customEmojis().forEach((name, ignored) -> emojis.put(name, snowflakes.next()));
    this.customEmojis = Map.copyOf(emojis);
  }

  long nowMillis() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  synchronized void onDispatch(Consumer<Dispatch> dispatcher) {
    this.dispatcher = dispatcher;
  }

  synchronized void baseUrl(String url) {
    this.baseUrl = url;
  }

  synchronized String baseUrl() {
    return baseUrl == null ? "http://127.0.0.1" : baseUrl;
  }

  private void dispatch(Dispatch d) {
    dispatcher.accept(d);
  }

  // ---------------------------------------------------------------- lookups (lock held by callers)

  @Nullable DcUser userOrNull(long id) {
    return users.get(id);
  }

  @Nullable DcChannel channelOrNull(long id) {
    return channels.get(id);
  }

  @Nullable DcMessage messageOrNull(long id) {
    return messages.get(id);
  }

  @Nullable DcWebhook webhookOrNull(long id) {
    return webhooks.get(id);
  }

  Collection<DcChannel> allChannels() {
    return channels.values();
  }

  Map<String, Long> customEmojis() {
    return customEmojis;
  }

  int memberCount() {
    return users.size();
  }

  synchronized @Nullable BotApp bot(String token) {
    return bots.get(token);
  }

  synchronized List<BotApp> bots() {
    return List.copyOf(bots.values());
  }

  /** A CDN-style avatar hash for a picture URL, remembered so that the avatar route can redirect. */
  String avatarHash(long ownerId, String url) {
    String hash = hex(md5(ownerId + "|" + url)).substring(0, 32);
    avatarOwners.put(hash, ownerId);
    avatarUrls.put(ownerId + "/" + hash, url);
    return hash;
  }

  synchronized @Nullable String avatarUrl(long ownerId, String hash) {
    return avatarUrls.get(ownerId + "/" + hash);
  }

  private static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  // ---------------------------------------------------------------- accounts

  synchronized BotApp addBot(String token, String username, long privilegedAllowed, int sessionStarts) {
    if (bots.containsKey(token)) {
      throw new IllegalArgumentException("two bots share one token; give each bot its own token");
    }
    long id = snowflakes.next();
    DcUser user = new DcUser(id, username, null, String.format(Locale.ROOT, "%04d", 1000 + bots.size()), null, null, true);
    users.put(id, user);
    BotApp app = new BotApp(token, user, id, privilegedAllowed, sessionStarts);
    bots.put(token, app);
    return app;
  }

  synchronized SandboxUser createUser(NewUser spec) {
    if (spec.displayName() == null || spec.displayName().isBlank()) {
      throw SandboxException.invalid("a user needs a display name");
    }
    String username = spec.username();
    if (username == null) {
      username = spec.displayName().strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.]", "");
      if (username.length() < 2) {
        username = "user" + (users.size() + 1);
      }
      String base = username.length() > 28 ? username.substring(0, 28) : username;
      String candidate = base;
      for (int n = 2; usernameTaken(candidate); n++) {
        candidate = base + n;
      }
      username = candidate;
    } else {
      username = username.startsWith("@") ? username.substring(1) : username;
      if (!username.matches("[a-z0-9_.]{2,32}") || username.contains("..")) {
        throw SandboxException.invalid(
            "Discord usernames are 2-32 characters of a-z, 0-9, _ and . (no two dots in a row); got " + username);
      }
      if (usernameTaken(username)) {
        throw SandboxException.conflict("the username " + username + " is taken");
      }
    }
    long id = snowflakes.next();
    String hash = spec.avatarUrl() == null ? null : avatarHash(id, spec.avatarUrl());
    DcUser user = new DcUser(id, username, spec.displayName().strip(), "0", spec.avatarUrl(), hash, false);
    users.put(id, user);
    ObjectNode member = wire.memberWithUser(user);
    member.put("guild_id", Wire.id(guildId));
    dispatch(Dispatch.of("GUILD_MEMBER_ADD", Intents.GUILD_MEMBERS, member));
    SandboxUser out = sandboxUser(user);
    feed.user(out);
    return out;
  }

  private boolean usernameTaken(String username) {
    return users.values().stream().anyMatch(u -> u.username().equalsIgnoreCase(username));
  }

  synchronized List<SandboxUser> users() {
    return users.values().stream().map(this::sandboxUser).toList();
  }

  private SandboxUser sandboxUser(DcUser u) {
    return new SandboxUser(Wire.id(u.id()), u.shownName(), u.username(), avatarLink(u), u.bot());
  }

  private @Nullable String avatarLink(DcUser u) {
    return u.avatarHash() == null ? null : baseUrl() + "/avatars/" + u.id() + "/" + u.avatarHash() + ".png";
  }

  private DcUser human(String userId) {
    DcUser user = users.get(parseId(userId));
    if (user == null) {
      throw SandboxException.notFound("no Discord user " + userId + "; create one with createUser");
    }
    if (user.bot()) {
      throw SandboxException.invalid("user " + userId + " is a bot; bots act through the REST API, not the control API");
    }
    return user;
  }

  private static long parseId(String id) {
    try {
      return Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---------------------------------------------------------------- channels

  synchronized SandboxChannel createChannel(NewChannel spec) {
    if (spec.name() == null || spec.name().isBlank()) {
      throw SandboxException.invalid("a channel needs a name");
    }
    String type = spec.type() == null ? "text" : spec.type();
    if (!type.equals("text")) {
      throw SandboxException.invalid(
          "the Discord emulator has guild text channels (type \"text\"); threads are made with createThread; got " + type);
    }
    // Discord lowercases text channel names and turns spaces into dashes.
    String name = spec.name().strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    DcChannel c = new DcChannel(snowflakes.next(), DcChannel.GUILD_TEXT, name, null, ownerId, nowMillis());
    c.position = (int) channels.values().stream().filter(x -> !x.isThread()).count();
    channels.put(c.id, c);
    ObjectNode payload = wire.channel(c);
    dispatch(Dispatch.of("CHANNEL_CREATE", Intents.GUILDS, payload));
    SandboxChannel out = sandboxChannel(c);
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, out);
    return out;
  }

  synchronized List<SandboxChannel> channels() {
    return channels.values().stream().map(this::sandboxChannel).toList();
  }

  private SandboxChannel sandboxChannel(DcChannel c) {
    return new SandboxChannel(Wire.id(c.id), c.name, c.isThread() ? "thread" : "text", null);
  }

  synchronized void setManageWebhooks(String channelId, boolean allowed) {
    DcChannel c = channels.get(parseId(channelId));
    if (c == null || c.isThread()) {
      throw SandboxException.notFound("no Discord text channel " + channelId);
    }
    if (c.manageWebhooks != allowed) {
      c.manageWebhooks = allowed;
      dispatch(Dispatch.of("CHANNEL_UPDATE", Intents.GUILDS, wire.channel(c)));
      feed.channel(SandboxEvent.Type.CHANNEL_UPDATED, sandboxChannel(c));
    }
  }

  /** A channel by id for the REST API; threads included. */
  DcChannel channel(long id) {
    DcChannel c = channels.get(id);
    if (c == null) {
      throw ApiError.unknownChannel();
    }
    return c;
  }

  synchronized ObjectNode getChannel(long id) {
    return wire.channel(channel(id));
  }

  synchronized ObjectNode me(BotApp bot) {
    ObjectNode me = wire.user(bot.user);
    // The current user's own object adds account details; bots have no e-mail or MFA.
    me.put("mfa_enabled", false);
    me.put("locale", "en-US");
    me.put("verified", true);
    me.putNull("email");
    me.put("premium_type", 0);
    return me;
  }

  // ---------------------------------------------------------------- messages: shared rules

  private record Mentions(List<Long> users, List<Long> roles, boolean everyone) {}

  /** The mentions a message's content makes, filtered by allowed_mentions. */
  private Mentions mentions(String content, @Nullable AllowedMentions allowed, @Nullable DcMessage repliedTo) {
    Set<Long> userIds = new LinkedHashSet<>();
    Matcher m = USER_MENTION.matcher(content);
    while (m.find()) {
      long id = parseId(m.group(1));
      if (users.containsKey(id)) {
        userIds.add(id);
      }
    }
    Set<Long> roleIds = new LinkedHashSet<>();
    Matcher r = ROLE_MENTION.matcher(content);
    while (r.find()) {
      long id = parseId(r.group(1));
      if (id == botRoleId) {
        roleIds.add(id);
      }
    }
    boolean everyone = EVERYONE.matcher(content).find();
    if (allowed != null && allowed.parse() != null) {
      Set<String> parse = allowed.parse();
      userIds.removeIf(id -> !parse.contains("users") && !allowed.users().contains(id));
      roleIds.removeIf(id -> !parse.contains("roles") && !allowed.roles().contains(id));
      everyone = everyone && parse.contains("everyone");
    } else if (allowed != null) {
      userIds.removeIf(id -> !allowed.users().contains(id));
      roleIds.removeIf(id -> !allowed.roles().contains(id));
      everyone = false;
    }
    if (repliedTo != null && repliedTo.webhookId == null && (allowed == null || allowed.repliedUser())) {
      userIds.add(repliedTo.authorId);
    }
    return new Mentions(List.copyOf(userIds), List.copyOf(roleIds), everyone);
  }

  private void checkContent(@Nullable String content) {
    if (content != null && content.codePointCount(0, content.length()) > settings.contentLimit()) {
      throw ApiError.invalidField(
          "content", "BASE_TYPE_MAX_LENGTH", "Must be " + settings.contentLimit() + " or fewer in length.");
    }
  }

  private static void checkAllowedMentions(@Nullable AllowedMentions allowed) {
    if (allowed == null || allowed.parse() == null) {
      return;
    }
    for (String p : allowed.parse()) {
      if (!Set.of("users", "roles", "everyone").contains(p)) {
        throw ApiError.invalidField(
            "allowed_mentions.parse", "BASE_TYPE_CHOICES", "Value must be one of ('roles', 'users', 'everyone').");
      }
    }
    if (allowed.parse().contains("users") && !allowed.users().isEmpty()) {
      throw ApiError.invalidField(
          "allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
          "parse:[\"users\"] and users: [ids] are mutually exclusive.");
    }
    if (allowed.parse().contains("roles") && !allowed.roles().isEmpty()) {
      throw ApiError.invalidField(
          "allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
          "parse:[\"roles\"] and roles: [ids] are mutually exclusive.");
    }
    if (allowed.users().size() > 100 || allowed.roles().size() > 100) {
      throw ApiError.invalidField("allowed_mentions.users", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
    }
  }

  private List<DcFile> store(long channelId, List<Upload> uploads) {
    long total = uploads.stream().mapToLong(u -> u.data().length).sum();
    if (total > settings.uploadLimit()) {
      throw new ApiError(413, 40005, "Request entity too large", null);
    }
    if (uploads.size() > 10) {
      throw ApiError.invalidField("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
    }
    List<DcFile> out = new ArrayList<>();
    for (Upload u : uploads) {
      int[] size = ImageSize.of(u.data());
      // Discord keeps the name's characters that are safe in URLs and replaces the rest.
      String name = u.filename().isBlank() ? "unknown" : u.filename().replaceAll("[^A-Za-z0-9._-]", "_");
      DcFile f = new DcFile(
          snowflakes.next(), channelId, name, u.contentType(), u.data(),
          size == null ? 0 : size[0], size == null ? 0 : size[1], u.description());
      files.put(f.id(), f);
      out.add(f);
    }
    return out;
  }

  /** Stores a new message in {@code channel} and tells every session and the change feed. */
  private DcMessage publish(DcMessage m, DcChannel channel) {
    messages.put(m.id, m);
    channel.messages.put(m.id, m);
    channel.lastMessageId = m.id;
    if (channel.isThread()) {
      channel.messageCount++;
      channel.totalMessageSent++;
      channel.archived = false;
    }
    dispatch(new Dispatch("MESSAGE_CREATE", Intents.GUILD_MESSAGES, gatewayMessage(m, true), m.authorId, m.mentions));
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry(m));
    return m;
  }

  private ObjectNode gatewayMessage(DcMessage m, boolean withNonce) {
    ObjectNode o = wire.message(m, -1, withNonce);
    o.put("guild_id", Wire.id(guildId));
    if (m.webhookId == null) {
      DcUser author = users.get(m.authorId);
      if (author != null) {
        o.set("member", wire.member(author));
      }
    }
    return o;
  }

  private void updated(DcMessage m) {
    dispatch(new Dispatch("MESSAGE_UPDATE", Intents.GUILD_MESSAGES, gatewayMessage(m, false), m.authorId, m.mentions));
    feed.message(SandboxEvent.Type.MESSAGE_EDITED, entry(m));
  }

  private void deleted(DcMessage m) {
    m.deleted = true;
    DcChannel channel = channels.get(m.channelId);
    if (channel != null && channel.isThread()) {
      channel.messageCount = Math.max(0, channel.messageCount - 1);
    }
    feed.message(SandboxEvent.Type.MESSAGE_DELETED, entry(m));
  }

  private void dispatchDelete(DcMessage m) {
    ObjectNode d = wire.object();
    d.put("id", Wire.id(m.id));
    d.put("channel_id", Wire.id(m.channelId));
    d.put("guild_id", Wire.id(guildId));
    dispatch(Dispatch.of("MESSAGE_DELETE", Intents.GUILD_MESSAGES, d));
  }

  /** A live (not deleted) message of {@code channel}, or Unknown Message. */
  private DcMessage message(DcChannel channel, long messageId) {
    DcMessage m = channel.messages.get(messageId);
    if (m == null || m.deleted) {
      throw ApiError.unknownMessage();
    }
    return m;
  }

  // ---------------------------------------------------------------- messages: bots

  synchronized ObjectNode createMessage(BotApp bot, long channelId, Outgoing req) {
    DcChannel channel = channel(channelId);
    String content = req.content() == null ? "" : req.content();
    checkContent(content);
    checkAllowedMentions(req.allowedMentions());
    if (content.isBlank() && req.uploads().isEmpty()) {
      throw ApiError.emptyMessage();
    }
    if (req.nonce() != null && req.enforceNonce()) {
      DcMessage earlier = earlierWithNonce(bot.user.id(), req.nonce());
      if (earlier != null) {
        return wire.message(earlier, bot.user.id(), true);
      }
    }
    DcMessage target = null;
    Reference ref = req.reference();
    if (ref != null) {
      long refChannel = ref.channelId() == null ? channelId : ref.channelId();
      DcMessage found = refChannel == channelId ? channel.messages.get(ref.messageId()) : null;
      if (found == null || found.deleted) {
        if (ref.failIfNotExists()) {
          throw ApiError.invalidField(
              "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
        }
      } else {
        target = found;
      }
    }
    List<DcFile> stored = store(channelId, req.uploads());
    Mentions mentions = mentions(content, req.allowedMentions(), target);
    DcMessage m = new DcMessage(
        snowflakes.next(), channelId, target == null ? DcMessage.DEFAULT : DcMessage.REPLY, nowMillis(),
        bot.user.id(), null, null, null, req.nonce(), target == null ? null : channelId,
        target == null ? null : target.id, content);
    apply(m, mentions);
    m.attachments.addAll(stored);
    if (req.nonce() != null) {
      nonces.put(bot.user.id() + "|" + req.nonce(), new long[] {m.id, nowMillis()});
    }
    publish(m, channel);
    return wire.message(m, bot.user.id(), true);
  }

  private @Nullable DcMessage earlierWithNonce(long authorId, JsonNode nonce) {
    long[] seen = nonces.get(authorId + "|" + nonce);
    if (seen == null || nowMillis() - seen[1] > NONCE_WINDOW_MILLIS) {
      return null;
    }
    DcMessage m = messages.get(seen[0]);
    return m == null || m.deleted ? null : m;
  }

  private static void apply(DcMessage m, Mentions mentions) {
    m.mentions = mentions.users();
    m.mentionRoles = mentions.roles();
    m.mentionEveryone = mentions.everyone();
  }

  synchronized ObjectNode editMessage(BotApp bot, long channelId, long messageId, Outgoing req) {
    DcChannel channel = channel(channelId);
    DcMessage m = message(channel, messageId);
    if (m.webhookId != null || m.authorId != bot.user.id()) {
      throw ApiError.notAuthor();
    }
    return edit(m, req, bot.user.id());
  }

  private ObjectNode edit(DcMessage m, Outgoing req, long viewer) {
    checkContent(req.content());
    checkAllowedMentions(req.allowedMentions());
    String content = req.content() == null ? m.content : req.content();
    List<DcFile> kept = m.attachments;
    if (req.keep() != null) {
      kept = m.attachments.stream().filter(f -> req.keep().contains(f.id())).toList();
    }
    List<DcFile> added = store(m.channelId, req.uploads());
    if (content.isBlank() && kept.isEmpty() && added.isEmpty()) {
      throw ApiError.emptyMessage();
    }
    DcMessage target = m.referencedMessageId == null ? null : messages.get(m.referencedMessageId);
    m.content = content;
    List<DcFile> attachments = new ArrayList<>(kept);
    attachments.addAll(added);
    m.attachments = attachments;
    if (req.content() != null || req.allowedMentions() != null) {
      apply(m, mentions(content, req.allowedMentions(), m.type == DcMessage.REPLY ? target : null));
    }
    m.editedMillis = nowMillis();
    updated(m);
    return wire.message(m, viewer, false);
  }

  synchronized ObjectNode getMessage(BotApp bot, long channelId, long messageId) {
    return wire.message(message(channel(channelId), messageId), bot.user.id(), false);
  }

  synchronized ArrayNode listMessages(
      BotApp bot, long channelId, @Nullable Long before, @Nullable Long after, @Nullable Long around, int limit) {
    DcChannel channel = channel(channelId);
    List<DcMessage> live = channel.messages.values().stream().filter(m -> !m.deleted).toList();
    List<DcMessage> picked = new ArrayList<>();
    if (around != null) {
      int at = 0;
      while (at < live.size() && live.get(at).id < around) {
        at++;
      }
      int from = Math.max(0, Math.min(at - limit / 2, live.size() - limit));
      picked.addAll(live.subList(from, Math.min(live.size(), from + limit)));
    } else if (after != null) {
      List<DcMessage> newer = live.stream().filter(m -> m.id > after).toList();
      picked.addAll(newer.subList(0, Math.min(limit, newer.size())));
    } else {
      List<DcMessage> older = before == null ? live : live.stream().filter(m -> m.id < before).toList();
      picked.addAll(older.subList(Math.max(0, older.size() - limit), older.size()));
    }
    picked.sort((a, b) -> Long.compare(b.id, a.id));
    ArrayNode out = wire.array();
    picked.forEach(m -> out.add(wire.message(m, bot.user.id(), false)));
    return out;
  }

  synchronized void deleteMessage(BotApp bot, long channelId, long messageId) {
    // Bots have Manage Messages in the emulated guild, so they may delete anyone's messages.
    DcMessage m = message(channel(channelId), messageId);
    deleted(m);
    dispatchDelete(m);
  }

  synchronized void bulkDelete(BotApp bot, long channelId, List<Long> ids) {
    DcChannel channel = channel(channelId);
    Set<Long> unique = new LinkedHashSet<>(ids);
    if (unique.size() < 2 || unique.size() > 100) {
      throw ApiError.badRequest(
          50016,
          "Provided too few or too many messages to delete. Must provide at least 2 and fewer than 100 messages to delete.");
    }
    long now = nowMillis();
    for (long id : unique) {
      if (now - Snowflakes.millis(id) > BULK_DELETE_MAX_AGE) {
        throw ApiError.badRequest(50034, "You can only bulk delete messages that are under 14 days old.");
      }
    }
    ArrayNode deletedIds = wire.array();
    for (long id : unique) {
      DcMessage m = channel.messages.get(id);
      if (m != null && !m.deleted) {
        deleted(m);
        deletedIds.add(Wire.id(id));
      }
    }
    if (!deletedIds.isEmpty()) {
      ObjectNode d = wire.object();
      d.set("ids", deletedIds);
      d.put("channel_id", Wire.id(channelId));
      d.put("guild_id", Wire.id(guildId));
      dispatch(Dispatch.of("MESSAGE_DELETE_BULK", Intents.GUILD_MESSAGES, d));
    }
  }

  // ---------------------------------------------------------------- reactions

  private Emoji known(Emoji e) {
    if (e.id() == null) {
      return e;
    }
    Long id = customEmojis.get(e.name());
    if (id == null || !id.equals(e.id())) {
      // Custom emoji are accepted by id; a mismatched name still names a known id on Discord.
      for (Map.Entry<String, Long> entry : customEmojis.entrySet()) {
        if (entry.getValue().equals(e.id())) {
          return new Emoji(entry.getValue(), entry.getKey(), false);
        }
      }
      throw ApiError.unknownEmoji();
    }
    return e;
  }

  synchronized void addReaction(BotApp bot, long channelId, long messageId, Emoji emoji) {
    DcChannel channel = channel(channelId);
    DcMessage m = message(channel, messageId);
    react(m, bot.user.id(), known(emoji), true);
  }

  synchronized void removeReaction(BotApp bot, long channelId, long messageId, Emoji emoji, long userId) {
    DcChannel channel = channel(channelId);
    DcMessage m = message(channel, messageId);
    react(m, userId, known(emoji), false);
  }

  synchronized void removeAllReactions(BotApp bot, long channelId, long messageId, @Nullable Emoji emoji) {
    DcMessage m = message(channel(channelId), messageId);
    if (emoji == null) {
      if (m.reactions.isEmpty()) {
        return;
      }
      m.reactions.clear();
      ObjectNode d = wire.object();
      d.put("channel_id", Wire.id(m.channelId));
      d.put("message_id", Wire.id(m.id));
      d.put("guild_id", Wire.id(guildId));
      dispatch(Dispatch.of("MESSAGE_REACTION_REMOVE_ALL", Intents.GUILD_MESSAGE_REACTIONS, d));
    } else {
      Emoji e = known(emoji);
      if (m.reactions.remove(e.key()) == null) {
        return;
      }
      ObjectNode d = wire.object();
      d.put("channel_id", Wire.id(m.channelId));
      d.put("message_id", Wire.id(m.id));
      d.put("guild_id", Wire.id(guildId));
      d.set("emoji", wire.emoji(e));
      dispatch(Dispatch.of("MESSAGE_REACTION_REMOVE_EMOJI", Intents.GUILD_MESSAGE_REACTIONS, d));
    }
    feed.message(SandboxEvent.Type.REACTIONS_CHANGED, entry(m));
  }

  synchronized ArrayNode reactionUsers(long channelId, long messageId, Emoji emoji, @Nullable Long after, int limit) {
    DcMessage m = message(channel(channelId), messageId);
    DcMessage.Reaction r = m.reactions.get(known(emoji).key());
    ArrayNode out = wire.array();
    if (r != null) {
      r.userIds.stream().sorted().filter(id -> after == null || id > after).limit(limit)
          .forEach(id -> {
            DcUser u = users.get(id);
            if (u != null) {
              out.add(wire.user(u));
            }
          });
    }
    return out;
  }

  /** Adds or removes one user's reaction; a repeat is a no-op without an event, as on Discord. */
  private void react(DcMessage m, long userId, Emoji emoji, boolean add) {
    DcMessage.Reaction r = m.reactions.get(emoji.key());
    if (add) {
      if (r == null) {
        r = new DcMessage.Reaction(emoji);
        m.reactions.put(emoji.key(), r);
      }
      if (r.userIds.contains(userId)) {
        return;
      }
      r.userIds.add(userId);
    } else {
      if (r == null || !r.userIds.remove(Long.valueOf(userId))) {
        return;
      }
      if (r.userIds.isEmpty()) {
        m.reactions.remove(emoji.key());
      }
    }
    ObjectNode d = wire.object();
    d.put("user_id", Wire.id(userId));
    d.put("type", 0);
    d.put("message_id", Wire.id(m.id));
    d.put("channel_id", Wire.id(m.channelId));
    d.put("guild_id", Wire.id(guildId));
    d.set("emoji", wire.emoji(emoji));
    d.put("burst", false);
    if (add) {
      DcUser u = users.get(userId);
      if (u != null) {
        d.set("member", wire.memberWithUser(u));
      }
      d.put("message_author_id", Wire.id(m.authorId));
      d.putArray("burst_colors");
    }
    dispatch(Dispatch.of(add ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE", Intents.GUILD_MESSAGE_REACTIONS, d));
    feed.message(SandboxEvent.Type.REACTIONS_CHANGED, entry(m));
  }

  // ---------------------------------------------------------------- threads

  private static void checkThreadName(@Nullable String name) {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw ApiError.invalidField("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    }
  }

  synchronized ObjectNode startThreadFromMessage(BotApp bot, long channelId, long messageId, @Nullable String name) {
    checkThreadName(name);
    DcChannel parent = channel(channelId);
    if (parent.isThread()) {
      throw ApiError.badRequest(50024, "Cannot execute action on this channel type");
    }
    DcMessage starter = message(parent, messageId);
    if (starter.threadId != null) {
      throw ApiError.badRequest(160004, "A thread has already been created for this message");
    }
    DcChannel thread = openThread(parent, starter.id, Objects.requireNonNull(name), bot.user.id());
    starter.threadId = thread.id;
    updated(starter);
    return wire.thread(thread);
  }

  synchronized ObjectNode startThread(BotApp bot, long channelId, @Nullable String name) {
    checkThreadName(name);
    DcChannel parent = channel(channelId);
    if (parent.isThread()) {
      throw ApiError.badRequest(50024, "Cannot execute action on this channel type");
    }
    DcChannel thread = openThread(parent, snowflakes.next(), Objects.requireNonNull(name), bot.user.id());
    // A thread without a starter message announces itself in the parent channel (type 18).
    DcMessage notice = new DcMessage(
        snowflakes.next(), parent.id, DcMessage.THREAD_CREATED, nowMillis(), bot.user.id(), null, null, null, null,
        thread.id, null, name);
    publish(notice, parent);
    return wire.thread(thread);
  }

  private DcChannel openThread(DcChannel parent, long id, String name, long ownerId) {
    DcChannel thread = new DcChannel(id, DcChannel.PUBLIC_THREAD, name.strip(), parent.id, ownerId, nowMillis());
    channels.put(thread.id, thread);
    ObjectNode payload = wire.thread(thread);
    payload.put("newly_created", true);
    dispatch(Dispatch.of("THREAD_CREATE", Intents.GUILDS, payload));
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, sandboxChannel(thread));
    return thread;
  }

  // ---------------------------------------------------------------- webhooks

  /** Checks a webhook or webhook-message name against Discord's rules; {@code field} names it in errors. */
  static void checkWebhookName(String name, String field) {
    String stripped = name.strip();
    if (stripped.isEmpty() || stripped.length() > 80) {
      throw ApiError.invalidField(field, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.");
    }
    String lower = stripped.toLowerCase(Locale.ROOT);
    for (String word : List.of("clyde", "discord")) {
      if (lower.contains(word)) {
        throw ApiError.invalidField(
            field, "USERNAME_INVALID_CONTAINS", "Username cannot contain \"" + word + "\"");
      }
    }
    if (lower.equals("everyone") || lower.equals("here")) {
      throw ApiError.invalidField(field, "USERNAME_INVALID", "Username cannot be \"" + lower + "\"");
    }
  }

  synchronized ObjectNode createWebhook(BotApp bot, long channelId, @Nullable String name, @Nullable String avatarUrl) {
    DcChannel channel = channel(channelId);
    if (channel.isThread()) {
      throw ApiError.badRequest(50024, "Cannot execute action on this channel type");
    }
    if (!channel.manageWebhooks) {
      throw ApiError.missingPermissions();
    }
    if (name == null) {
      throw ApiError.invalidField("name", "BASE_TYPE_REQUIRED", "This field is required");
    }
    checkWebhookName(name, "name");
    long count = webhooks.values().stream().filter(w -> w.channelId == channelId).count();
    if (count >= 15) {
      throw ApiError.badRequest(30007, "Maximum number of webhooks reached (15)");
    }
    byte[] secret = md5(bot.token + "|" + snowflakes.next() + "|" + nowMillis());
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        (hex(secret) + hex(md5(hex(secret)))).getBytes(StandardCharsets.US_ASCII)).substring(0, 68);
    DcWebhook w = new DcWebhook(snowflakes.next(), token, channelId, bot.user.id(), bot.applicationId, name.strip());
    if (avatarUrl != null) {
      w.avatarUrl = avatarUrl;
      w.avatarHash = avatarHash(w.id, avatarUrl);
    }
    webhooks.put(w.id, w);
    webhooksUpdated(channelId);
    return wire.webhook(w, true);
  }

  private void webhooksUpdated(long channelId) {
    ObjectNode d = wire.object();
    d.put("guild_id", Wire.id(guildId));
    d.put("channel_id", Wire.id(channelId));
    dispatch(Dispatch.of("WEBHOOKS_UPDATE", 1L << 5, d));
  }

  synchronized ArrayNode listWebhooks(BotApp bot, long channelId) {
    DcChannel channel = channel(channelId);
    if (!channel.manageWebhooks) {
      throw ApiError.missingPermissions();
    }
    ArrayNode out = wire.array();
    webhooks.values().stream().filter(w -> w.channelId == channelId)
        .forEach(w -> out.add(wire.webhook(w, w.applicationId == bot.applicationId)));
    return out;
  }

  /** A webhook by id, checking {@code token} when given (token routes) . */
  synchronized DcWebhook webhook(long id, @Nullable String token) {
    DcWebhook w = webhooks.get(id);
    if (w == null) {
      throw ApiError.unknownWebhook();
    }
    if (token != null && !MessageDigest.isEqual(
        w.token.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
      throw ApiError.invalidWebhookToken();
    }
    return w;
  }

  synchronized ObjectNode getWebhook(long id, @Nullable String token, @Nullable BotApp bot) {
    DcWebhook w = webhook(id, token);
    if (token == null && bot != null && !channel(w.channelId).manageWebhooks) {
      throw ApiError.missingPermissions();
    }
    return wire.webhook(w, token != null || (bot != null && bot.applicationId == w.applicationId));
  }

  synchronized void deleteWebhook(long id, @Nullable String token, @Nullable BotApp bot) {
    DcWebhook w = webhook(id, token);
    if (token == null && bot != null && !channel(w.channelId).manageWebhooks) {
      throw ApiError.missingPermissions();
    }
    webhooks.remove(id);
    webhooksUpdated(w.channelId);
  }

  /** The channel a webhook execution goes to: the webhook's channel, or one of its threads. */
  private DcChannel webhookTarget(DcWebhook w, @Nullable Long threadId) {
    if (threadId == null) {
      return channel(w.channelId);
    }
    DcChannel thread = channels.get(threadId);
    if (thread == null || !thread.isThread() || thread.roomId() != w.channelId) {
      throw ApiError.unknownChannel();
    }
    return thread;
  }

  synchronized @Nullable ObjectNode executeWebhook(
      DcWebhook w, @Nullable Long threadId, @Nullable String username, @Nullable String avatarUrl, Outgoing req) {
    DcChannel channel = webhookTarget(w, threadId);
    String content = req.content() == null ? "" : req.content();
    checkContent(content);
    checkAllowedMentions(req.allowedMentions());
    if (username != null) {
      checkWebhookName(username, "username");
    }
    if (content.isBlank() && req.uploads().isEmpty()) {
      throw ApiError.emptyMessage();
    }
    List<DcFile> stored = store(channel.id, req.uploads());
    Mentions mentions = mentions(content, req.allowedMentions(), null);
    DcMessage m = new DcMessage(
        snowflakes.next(), channel.id, DcMessage.DEFAULT, nowMillis(), w.id, w.id,
        username == null ? null : username.strip(), avatarUrl, null, null, null, content);
    apply(m, mentions);
    m.attachments.addAll(stored);
    publish(m, channel);
    return wire.message(m, -1, false);
  }

  private DcMessage webhookMessage(DcWebhook w, @Nullable Long threadId, long messageId) {
    DcChannel channel = webhookTarget(w, threadId);
    DcMessage m = channel.messages.get(messageId);
    if (m == null || m.deleted || !Objects.equals(m.webhookId, w.id)) {
      throw ApiError.unknownMessage();
    }
    return m;
  }

  synchronized ObjectNode getWebhookMessage(DcWebhook w, @Nullable Long threadId, long messageId) {
    return wire.message(webhookMessage(w, threadId, messageId), -1, false);
  }

  synchronized ObjectNode editWebhookMessage(DcWebhook w, @Nullable Long threadId, long messageId, Outgoing req) {
    return edit(webhookMessage(w, threadId, messageId), req, -1);
  }

  synchronized void deleteWebhookMessage(DcWebhook w, @Nullable Long threadId, long messageId) {
    DcMessage m = webhookMessage(w, threadId, messageId);
    deleted(m);
    dispatchDelete(m);
  }

  // ---------------------------------------------------------------- files and avatars

  synchronized @Nullable DcFile file(long channelId, long fileId) {
    DcFile f = files.get(fileId);
    return f == null || f.channelId() != channelId ? null : f;
  }

  synchronized SandboxFile controlFile(String attachmentId) {
    DcFile f = files.get(parseId(attachmentId));
    if (f == null) {
      throw SandboxException.notFound("no Discord attachment " + attachmentId);
    }
    return new SandboxFile(f.filename(), f.contentType(), f.data());
  }

  // ---------------------------------------------------------------- people (control API)

  private DcChannel controlChannel(String channelId) {
    DcChannel c = channels.get(parseId(channelId));
    if (c == null) {
      throw SandboxException.notFound("no Discord channel " + channelId + "; create one with createChannel");
    }
    return c;
  }

  private DcMessage controlMessage(DcChannel channel, String messageId) {
    DcMessage m = messages.get(parseId(messageId));
    if (m == null || channels.get(m.channelId) == null
        || (m.channelId != channel.id && channels.get(m.channelId).roomId() != channel.id)) {
      throw SandboxException.notFound("no message " + messageId + " in channel " + channel.id);
    }
    return m;
  }

  private void controlContent(String text, boolean hasFile) {
    if (text.codePointCount(0, text.length()) > settings.contentLimit()) {
      throw SandboxException.invalid(
          "Discord messages are at most " + settings.contentLimit() + " characters; split the text");
    }
    if (text.isBlank() && !hasFile) {
      throw SandboxException.invalid("Discord refuses empty messages; give text or an attachment");
    }
  }

  synchronized HistoryEntry post(coop.relay.sandbox.Post post) {
    DcChannel room = controlChannel(post.channelId());
    DcUser user = human(post.userId());
    DcChannel target = room;
    if (post.threadId() != null) {
      DcChannel thread = channels.get(parseId(post.threadId()));
      if (thread == null || !thread.isThread() || (thread.roomId() != room.id && thread.id != room.id)) {
        throw SandboxException.notFound("no thread " + post.threadId() + " in channel " + post.channelId());
      }
      target = thread;
    }
    controlContent(post.text(), post.attachment() != null);
    DcMessage replyTo = null;
    if (post.replyTo() != null) {
      replyTo = target.messages.get(parseId(post.replyTo()));
      if (replyTo == null || replyTo.deleted) {
        throw SandboxException.notFound("no message " + post.replyTo() + " to reply to in that channel or thread");
      }
    }
    List<DcFile> stored = List.of();
    if (post.attachment() != null) {
      SandboxFile f = post.attachment();
      stored = store(target.id, List.of(new Upload(f.fileName(), f.mediaType(), f.data(), "")));
    }
    DcMessage m = new DcMessage(
        snowflakes.next(), target.id, replyTo == null ? DcMessage.DEFAULT : DcMessage.REPLY, nowMillis(), user.id(),
        null, null, null, null, replyTo == null ? null : target.id, replyTo == null ? null : replyTo.id, post.text());
    apply(m, mentions(post.text(), null, replyTo));
    m.attachments.addAll(stored);
    publish(m, target);
    return entry(m);
  }

  synchronized HistoryEntry createThread(String channelId, String userId, String title) {
    DcChannel room = controlChannel(channelId);
    if (room.isThread()) {
      throw SandboxException.invalid("threads cannot be opened inside threads on Discord");
    }
    DcUser user = human(userId);
    if (title == null || title.isBlank() || title.length() > 100) {
      throw SandboxException.invalid("a Discord thread name is 1-100 characters");
    }
    // A person starts a thread from a message of theirs, which then shares its id with the thread.
    DcMessage starter = new DcMessage(
        snowflakes.next(), room.id, DcMessage.DEFAULT, nowMillis(), user.id(), null, null, null, null, null, null,
        title.strip());
    apply(starter, mentions(starter.content, null, null));
    publish(starter, room);
    DcChannel thread = openThread(room, starter.id, title, user.id());
    starter.threadId = thread.id;
    updated(starter);
    return entry(starter);
  }

  synchronized HistoryEntry edit(String channelId, String messageId, String userId, String text) {
    DcChannel room = controlChannel(channelId);
    DcUser user = human(userId);
    DcMessage m = controlMessage(room, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is deleted");
    }
    if (m.webhookId != null || m.authorId != user.id()) {
      throw SandboxException.conflict("only the author can edit message " + messageId + " on Discord");
    }
    controlContent(text, !m.attachments.isEmpty());
    m.content = text;
    DcMessage target = m.referencedMessageId == null ? null : messages.get(m.referencedMessageId);
    apply(m, mentions(text, null, m.type == DcMessage.REPLY ? target : null));
    m.editedMillis = nowMillis();
    updated(m);
    return entry(m);
  }

  synchronized void delete(String channelId, String messageId, String userId) {
    DcChannel room = controlChannel(channelId);
    human(userId);
    DcMessage m = controlMessage(room, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is already deleted");
    }
    // People may delete their own messages; the sandbox's people are all moderators of the guild.
    deleted(m);
    dispatchDelete(m);
  }

  synchronized void react(String channelId, String messageId, String userId, String emoji, boolean add) {
    DcChannel room = controlChannel(channelId);
    DcUser user = human(userId);
    DcMessage m = controlMessage(room, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is deleted");
    }
    Emoji e = Emoji.parse(emoji);
    if (e == null) {
      throw SandboxException.invalid("not an emoji Discord knows: " + emoji + "; use a Unicode emoji or <:name:id>");
    }
    try {
      e = known(e);
    } catch (ApiError unknown) {
      throw SandboxException.invalid("this guild has no custom emoji " + emoji + "; its emojis are " + customEmojis);
    }
    react(m, user.id(), e, add);
  }

  synchronized List<HistoryEntry> history(String channelId) {
    DcChannel channel = controlChannel(channelId);
    List<DcMessage> all = new ArrayList<>();
    if (channel.isThread()) {
      all.addAll(channel.messages.values());
    } else {
      for (DcChannel c : channels.values()) {
        if (c.roomId() == channel.id) {
          all.addAll(c.messages.values());
        }
      }
      all.sort((a, b) -> Long.compare(a.id, b.id));
    }
    return all.stream().map(this::entry).toList();
  }

  // ---------------------------------------------------------------- history entries

  HistoryEntry entry(DcMessage m) {
    DcChannel channel = Objects.requireNonNull(channels.get(m.channelId));
    Author who;
    if (m.webhookId != null) {
      DcWebhook hook = webhooks.get(m.webhookId);
      String hookName = hook == null ? "Deleted Webhook" : hook.name;
      String hookAvatar = hook == null ? null : hook.avatarUrl;
      who = new Author(
          Wire.id(m.webhookId), hookName, hookAvatar, Author.Kind.WEBHOOK,
          m.webhookUsername != null ? m.webhookUsername : hookName,
          m.webhookAvatarUrl != null ? m.webhookAvatarUrl : hookAvatar);
    } else {
      DcUser u = users.get(m.authorId);
      String name = u == null ? "Deleted User" : u.shownName();
      String avatar = u == null ? null : u.avatarUrl();
      who = new Author(
          Wire.id(m.authorId), name, avatar, u != null && u.bot() ? Author.Kind.BOT : Author.Kind.USER, name, avatar);
    }
    List<SandboxReaction> reactions = new ArrayList<>();
    m.reactions.values().forEach(r ->
        reactions.add(new SandboxReaction(r.emoji.key(), r.userIds.stream().map(Wire::id).toList())));
    List<SandboxAttachment> attachments = new ArrayList<>();
    for (DcFile f : m.attachments) {
      attachments.add(new SandboxAttachment(
          Wire.id(f.id()), f.filename(), f.contentType(), f.data().length, wire.fileUrl(f, false)));
    }
    String thread = channel.isThread() ? Wire.id(channel.id) : m.threadId != null ? Wire.id(m.threadId) : null;
    return new HistoryEntry(
        Wire.id(m.id),
        Wire.id(channel.roomId()),
        who,
        m.content,
        null,
        m.type == DcMessage.REPLY && m.referencedMessageId != null ? Wire.id(m.referencedMessageId) : null,
        thread,
        reactions,
        attachments,
        m.editedMillis != null,
        m.deleted,
        Instant.ofEpochMilli(m.timestampMillis),
        wire.message(m, -1, false).toString());
  }
}
