package coop.relay.sandbox.telegram;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.telegram.internal.TelegramEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * An emulator of the Telegram Bot API, written from the Bot API documentation
 * (core.telegram.org/bots/api) and its machine-readable scrape, for Relay's Telegram connector and
 * anything else that speaks the Bot API. Point a client's base URL at {@link
 * coop.relay.sandbox.RelaySandbox#baseUrl(String) the sandbox's URL} instead of {@code
 * https://api.telegram.org}.
 *
 * <h2>Wire protocol</h2>
 *
 * {@code /bot<token>/<method>} with GET or POST, parameters in the query string, a urlencoded or
 * multipart form, or a JSON body; method names are case-insensitive. Served methods: getMe,
 * getChat, getUpdates, sendMessage, editMessageText, editMessageCaption, deleteMessage,
 * setMessageReaction, sendPhoto, sendDocument, getFile, setWebhook, deleteWebhook, getWebhookInfo;
 * files download from {@code
 * /file/bot<token>/<file_path>}. Answers are {@code {"ok":true,"result":...}} or {@code
 * {"ok":false,"error_code":N,"description":"...","parameters":{...}}} with HTTP status N: 401
 * Unauthorized for an unknown token, 404 Not Found for a malformed token or unknown method, 400 with
 * Telegram's descriptions for bad requests (with {@code migrate_to_chat_id} for an upgraded group),
 * 409 for getUpdates while a webhook is set or when a newer getUpdates supersedes a waiting one, 413
 * for uploads over the limit, 429 with {@code retry_after} over the sending limits.
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>getUpdates long-polls for up to {@code timeout} seconds; updates below {@code offset} are
 *       confirmed and forgotten, a negative offset keeps only the last updates; {@code limit} 1-100;
 *       {@code allowed_updates} applies to updates created after the call, and {@code
 *       message_reaction} updates come only when asked for, as on Telegram.
 *   <li>Bots never receive messages of bots, their own included, nor updates for deletions. People
 *       posting through the control API produce {@code message} / {@code channel_post} updates,
 *       their edits {@code edited_message} / {@code edited_channel_post}, their reactions {@code
 *       message_reaction} (channels: {@code message_reaction_count}).
 *   <li>Text: {@code parse_mode} HTML (the documented tags; anything else answers 400 "can't parse
 *       entities"), MarkdownV2 or legacy Markdown, or explicit {@code entities}; leading and
 *       trailing white space is stripped, URLs, e-mail addresses, @mentions, hashtags, cashtags and
 *       bot commands become entities by themselves (bare domain names do not, unlike on Telegram); at most 4096
 *       characters (1024 for captions), counted in Unicode code points, after entity parsing.
 *   <li>Sending limits per bot: about one message per second per chat with bursts of five, twenty
 *       per minute per group, thirty per second overall; over them the answer is 429 with {@code
 *       retry_after}.
 *   <li>Forum topics ({@code message_thread_id}, {@code is_topic_message}; a message in a topic that
 *       answers nothing else carries the topic's first message as {@code reply_to_message}, as on
 *       Telegram), reply threads of supergroups, replies through {@code reply_parameters}.
 *   <li>Webhooks: updates are POSTed one at a time with the {@code X-Telegram-Bot-Api-Secret-Token}
 *       header and retried with a growing delay until the webhook answers 2xx. Unlike Telegram,
 *       plain {@code http://} webhook URLs are accepted, since sandbox receivers run locally.
 *   <li>Uploads up to 50 MB (photos 10 MB, and they must be images), downloads up to 20 MB.
 * </ul>
 *
 * <h2>Control API</h2>
 *
 * Users get ids from 5000001 on; chats are of type {@code supergroup} (the default, id {@code
 * -1001000000001} and up), {@code forum} (a supergroup with topics), {@code group} (a basic group,
 * id {@code -4000000001} and up) or {@code channel}. People's text is Bot API HTML (so {@code <a
 * href="tg://user?id=5000001">} mentions a user without a username); the history's {@code text} is
 * Telegram's plain text, {@code formatted} the entities rendered back to HTML, {@code raw} the
 * {@code Message} object as a bot receives it. A person has at most one reaction per message (a new
 * one replaces it), as without Telegram Premium; reactions are stored as Telegram spells them, so
 * {@code "❤️"} becomes {@code "❤"} (no U+FE0F). Attachments with an image media type become photos,
 * others documents. {@link #migrateToSupergroup(String, String)} (HTTP: {@code POST
 * /_sandbox/telegram/migrate} with {@code {"channelId":..,"userId":..}}) upgrades a basic group.
 */
public final class TelegramEmulator implements Emulator {

  private final TelegramEngine engine;
  private final List<String> usernames;

  private TelegramEmulator(TelegramEngine engine, List<String> usernames) {
    this.engine = engine;
    this.usernames = usernames;
  }

  /** A builder; add at least one bot. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code telegram}. */
  @Override
  public String platform() {
    return "telegram";
  }

