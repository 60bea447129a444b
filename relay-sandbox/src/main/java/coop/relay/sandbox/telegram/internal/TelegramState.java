package coop.relay.sandbox.telegram.internal;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the Telegram emulator knows: accounts, chats, messages, files and each bot's pending
 * updates, with the Bot API's rules for changing them. One lock guards it all; every operation is
 * short and in memory.
 */
final class TelegramState {

  /** A bot's request to answer a message ({@code reply_parameters}). */
  record ReplyRequest(long messageId, boolean allowWithoutReply) {}

  /** Limits and switches from the emulator's builder. */
  record Settings(boolean rateLimits, long uploadLimit, long photoLimit, long downloadLimit) {}

  private static final int TEXT_LIMIT = 4096;
  private static final int CAPTION_LIMIT = 1024;
  private static final String NOT_MODIFIED =
      "message is not modified: specified new message content and reply markup are exactly the same"
          + " as a current content and reply markup of the message";

  final Settings settings;
  private final Scheduler scheduler;
  final ChangeFeed feed;
  final Wire wire;
  private final Map<String, BotAccount> bots = new LinkedHashMap<>();
  private final Map<Long, TgUser> users = new LinkedHashMap<>();
  private final Map<Long, TgChat> chats = new LinkedHashMap<>();
  private final Map<String, TgFile> files = new HashMap<>();
  private final Map<String, TgFile> filesByPath = new HashMap<>();
  private long nextUserId = 5_000_001;
  private long nextChat = 1;
  private long nextFile = 1;
  private @Nullable String baseUrl;
  private Consumer<BotAccount> onUpdate = bot -> {};

  TelegramState(Settings settings, Scheduler scheduler) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.feed = new ChangeFeed("telegram", () -> Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)));
    this.wire = new Wire(users::get, chats::get);
  }

  synchronized void onUpdate(Consumer<BotAccount> listener) {
    this.onUpdate = listener;
  }

  synchronized void baseUrl(@Nullable String url) {
    this.baseUrl = url;
  }

  long nowSeconds() {
    return scheduler.now(TimeUnit.SECONDS);
  }

  long nowMillis() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- accounts

  synchronized BotAccount addBot(String token, String username, String firstName) {
    long id = Long.parseLong(token.substring(0, token.indexOf(':')));
    if (users.containsKey(id)) {
      throw new IllegalArgumentException("two bots with the id " + id + "; each bot token needs its own number before ':'");
    }
    TgUser user = new TgUser(id, true, firstName, null, username, null);
    users.put(id, user);
    // Update ids start at a large number, as Telegram's do, so clients cannot rely on small ones.
    BotAccount bot = new BotAccount(token, user, 100_000_000L * (bots.size() + 1) + 1);
    bots.put(token, bot);
    return bot;
  }

  synchronized @Nullable BotAccount bot(String token) {
    return bots.get(token);
  }

  synchronized List<BotAccount> bots() {
    return List.copyOf(bots.values());
  }

  synchronized boolean knownUser(long id) {
    return users.containsKey(id);
  }

  synchronized SandboxUser createUser(NewUser spec) {
    if (spec.displayName() == null || spec.displayName().isBlank()) {
      throw SandboxException.invalid("a user needs a display name");
    }
    String username = spec.username();
    if (username != null) {
      username = username.startsWith("@") ? username.substring(1) : username;
      if (!username.matches("[A-Za-z][A-Za-z0-9_]{4,31}")) {
        throw SandboxException.invalid(
            "Telegram usernames are 5-32 characters a-z, 0-9 and _, starting with a letter; got " + username);
      }
      for (TgUser u : users.values()) {
        if (username.equalsIgnoreCase(u.username())) {
          throw SandboxException.conflict("the username " + username + " is taken");
        }
      }
    }
    TgUser user = new TgUser(nextUserId++, false, spec.displayName().strip(), null, username, spec.avatarUrl());
    users.put(user.id(), user);
    SandboxUser out = sandboxUser(user);
    feed.user(out);
    return out;
  }

  synchronized List<SandboxUser> users() {
    List<SandboxUser> out = new ArrayList<>();
    for (TgUser u : users.values()) {
      out.add(sandboxUser(u));
    }
    return out;
  }

  private static SandboxUser sandboxUser(TgUser u) {
    return new SandboxUser(Long.toString(u.id()), u.displayName(), u.username(), u.avatarUrl(), u.bot());
  }

  private TgUser human(String userId) {
    TgUser user = null;
    try {
      user = users.get(Long.parseLong(userId));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (user == null) {
      throw SandboxException.notFound("no Telegram user " + userId + "; create one with createUser");
    }
    if (user.bot()) {
      throw SandboxException.invalid("user " + userId + " is a bot; bots act through the Bot API, not the control API");
    }
    return user;
  }

  // ---------------------------------------------------------------- chats

  synchronized SandboxChannel createChannel(NewChannel spec) {
    if (spec.name() == null || spec.name().isBlank()) {
      throw SandboxException.invalid("a chat needs a title");
    }
    String kind = spec.type() == null ? "supergroup" : spec.type();
    if (!List.of("group", "supergroup", "forum", "channel").contains(kind)) {
      throw SandboxException.invalid(
          "Telegram chats are of type group, supergroup, forum (a supergroup with topics) or channel; got " + kind);
    }
    TgChat chat = newChat(kind, spec.name().strip());
    SandboxChannel out = channel(chat);
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, out);
    return out;
  }

  private TgChat newChat(String kind, String title) {
    long n = nextChat++;
    // Basic groups have small negative ids, supergroups and channels -100 followed by ten digits.
    long id = kind.equals("group") ? -(4_000_000_000L + n) : -(1_001_000_000_000L + n);
    TgChat chat = new TgChat(id, kind, title);
    chats.put(id, chat);
    return chat;
  }

  synchronized List<SandboxChannel> channels() {
    List<SandboxChannel> out = new ArrayList<>();
    for (TgChat c : chats.values()) {
      out.add(channel(c));
    }
    return out;
  }

  private static SandboxChannel channel(TgChat c) {
    return new SandboxChannel(
        Long.toString(c.id), c.title, c.kind, c.migratedTo == null ? null : Long.toString(c.migratedTo));
  }

  private TgChat controlChat(String chatId) {
    TgChat chat = null;
    try {
      chat = chats.get(Long.parseLong(chatId));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (chat == null) {
      throw SandboxException.notFound("no Telegram chat " + chatId + "; create one with createChannel");
    }
    return chat;
  }

  private TgChat writableControlChat(String chatId) {
    TgChat chat = controlChat(chatId);
    if (chat.migratedTo != null) {
      throw SandboxException.conflict(
          "chat " + chatId + " was upgraded to the supergroup " + chat.migratedTo + "; use that one");
    }
    return chat;
  }

  /** The chat a bot names in {@code chat_id}, with the Bot API's errors. */
  private TgChat botChat(@Nullable String chatId) {
    if (chatId == null || chatId.isBlank()) {
      throw BotApiException.badRequest("chat_id is empty");
    }
    TgChat chat = null;
    try {
      chat = chats.get(Long.parseLong(chatId.trim()));
    } catch (NumberFormatException e) {
      // "@username" and garbage alike: the emulated chats have no public usernames.
    }
    if (chat == null) {
      throw BotApiException.badRequest("chat not found");
    }
    if (chat.migratedTo != null) {
      throw BotApiException.migrated(chat.migratedTo);
    }
    return chat;
  }

  // ---------------------------------------------------------------- text

  /**
   * Turns a bot's {@code text} / {@code parse_mode} / {@code entities} (or caption) into what
   * Telegram stores, with its errors for empty, malformed and overlong text.
   */
  synchronized FormattedText prepare(
      @Nullable String text, @Nullable String parseMode, @Nullable JsonNode entities, boolean caption) {
    String raw = text == null ? "" : text;
    FormattedText parsed;
    String mode = parseMode == null ? "" : parseMode.trim();
    if (mode.equalsIgnoreCase("html")) {
      parsed = HtmlParser.parse(raw, this::knownUser);
    } else if (mode.equalsIgnoreCase("markdownv2")) {
      parsed = MarkdownV2Parser.parse(raw, this::knownUser);
    } else if (mode.equalsIgnoreCase("markdown")) {
      parsed = LegacyMarkdownParser.parse(raw, this::knownUser);
    } else if (mode.isEmpty()) {
      parsed = new FormattedText(raw, entities == null ? List.of() : entities(entities, raw.length()));
    } else {
      throw BotApiException.badRequest("unsupported parse_mode");
    }
    FormattedText done = AutoEntities.detect(parsed.normalized());
    if (!caption && done.text().isEmpty()) {
      throw BotApiException.badRequest("message text is empty");
    }
    if (!caption && done.codePoints() > TEXT_LIMIT) {
      throw BotApiException.badRequest("message is too long");
    }
    if (caption && done.codePoints() > CAPTION_LIMIT) {
      throw BotApiException.badRequest("message caption is too long");
    }
    return done;
  }

  private List<Entity> entities(JsonNode array, int textLength) {
    if (!array.isArray()) {
      throw BotApiException.badRequest("can't parse entities JSON object");
    }
    List<Entity> out = new ArrayList<>();
    for (JsonNode e : array) {
      String type = e.path("type").asString("");
      int offset = e.path("offset").asInt(-1);
      int length = e.path("length").asInt(0);
      if (type.isEmpty() || offset < 0 || length <= 0 || offset + length > textLength) {
        continue;
      }
      Entity entity = Entity.of(type, offset, length);
      switch (type) {
        case "text_link" -> {
          String url = e.path("url").asString("");
          if (url.isEmpty()) {
            continue;
          }
          entity = entity.withUrl(url);
        }
        case "text_mention" -> {
          long id = e.path("user").path("id").asLong(0);
          if (!users.containsKey(id)) {
            continue;
          }
          entity = entity.withUser(id);
        }
        case "pre" -> {
          String language = e.path("language").asString("");
          entity = entity.withLanguage(language.isEmpty() ? null : language);
        }
        case "custom_emoji" -> entity = entity.withCustomEmoji(e.path("custom_emoji_id").asString(""));
        case "date_time" -> entity = entity.withTime(e.path("unix_time").asLong(0), e.hasNonNull("date_time_format")
            ? e.get("date_time_format").asString() : null);
        case "bold", "italic", "underline", "strikethrough", "spoiler", "code", "blockquote",
            "expandable_blockquote", "mention", "hashtag", "cashtag", "bot_command", "url", "email",
            "phone_number" -> {
          // no extra fields
        }
        default -> throw BotApiException.badRequest("can't parse entities: unsupported entity type \"" + type + "\"");
      }
      out.add(entity);
    }
    return out;
  }

  /** Text a person posts through the control API: the Bot API's HTML dialect. */
  private FormattedText controlText(String html, boolean caption) {
    try {
      FormattedText done = AutoEntities.detect(HtmlParser.parse(html, this::knownUser).normalized());
      int limit = caption ? CAPTION_LIMIT : TEXT_LIMIT;
      if (done.codePoints() > limit) {
        throw SandboxException.invalid(
            "Telegram refuses " + (caption ? "captions" : "messages") + " over " + limit + " characters");
      }
      return done;
    } catch (BotApiException e) {
      throw SandboxException.invalid(e.description() + " (control API text is Bot API HTML)");
    }
  }

  // ---------------------------------------------------------------- files

  synchronized TgFile storeFile(TgFile.Kind kind, String fileName, String mimeType, byte[] data, int width, int height) {
    long n = nextFile++;
    String prefix = kind == TgFile.Kind.PHOTO ? "AgACAgIAAxkBAAI" : "BQACAgIAAxkBAAI";
    String fileId = prefix + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("sandbox-file-" + n).getBytes(StandardCharsets.US_ASCII));
    String uniqueId = "AQAD" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("u" + n).getBytes(StandardCharsets.US_ASCII));
    String extension = extension(fileName, kind == TgFile.Kind.PHOTO ? "jpg" : "bin");
    String path = (kind == TgFile.Kind.PHOTO ? "photos/file_" : "documents/file_") + n + "." + extension;
    TgFile file = new TgFile(fileId, uniqueId, kind, fileName, mimeType, data.clone(), width, height, path);
    files.put(fileId, file);
    filesByPath.put(path, file);
    return file;
  }

  private static String extension(String fileName, String fallback) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    return ext.matches("[a-z0-9]{1,8}") ? ext : fallback;
  }

  synchronized @Nullable TgFile file(String fileId) {
    return files.get(fileId);
  }

  synchronized @Nullable TgFile fileByPath(String path) {
    return filesByPath.get(path);
  }

  synchronized ObjectNode getFile(@Nullable String fileId) {
    if (fileId == null || fileId.isBlank()) {
      throw BotApiException.badRequest("file_id is empty");
    }
    TgFile file = files.get(fileId.trim());
    if (file == null) {
      throw BotApiException.badRequest("invalid file_id");
    }
    if (file.size() > settings.downloadLimit()) {
      throw BotApiException.badRequest("file is too big");
    }
    return wire.file(file);
  }

  synchronized SandboxFile controlFile(String fileId) {
    TgFile file = files.get(fileId);
    if (file == null) {
      throw SandboxException.notFound("no Telegram file " + fileId);
    }
    return new SandboxFile(file.fileName(), file.mimeType(), file.data());
  }

  // ---------------------------------------------------------------- messages by bots

  /**
   * A bot sends a message (text, or media with a caption). Bots never see messages of bots, their
   * own included, so no update is queued.
   */
  synchronized ObjectNode send(
      BotAccount bot,
      @Nullable String chatId,
      FormattedText content,
      @Nullable TgFile photo,
      @Nullable TgFile document,
      @Nullable ReplyRequest reply,
      @Nullable Long threadId,
      @Nullable ObjectNode linkPreview) {
    TgChat chat = botChat(chatId);
    Long replyTo = null;
    if (reply != null) {
      TgMessage target = chat.messages.get(reply.messageId());
      if (target != null && !target.deleted) {
        replyTo = target.id;
      } else if (!reply.allowWithoutReply()) {
        throw BotApiException.badRequest("message to be replied not found");
      }
    }
    Placement place = place(chat, replyTo, threadId, false);
    if (settings.rateLimits()) {
      long wait = bot.limiter.tryAcquire(chat.id, chat.isGroup(), nowMillis());
      if (wait > 0) {
        throw BotApiException.tooManyRequests(wait);
      }
    }
    TgMessage m = newMessage(chat, bot.user.id(), chat.isChannel(), content, photo, document, place, linkPreview, null);
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry(m));
    return wire.message(m);
  }

  synchronized ObjectNode editText(
      BotAccount bot, @Nullable String chatId, long messageId, FormattedText content, @Nullable ObjectNode linkPreview) {
    TgChat chat = botChat(chatId);
    TgMessage m = chat.messages.get(messageId);
    if (m == null || m.deleted) {
      throw BotApiException.badRequest("message to edit not found");
    }
    if (m.authorId != bot.user.id() || m.service != null) {
      throw BotApiException.badRequest("message can't be edited");
    }
    if (m.hasMedia()) {
      throw BotApiException.badRequest("there is no text in the message to edit");
    }
    if (m.content.equals(content)) {
      throw BotApiException.badRequest(NOT_MODIFIED);
    }
    m.content = content;
    m.editDate = nowSeconds();
    feed.message(SandboxEvent.Type.MESSAGE_EDITED, entry(m));
    return wire.message(m);
  }

  synchronized ObjectNode editCaption(BotAccount bot, @Nullable String chatId, long messageId, FormattedText caption) {
    TgChat chat = botChat(chatId);
    TgMessage m = chat.messages.get(messageId);
    if (m == null || m.deleted) {
      throw BotApiException.badRequest("message to edit not found");
    }
    if (m.authorId != bot.user.id() || m.service != null) {
      throw BotApiException.badRequest("message can't be edited");
    }
    if (!m.hasMedia()) {
      throw BotApiException.badRequest("there is no caption in the message to edit");
    }
    if (m.content.equals(caption)) {
      throw BotApiException.badRequest(NOT_MODIFIED);
    }
    m.content = caption;
    m.editDate = nowSeconds();
    feed.message(SandboxEvent.Type.MESSAGE_EDITED, entry(m));
    return wire.message(m);
  }

  /** getChat: the chat as {@code ChatFullInfo}. */
  synchronized ObjectNode chatInfo(@Nullable String chatId) {
    TgChat chat = botChat(chatId);
    ObjectNode o = wire.chat(chat);
    o.put("accent_color_id", 0);
    o.put("max_reaction_count", 11);
    ObjectNode gifts = o.putObject("accepted_gift_types");
    for (String kind : List.of("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels")) {
      gifts.put(kind, false);
    }
    return o;
  }

  synchronized void deleteMessage(BotAccount bot, @Nullable String chatId, long messageId) {
    TgChat chat = botChat(chatId);
    TgMessage m = chat.messages.get(messageId);
    if (m == null || m.deleted) {
      throw BotApiException.badRequest("message to delete not found");
    }
    m.deleted = true;
    feed.message(SandboxEvent.Type.MESSAGE_DELETED, entry(m));
  }

  synchronized void setBotReaction(BotAccount bot, @Nullable String chatId, long messageId, List<String> emoji) {
    TgChat chat = botChat(chatId);
    TgMessage m = chat.messages.get(messageId);
    if (m == null || m.deleted) {
      throw BotApiException.badRequest("MESSAGE_ID_INVALID");
    }
    if (emoji.size() > 1) {
      throw BotApiException.badRequest("REACTIONS_TOO_MANY");
    }
    List<String> canonical = new ArrayList<>();
    for (String e : emoji) {
      String c = Reactions.canonical(e);
      if (c == null) {
        throw BotApiException.badRequest("REACTION_INVALID");
      }
      canonical.add(c);
    }
    if (m.reactionsOf(bot.user.id()).equals(canonical)) {
      return;
    }
    m.setReactions(bot.user.id(), canonical);
    // Telegram sends no reaction updates for reactions set by bots.
    feed.message(SandboxEvent.Type.REACTIONS_CHANGED, entry(m));
  }

  // ---------------------------------------------------------------- messages by people

  synchronized HistoryEntry post(coop.relay.sandbox.Post post) {
    TgChat chat = writableControlChat(post.channelId());
    TgUser user = human(post.userId());
    TgFile photo = null;
    TgFile document = null;
    if (post.attachment() != null) {
      SandboxFile f = post.attachment();
      int[] size = f.mediaType().startsWith("image/") ? Images.dimensions(f.data()) : null;
      if (size != null) {
        photo = storeFile(TgFile.Kind.PHOTO, f.fileName(), f.mediaType(), f.data(), size[0], size[1]);
      } else {
        document = storeFile(TgFile.Kind.DOCUMENT, f.fileName(), f.mediaType(), f.data(), 0, 0);
      }
    }
    boolean media = photo != null || document != null;
    FormattedText content = controlText(post.text(), media);
    if (!media && content.text().isEmpty()) {
      throw SandboxException.invalid("a message needs text or an attachment");
    }
    Long replyTo = null;
    if (post.replyTo() != null) {
      TgMessage target = controlMessage(chat, post.replyTo());
      replyTo = target.id;
    }
    Long threadId = null;
    if (post.threadId() != null) {
      threadId = controlMessage(chat, post.threadId()).id;
    }
    Placement place;
    try {
      place = place(chat, replyTo, threadId, true);
    } catch (BotApiException e) {
      throw SandboxException.notFound(e.description());
    }
    TgMessage m = newMessage(chat, user.id(), chat.isChannel(), content, photo, document, place, null, null);
    deliver(chat, m, false);
    HistoryEntry entry = entry(m);
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry);
    return entry;
  }

  synchronized HistoryEntry createThread(String chatId, String userId, String title) {
    TgChat chat = writableControlChat(chatId);
    TgUser user = human(userId);
    if (title == null || title.isBlank()) {
      throw SandboxException.invalid("a thread needs a title");
    }
    TgMessage m;
    if (chat.isForum()) {
      ObjectNode service = wire.object();
      ObjectNode created = service.putObject("forum_topic_created");
      created.put("name", title.strip());
      created.put("icon_color", 7322096);
      long id = chat.nextMessageId;
      m = newMessage(chat, user.id(), false, FormattedText.plain(""), null, null, new Placement(null, id, true), null, service);
      chat.topics.put(m.id, title.strip());
    } else {
      FormattedText text = controlText(title, false);
      m = newMessage(chat, user.id(), chat.isChannel(), text, null, null, new Placement(null, null, false), null, null);
    }
    deliver(chat, m, false);
    HistoryEntry entry = entry(m);
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry);
    return entry;
  }

  synchronized HistoryEntry edit(String chatId, String messageId, String userId, String text) {
    TgChat chat = controlChat(chatId);
    TgUser user = human(userId);
    TgMessage m = controlMessage(chat, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is deleted");
    }
    if (m.authorId != user.id() || m.service != null) {
      throw SandboxException.conflict("only the author can edit message " + messageId + " on Telegram");
    }
    FormattedText content = controlText(text, m.hasMedia());
    if (!m.hasMedia() && content.text().isEmpty()) {
      throw SandboxException.invalid("Telegram messages cannot be edited to be empty; delete it instead");
    }
    if (content.equals(m.content)) {
      // Telegram clients send nothing for an edit that changes nothing; neither does the sandbox.
      return entry(m);
    }
    m.content = content;
    m.editDate = nowSeconds();
    deliver(chat, m, true);
    HistoryEntry entry = entry(m);
    feed.message(SandboxEvent.Type.MESSAGE_EDITED, entry);
    return entry;
  }

  synchronized void delete(String chatId, String messageId, String userId) {
    TgChat chat = controlChat(chatId);
    human(userId);
    TgMessage m = controlMessage(chat, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is already deleted");
    }
    m.deleted = true;
    // The Bot API tells bots nothing about deleted messages.
    feed.message(SandboxEvent.Type.MESSAGE_DELETED, entry(m));
  }

  synchronized void react(String chatId, String messageId, String userId, String emoji, boolean add) {
    TgChat chat = controlChat(chatId);
    TgUser user = human(userId);
    TgMessage m = controlMessage(chat, messageId);
    if (m.deleted) {
      throw SandboxException.conflict("message " + messageId + " is deleted");
    }
    String canonical = Reactions.canonical(emoji);
    if (canonical == null) {
      throw SandboxException.invalid("Telegram allows only these reactions: " + String.join(" ", Reactions.ALLOWED));
    }
    List<String> old = m.reactionsOf(user.id());
    // A Telegram account without Premium has one reaction per message: a new one replaces it.
    List<String> now = add ? List.of(canonical) : old.stream().filter(e -> !e.equals(canonical)).toList();
    if (old.equals(now)) {
      return;
    }
    m.setReactions(user.id(), now);
    for (BotAccount bot : bots.values()) {
      if (chat.isChannel()) {
        if (bot.wants("message_reaction_count")) {
          enqueue(bot, "message_reaction_count", reactionCount(chat, m));
        }
      } else if (bot.wants("message_reaction")) {
        ObjectNode u = wire.object();
        u.set("chat", wire.chat(chat));
        u.put("message_id", m.id);
        u.set("user", wire.user(user));
        u.put("date", nowSeconds());
        u.set("old_reaction", wire.reactionTypes(old));
        u.set("new_reaction", wire.reactionTypes(now));
        enqueue(bot, "message_reaction", u);
      }
    }
    feed.message(SandboxEvent.Type.REACTIONS_CHANGED, entry(m));
  }

  private ObjectNode reactionCount(TgChat chat, TgMessage m) {
    ObjectNode u = wire.object();
    u.set("chat", wire.chat(chat));
    u.put("message_id", m.id);
    u.put("date", nowSeconds());
    ArrayNode reactions = u.putArray("reactions");
    m.reactions.forEach((emoji, who) -> {
      ObjectNode r = reactions.addObject();
      ObjectNode type = r.putObject("type");
      type.put("type", "emoji");
      type.put("emoji", emoji);
      r.put("total_count", who.size());
    });
    return u;
  }

  synchronized List<HistoryEntry> history(String chatId) {
    TgChat chat = controlChat(chatId);
    List<HistoryEntry> out = new ArrayList<>();
    for (TgMessage m : chat.messages.values()) {
      out.add(entry(m));
    }
    return out;
  }

  synchronized SandboxChannel migrate(String chatId, String userId) {
    TgChat old = writableControlChat(chatId);
    TgUser user = human(userId);
    if (!old.kind.equals("group")) {
      throw SandboxException.conflict("only a basic group (type \"group\") can be upgraded to a supergroup; " + chatId + " is a " + old.kind);
    }
    TgChat upgraded = newChat("supergroup", old.title);
    upgraded.migratedFrom = old.id;
    ObjectNode to = wire.object();
    to.put("migrate_to_chat_id", upgraded.id);
    TgMessage left = newMessage(old, user.id(), false, FormattedText.plain(""), null, null, new Placement(null, null, false), null, to);
    deliver(old, left, false);
    old.migratedTo = upgraded.id;
    ObjectNode from = wire.object();
    from.put("migrate_from_chat_id", old.id);
    TgMessage arrived = newMessage(upgraded, user.id(), false, FormattedText.plain(""), null, null, new Placement(null, null, false), null, from);
    deliver(upgraded, arrived, false);
    SandboxChannel result = channel(upgraded);
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, result);
    feed.channel(SandboxEvent.Type.CHANNEL_UPDATED, channel(old));
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry(left));
    feed.message(SandboxEvent.Type.MESSAGE_CREATED, entry(arrived));
    return result;
  }

  private TgMessage controlMessage(TgChat chat, String messageId) {
    TgMessage m = null;
    try {
      m = chat.messages.get(Long.parseLong(messageId));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (m == null) {
      throw SandboxException.notFound("no message " + messageId + " in chat " + chat.id);
    }
    return m;
  }

  // ---------------------------------------------------------------- placement and delivery

  private record Placement(@Nullable Long replyTo, @Nullable Long threadId, boolean topic) {}

  /**
   * Where a new message goes: forum topics (its {@code message_thread_id} must be a topic; a reply
   * lands in its target's topic), reply threads of supergroups (a reply belongs to its target's
   * thread), nothing of the kind in basic groups and channels.
   */
  private Placement place(TgChat chat, @Nullable Long replyTo, @Nullable Long threadId, boolean control) {
    TgMessage target = replyTo == null ? null : chat.messages.get(replyTo);
    if (chat.isForum()) {
      if (threadId != null && threadId != 0) {
        if (!chat.topics.containsKey(threadId)) {
          throw BotApiException.badRequest("message thread not found");
        }
        return new Placement(replyTo, threadId, true);
      }
      if (target != null && target.topicMessage) {
        return new Placement(replyTo, target.threadId, true);
      }
      return new Placement(replyTo, null, false);
    }
    if (chat.isSupergroup()) {
      if (threadId != null && threadId != 0) {
        TgMessage root = chat.messages.get(threadId);
        if (root == null) {
          throw BotApiException.badRequest("message thread not found");
        }
        return new Placement(replyTo == null ? threadId : replyTo, root.threadId != null ? root.threadId : threadId, false);
      }
      if (target != null) {
        return new Placement(replyTo, target.threadId != null ? target.threadId : target.id, false);
      }
      return new Placement(replyTo, null, false);
    }
    if (control && replyTo == null && threadId != null) {
      return new Placement(threadId, null, false);
    }
    return new Placement(replyTo, null, false);
  }

  private TgMessage newMessage(
      TgChat chat,
      long authorId,
      boolean fromChat,
      FormattedText content,
      @Nullable TgFile photo,
      @Nullable TgFile document,
      Placement place,
      @Nullable ObjectNode linkPreview,
      @Nullable ObjectNode service) {
    long id = chat.nextMessageId++;
    TgMessage m =
        new TgMessage(
            chat.id, id, nowSeconds(), authorId, fromChat, content, photo, document, place.replyTo(),
            place.threadId(), place.topic(), linkPreview, service);
    chat.messages.put(id, m);
    return m;
  }

  /** Queues the update every bot gets for a person's new or edited message. */
  private void deliver(TgChat chat, TgMessage m, boolean edited) {
    String type = chat.isChannel()
        ? (edited ? "edited_channel_post" : "channel_post")
        : (edited ? "edited_message" : "message");
    for (BotAccount bot : bots.values()) {
      if (bot.wants(type)) {
        enqueue(bot, type, wire.message(m));
      }
    }
  }

  private void enqueue(BotAccount bot, String type, ObjectNode payload) {
    bot.updates.addLast(new Update(bot.nextUpdateId++, type, payload));
    bot.wake();
    onUpdate.accept(bot);
  }

  // ---------------------------------------------------------------- getUpdates and webhooks

  private static final String WEBHOOK_ACTIVE =
      "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
  private static final String TERMINATED =
      "terminated by other getUpdates request; make sure that only one bot instance is running";

  /**
   * Starts a getUpdates call: confirms updates below {@code offset}, takes the new allowed_updates,
   * and supersedes any poll of the same bot still waiting (it answers 409).
   *
   * @return this poll's generation, for {@link #poll}
   */
  synchronized long beginPoll(BotAccount bot, @Nullable Long offset, @Nullable List<String> allowed) {
    if (bot.webhook != null) {
      throw BotApiException.conflict(WEBHOOK_ACTIVE);
    }
    if (allowed != null) {
      bot.allowedUpdates = List.copyOf(allowed);
    }
    if (offset != null) {
      if (offset < 0) {
        while (bot.updates.size() > -offset) {
          bot.updates.removeFirst();
        }
      } else {
        while (!bot.updates.isEmpty() && bot.updates.peekFirst().id() < offset) {
          bot.updates.removeFirst();
        }
      }
    }
    long generation = ++bot.pollGeneration;
    bot.wake();
    return generation;
  }

  /**
   * The pending updates (at most {@code limit}) if there are any, else {@code null}.
   *
   * @throws BotApiException 409 if a newer poll or a webhook superseded this poll
   */
  synchronized @Nullable ArrayNode poll(BotAccount bot, long generation, int limit) {
    if (bot.webhook != null) {
      throw BotApiException.conflict(WEBHOOK_ACTIVE);
    }
    if (bot.pollGeneration != generation) {
      throw BotApiException.conflict(TERMINATED);
    }
    if (bot.updates.isEmpty()) {
      return null;
    }
    ArrayNode out = wire.array();
    for (Update u : bot.updates) {
      if (out.size() >= limit) {
        break;
      }
      out.add(u.toJson(wire.object()));
    }
    return out;
  }

  synchronized void setWebhook(
      BotAccount bot, String url, @Nullable String secret, int maxConnections, @Nullable List<String> allowed, boolean drop) {
    if (allowed != null) {
      bot.allowedUpdates = List.copyOf(allowed);
    }
    if (drop) {
      bot.updates.clear();
    }
    bot.webhook = new BotAccount.Webhook(url, secret, maxConnections, null, null);
    bot.wake();
    onUpdate.accept(bot);
  }

  synchronized void deleteWebhook(BotAccount bot, boolean drop) {
    bot.webhook = null;
    if (drop) {
      bot.updates.clear();
    }
    bot.wake();
  }

  synchronized ObjectNode webhookInfo(BotAccount bot) {
    ObjectNode o = wire.object();
    BotAccount.Webhook w = bot.webhook;
    o.put("url", w == null ? "" : w.url());
    o.put("has_custom_certificate", false);
    o.put("pending_update_count", bot.updates.size());
    if (w != null) {
      if (w.lastErrorDate() != null) {
        o.put("last_error_date", w.lastErrorDate());
        o.put("last_error_message", w.lastErrorMessage());
      }
      o.put("max_connections", w.maxConnections());
      if (!bot.allowedUpdates.isEmpty()) {
        ArrayNode a = o.putArray("allowed_updates");
        bot.allowedUpdates.forEach(a::add);
      }
    }
    return o;
  }

  /** The next update a webhook should receive: where to, which, and the JSON body. */
  record Push(BotAccount.Webhook webhook, long updateId, String body) {}

  /** The update a webhook should push next, or {@code null} if none or no webhook is set. */
  synchronized @Nullable Push nextPush(BotAccount bot) {
    if (bot.webhook == null || bot.updates.isEmpty()) {
      return null;
    }
    Update u = bot.updates.peekFirst();
    return new Push(bot.webhook, u.id(), u.toJson(wire.object()).toString());
  }

  synchronized void pushed(BotAccount bot, long updateId) {
    Update head = bot.updates.peekFirst();
    if (head != null && head.id() == updateId) {
      bot.updates.removeFirst();
    }
  }

  synchronized void pushFailed(BotAccount bot, String why) {
    if (bot.webhook != null) {
      bot.webhook = bot.webhook.failed(nowSeconds(), why);
    }
  }

  // ---------------------------------------------------------------- history entries

  private HistoryEntry entry(TgMessage m) {
    TgChat chat = Objects.requireNonNull(chats.get(m.chatId));
    TgUser author = Objects.requireNonNull(users.get(m.authorId));
    Author who =
        new Author(
            Long.toString(author.id()),
            author.displayName(),
            author.avatarUrl(),
            author.bot() ? Author.Kind.BOT : Author.Kind.USER,
            m.fromChat ? chat.title : author.displayName(),
            m.fromChat ? null : author.avatarUrl());
    List<SandboxReaction> reactions = new ArrayList<>();
    m.reactions.forEach((emoji, ids) ->
        reactions.add(new SandboxReaction(emoji, ids.stream().map(String::valueOf).toList())));
    List<SandboxAttachment> attachments = new ArrayList<>();
    for (TgFile f : new TgFile[] {m.photo, m.document}) {
      if (f != null) {
        attachments.add(new SandboxAttachment(
            f.fileId(), f.fileName(), f.mimeType(), f.size(),
            baseUrl == null ? null : baseUrl + "/_sandbox/files/" + f.fileId()));
      }
    }
    return new HistoryEntry(
        Long.toString(m.id),
        Long.toString(m.chatId),
        who,
        m.content.text(),
        HtmlRenderer.render(m.content),
        m.replyToId == null ? null : Long.toString(m.replyToId),
        m.threadId == null ? null : Long.toString(m.threadId),
        reactions,
        attachments,
        m.editDate != null,
        m.deleted,
        Instant.ofEpochSecond(m.date),
        wire.message(m).toString());
  }
}