  @Override
  public SandboxControl control() {
    return engine.control();
  }

  @Override
  public void routes(HttpServerRoutes routes) {
    engine.routes(routes);
  }

  @Override
  public void started(String baseUrl) {
    engine.started(baseUrl);
  }

  @Override
  public Mono<Void> stopping() {
    return engine.stopping();
  }

  /**
   * Upgrades the basic group {@code chatId} to a supergroup, as {@code userId} (a person). The old
   * group gets a {@code migrate_to_chat_id} service message and the new supergroup one with {@code
   * migrate_from_chat_id}, both delivered to the bots; from then on, sending to the old id answers
   * 400 with {@code parameters.migrate_to_chat_id}. Emits the new supergroup.
   *
   * <p>Fails with {@code SandboxException} if the chat is not a basic group or the user unknown.
   */
  public Mono<SandboxChannel> migrateToSupergroup(String chatId, String userId) {
    return engine.migrate(chatId, userId);
  }

  @Override
  public String toString() {
    return "TelegramEmulator" + usernames;
  }

  /** Configures a {@link TelegramEmulator}; not thread-safe. */
  public static final class Builder {
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{3,30}bot", Pattern.CASE_INSENSITIVE);

    private final List<TelegramEngine.BotSpec> bots = new ArrayList<>();
    private Scheduler scheduler = Schedulers.parallel();
    private boolean rateLimits = true;
    private long uploadLimit = 50L * 1024 * 1024;
    private long photoLimit = 10L * 1024 * 1024;
    private long downloadLimit = 20L * 1024 * 1024;
    private Duration webhookRetry = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Adds a bot that clients authenticate as with {@code token}, named {@code username} (which,
     * as on Telegram, ends in "bot"); its display name is the username. Repeatable: several bots
     * share the emulated chats, each with its own updates and webhook.
     *
     * @param token {@code <bot id>:<secret>}, e.g. {@code 123456:sandbox-secret}; the id becomes the
     *     bot's user id
     * @throws IllegalArgumentException if the token or username is malformed or used twice
     */
    public Builder bot(String token, String username) {
      return bot(token, username, username);
    }

    /** Like {@link #bot(String, String)}, with a display name ({@code first_name}). */
    public Builder bot(String token, String username, String displayName) {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(displayName, "displayName");
      if (!TOKEN.matcher(token).matches()) {
        throw new IllegalArgumentException("a bot token looks like 123456:secret (digits, ':', then letters, digits, _ or -)");
      }
      String name = username.startsWith("@") ? username.substring(1) : username;
      if (!USERNAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a bot username is 5-32 letters, digits or _ and ends in \"bot\", e.g. relay_bot; got " + username);
      }
      if (displayName.isBlank()) {
        throw new IllegalArgumentException("a bot's display name must not be blank");
      }
      bots.add(new TelegramEngine.BotSpec(token, name, displayName));
      return this;
    }

    /** The scheduler for long-poll timeouts, rate limits, webhook retries and dates; default parallel. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Whether sends over Telegram's limits answer 429 (default true). */
    public Builder rateLimits(boolean enforce) {
      this.rateLimits = enforce;
      return this;
    }

    /**
     * The size limits in bytes: a whole upload request (default 50 MB, 413 above), a photo (10 MB),
     * and what getFile serves (20 MB). Small values let tests cross them cheaply.
     */
    public Builder sizeLimits(long upload, long photo, long download) {
      if (upload < 1 || photo < 1 || download < 1) {
        throw new IllegalArgumentException("size limits must be positive byte counts");
      }
      this.uploadLimit = upload;
      this.photoLimit = photo;
      this.downloadLimit = download;
      return this;
    }

    /** The first delay before a failed webhook push is retried (doubling up to a minute); default 1 s. */
    public Builder webhookRetry(Duration firstDelay) {
      if (firstDelay == null || firstDelay.isNegative() || firstDelay.isZero()) {
        throw new IllegalArgumentException("webhookRetry must be a positive duration");
      }
      this.webhookRetry = firstDelay;
      return this;
    }

    /**
     * Builds the emulator.
     *
     * @throws IllegalStateException if no bot was added or two bots share an id
     */
    public TelegramEmulator build() {
      if (bots.isEmpty()) {
        throw new IllegalStateException("add a bot with .bot(\"123456:secret\", \"relay_bot\"); clients log in with its token");
      }
      Set<String> ids = new HashSet<>();
      for (TelegramEngine.BotSpec b : bots) {
        if (!ids.add(b.token().substring(0, b.token().indexOf(':')))) {
          throw new IllegalStateException("two bots share the id " + b.token().substring(0, b.token().indexOf(':'))
              + "; give each token its own number before ':'");
        }
      }
      TelegramEngine engine = new TelegramEngine(
          bots, new TelegramEngine.Options(scheduler, rateLimits, uploadLimit, photoLimit, downloadLimit, webhookRetry));
      return new TelegramEmulator(engine, bots.stream().map(TelegramEngine.BotSpec::username).toList());
    }
  }
}
