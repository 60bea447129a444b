package coop.relay.sandbox.slack;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.slack.internal.SlackEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * An emulator of one Slack workspace, written from Slack's Web API spec, its Events API spec and
 * sample payloads, and the api.slack.com documentation of Socket Mode, the Events API and the Web
 * API, for Relay's Slack connector and anything else that speaks Slack. Point a client's Web API
 * base URL at {@code <sandbox base URL>/api} instead of {@code https://slack.com/api}.
 *
 * <pre>{@code
 * SlackEmulator slack = SlackEmulator.builder()
 *     .app("relay", app -> app.botToken("xoxb-1-relay").appToken("xapp-1-relay").signingSecret("s3cret"))
 *     .build();
 * }</pre>
 *
 * <h2>Web API</h2>
 *
 * {@code /api/<method>} with GET or POST; arguments in the query string (never the token), a
 * urlencoded or multipart form, or a JSON body; the token as {@code Authorization: Bearer} (or a
 * {@code token} form field). Answers are HTTP 200 {@code {"ok":true,...}} or {@code
 * {"ok":false,"error":"..."}}: {@code not_authed}, {@code invalid_auth}, {@code
 * not_allowed_token_type} (a bot token for apps.connections.open, an app token elsewhere), {@code
 * account_inactive} (see {@link #deactivate(String)}), {@code channel_not_found}, {@code
 * not_in_channel}, {@code no_text}, {@code msg_too_long} (over 40,000 characters), {@code
 * message_not_found}, {@code cant_update_message}, {@code cant_delete_message}, {@code
 * already_reacted}, {@code no_reaction}, {@code invalid_name}, {@code thread_not_found} and {@code
 * cannot_reply_to_message} (a {@code thread_ts} that is unknown or itself a reply; stricter than
 * Slack, which may accept and orphan such a reply), {@code invalid_metadata_format}, {@code
 * invalid_json}, {@code invalid_post_type}. JSON bodies without a charset get Slack's {@code
 * missing_charset} warning. An unknown method is HTTP 404 {@code unknown_method}; rate limits are
 * HTTP 429 {@code {"ok":false,"error":"ratelimited"}} with {@code Retry-After} in seconds.
 *
 * <p>Methods: auth.test, users.info, conversations.info, conversations.history,
 * conversations.replies, chat.postMessage (text, blocks, attachments, thread_ts, reply_broadcast,
 * username/icon_url/icon_emoji for apps with {@link AppOptions#customize(boolean)}, metadata
 * {@code {event_type, event_payload}}, unfurl flags accepted), chat.meMessage, chat.update,
 * chat.delete, reactions.add/remove (names without colons, {@code ::skin-tone-N} suffixes),
 * files.getUploadURLExternal (its {@code upload_url} takes the bytes as a raw or multipart POST),
 * files.completeUploadExternal (posts a {@code file_share} message with the initial comment, in a
 * thread with {@code thread_ts}), apps.connections.open. Files download from their {@code
 * url_private} with the bot token; without it, Slack's sign-in page answers with HTTP 200 HTML.
 *
 * <p>Rate limits per app and method: Tier 2 (reactions.remove), Tier 3 (conversations.*,
 * chat.update, chat.delete, chat.meMessage, reactions.add, apps.connections.open), Tier 4
 * (auth.test, users.info, files.*), and about one chat.postMessage per second per channel with
 * bursts of five.
 *
 * <h2>Events</h2>
 *
 * Every app whose bot user is in a channel gets its events, its own posts included (with {@code
 * bot_id} and {@code app_id}, or as {@code subtype: bot_message} with {@code username} and {@code
 * icons} when posted under another name), wrapped in Slack's {@code event_callback} (token,
 * team_id, api_app_id, event, event_id, event_time, authorizations, event_context): {@code message}
 * (and its subtypes {@code me_message}, {@code thread_broadcast}, {@code file_share}, {@code
 * bot_message}, {@code message_changed} with {@code message} and {@code previous_message}, {@code
 * message_deleted} with {@code deleted_ts} and {@code previous_message}), {@code reaction_added},
 * {@code reaction_removed}. Links unfurl as on Slack: shortly after a post with links (people's
 * always, an app's as its {@code unfurl_links} and {@code unfurl_media} say), previews are added as
 * {@code attachments} and a {@code message_changed} without {@code edited} follows (see {@link
 * Builder#unfurlDelay(Duration)}). Message {@code metadata} is in the events of the app that posted it,
 * and of apps with {@link AppOptions#allMetadata(boolean)}. People's messages carry {@code
 * client_msg_id} but no {@code blocks} (Slack adds rich-text blocks; the text is authoritative).
 *
 * <p><b>Socket Mode</b> (apps with an app-level token): apps.connections.open answers a {@code
 * ws://} URL with a one-time ticket; the connection starts with {@code hello} ({@code
 * num_connections}, {@code debug_info}, {@code connection_info}); events come as {@code events_api}
 * envelopes ({@code envelope_id}, {@code payload}, {@code accepts_response_payload}, {@code
 * retry_attempt}, {@code retry_reason}) spread over the app's open connections, each to be acked
 * with {@code {"envelope_id":...}} within the ack timeout (3 s). An event whose envelope is not
 * acked in time is sent again in a new envelope with the same {@code event_id} ({@code
 * retry_reason} {@code timeout}), as is one whose connection closed before its ack ({@code
 * connection_closed}, on the app's next connection), with {@code retry_attempt} one higher, at most
 * three times. Unlike Slack, which eventually gives up on an app with no
 * connection, events wait for the app's next connection. {@link #refreshSockets(String)} (and
 * connections older than {@link Builder#socketRefresh(Duration, Duration)}, or 360 s with {@code
 * debug_reconnects=true}) sends {@code disconnect} {@code refresh_requested}: the connection gets
 * no new envelopes and is closed after the grace period, so a client that connects anew at once
 * loses nothing. The server sends no WebSocket pings.
 *
 * <p><b>Events API</b> (apps with a request URL and a signing secret): each event is POSTed as JSON
 * with {@code X-Slack-Request-Timestamp} and {@code X-Slack-Signature} ({@code v0=} hex
 * HMAC-SHA256 of {@code v0:<timestamp>:<body>}). Without a 2xx answer within the ack timeout it is
 * retried after the retry delays (Slack: nearly at once, 1 min, 5 min) with {@code
 * X-Slack-Retry-Num} and {@code X-Slack-Retry-Reason} ({@code http_timeout}, {@code http_error},
 * {@code connection_failed}), unless the answer had {@code X-Slack-No-Retry: 1}. {@link
 * #requestUrl(String, String)} checks a URL with Slack's {@code url_verification} challenge first.
 *
 * <h2>Control API</h2>
 *
 * Users get ids {@code U0SBX...}, channels {@code C0SBX...} of type {@code public_channel} (the
 * default) or {@code private_channel}; apps' bot users are in every channel unless {@link
 * #leave(String, String)} says otherwise, and people in all of them. Text is Slack mrkdwn, stored
 * as sent; a text starting with {@code /me } becomes a {@code me_message}. Slack has no reply-to:
 * answering a message ({@link coop.relay.sandbox.Post#withReplyTo(String)}) replies in its thread,
 * and the history's {@code threadId} is the thread's root ts. Reactions take Unicode emoji (the
 * common ones; see the emulator's emoji table) or custom emoji names; the history shows them as
 * Unicode. The history's {@code raw} is the message as conversations.history shows it, metadata
 * included. Platform controls are also served under {@code /_sandbox/slack/}: {@code GET apps},
 * {@code POST apps/{name}/refresh}, {@code POST apps/{name}/drop}, {@code PUT
 * apps/{name}/request-url} with {@code {"url":...}}, {@code POST apps/{name}/malformed-event}
 * with {@code {"channelId":...}} (see {@link #injectMalformedEvent(String, String)}), {@code POST
 * broadcast} with {@code {channelId, threadTs, userId, text}}.
 */
public final class SlackEmulator implements Emulator {

  /**
   * The ids Slack gave an installed app.
   *
   * @param name the app's name in the builder
   * @param appId its app id ({@code api_app_id}, {@code A...})
   * @param botId its bot id ({@code bot_id}, {@code B...})
   * @param botUserId its bot user's id ({@code U...})
   */
  public record App(String name, String appId, String botId, String botUserId) {}

  private final SlackEngine engine;

  private SlackEmulator(SlackEngine engine) {
    this.engine = engine;
  }

  /** A builder; add at least one app. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code slack}. */
  @Override
  public String platform() {
    return "slack";
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

  /** The ids of the installed apps, in the order they were added. */
  public List<App> apps() {
    List<App> out = new ArrayList<>();
    engine.apps().forEach(a -> out.add(new App(a.name(), a.appId(), a.botId(), a.botUserId())));
    return out;
  }

  /**
   * The ids of app {@code name}.
   *
   * @throws IllegalArgumentException if there is no such app
   */
  public App app(String name) {
    for (App a : apps()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no Slack app named " + name + "; the emulator has " + apps());
  }

  /**
   * Sets app {@code name}'s Events API request URL, as in the app's settings: Slack first sends the
   * {@code url_verification} challenge, signed, and keeps the URL only if the endpoint echoes it.
   * From then on the app's events go to the URL, not over Socket Mode (open connections get {@code
   * disconnect} {@code link_disabled}). {@code null} removes the URL. Completes once saved; fails
   * with {@code SandboxException} if the app is unknown, has no signing secret, or the endpoint
   * does not answer the challenge within the ack timeout. Cancelling abandons the check.
   */
  public Mono<Void> requestUrl(String name, @Nullable String url) {
    return engine.requestUrl(name, url);
  }

  /**
   * Turns Socket Mode on or off for app {@code name}; turning it off sends {@code disconnect}
   * {@code link_disabled} to its connections and closes them, and its events go to its request URL
   * if it has one. Fails if the app is unknown, or has no app-level token to turn it on.
   */
  public Mono<Void> socketMode(String name, boolean enabled) {
    return engine.socketMode(name, enabled);
  }

  /**
   * Sends {@code disconnect} with reason {@code refresh_requested} to every open Socket Mode
   * connection of app {@code name}, stops sending envelopes on them and closes them after the
   * refresh grace period. Completes once the messages are queued.
   */
  public Mono<Void> refreshSockets(String name) {
    return engine.refreshSockets(name);
  }

  /** Sends {@code disconnect} with reason {@code warning} to app {@code name}'s connections. */
  public Mono<Void> warnSockets(String name) {
    return engine.warnSockets(name);
  }

  /**
   * Cuts every Socket Mode connection of app {@code name} without a close frame, as a network
   * failure would; envelopes not yet acked go to its next connection.
   */
  public Mono<Void> dropSockets(String name) {
    return engine.dropSockets(name);
  }

  /** How many Socket Mode connections app {@code name} has open. */
  public int openSockets(String name) {
    return engine.openSockets(name);
  }

  /**
   * How many of app {@code name}'s events Slack is still trying to deliver: queued for a connection,
   * sent in an envelope that is not acked yet, in an Events API request without a 2xx answer yet,
   * or waiting for a retry. Events Slack gave up on no longer count. Zero once the app has
   * acknowledged everything it was sent.
   *
   * @throws coop.relay.sandbox.SandboxException if there is no such app
   */
  public int undeliveredEvents(String name) {
    return engine.undeliveredEvents(name);
  }

  /** Makes app {@code name}'s bot user leave a channel: no events from it, {@code not_in_channel}. */
  public Mono<Void> leave(String name, String channelId) {
    return engine.membership(name, channelId, false);
  }

  /** Makes app {@code name}'s bot user join a channel again. */
  public Mono<Void> join(String name, String channelId) {
    return engine.membership(name, channelId, true);
  }

  /** Deactivates app {@code name}: its tokens answer {@code account_inactive}, it gets no events. */
  public Mono<Void> deactivate(String name) {
    return engine.active(name, false);
  }

  /** Reactivates app {@code name}. */
  public Mono<Void> reactivate(String name) {
    return engine.active(name, true);
  }

  /**
   * Delivers to app {@code name} an event from channel {@code channelId} that is structurally wrong
   * for its type, as Slack's payloads do change shape: Slack's {@code event_callback} wrapper with a
   * fresh {@code event_id}, around {@code {"type":"message","channel":["C..."],"ts":{},"user":42}}.
   * It goes the way of any event of the app: an {@code events_api} envelope in Socket Mode, acked,
   * redelivered and given up on like any other, or a signed POST to the request URL, retried
   * without a 2xx answer. It is no message of the channel (the history does not show it), and an
   * app with neither Socket Mode nor a request URL does not get it, as with any event. Over HTTP:
   * {@code POST /_sandbox/slack/apps/{name}/malformed-event} with {@code {"channelId":...}},
   * answering {@code {"eventId":...}}.
   *
   * @return emits the event's {@code event_id} once it is queued for delivery; fails with {@code
   *     SandboxException} NOT_FOUND for an unknown app or channel, INVALID for a blank channel id,
   *     and CONFLICT when the app is deactivated or its bot user is not in the channel (it would
   *     get no events from there). Lazy: nothing is sent before subscription; once queued, the
   *     delivery no longer depends on the subscriber.
   */
  public Mono<String> injectMalformedEvent(String name, String channelId) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(channelId, "channelId");
    return engine.injectMalformedEvent(name, channelId);
  }

  /**
   * Posts a thread reply as person {@code userId} that is also sent to the channel ({@code
   * subtype: thread_broadcast}); emits it as stored. Fails with {@code SandboxException} for an
   * unknown channel, user or thread root, or blank text.
   */
  public Mono<HistoryEntry> broadcastReply(String channelId, String threadTs, String userId, String text) {
    return engine.broadcastReply(channelId, threadTs, userId, text);
  }

  @Override
  public String toString() {
    return "SlackEmulator" + apps();
  }

  /** The settings of one app; used inside {@link Builder#app(String, Consumer)}. Not thread-safe. */
  public static final class AppOptions {
    private @Nullable String botToken;
    private @Nullable String appToken;
    private @Nullable String signingSecret;
    private @Nullable String requestUrl;
    private boolean customize = true;
    private boolean allMetadata;
    private @Nullable String iconUrl;

    private AppOptions() {}

    /** The bot token ({@code xoxb-...}) clients call the Web API with; required. */
    public AppOptions botToken(String token) {
      this.botToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The app-level token ({@code xapp-...}) for apps.connections.open; turns Socket Mode on. */
    public AppOptions appToken(String token) {
      this.appToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The signing secret Slack signs Events API requests with; required for a request URL. */
    public AppOptions signingSecret(String secret) {
      this.signingSecret = Objects.requireNonNull(secret, "secret");
      return this;
    }

    /**
     * An Events API request URL, used without the url_verification check (use {@link
     * SlackEmulator#requestUrl(String, String)} to check it); events go there when the app has no
     * app-level token.
     */
    public AppOptions requestUrl(String url) {
      this.requestUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Whether the app has the {@code chat:write.customize} scope, so that {@code username}, {@code
     * icon_url} and {@code icon_emoji} take effect; default true. Without it Slack ignores them.
     */
    public AppOptions customize(boolean granted) {
      this.customize = granted;
      return this;
    }

    /** Whether the app sees other apps' message {@code metadata} in its events; default false. */
    public AppOptions allMetadata(boolean all) {
      this.allMetadata = all;
      return this;
    }

    /** The app's icon, shown as its bot user's avatar; default Slack's bot icon. */
    public AppOptions iconUrl(String url) {
      this.iconUrl = Objects.requireNonNull(url, "url");
      return this;
    }
  }

  /** Configures a {@link SlackEmulator}; not thread-safe. */
  public static final class Builder {
    private static final Pattern APP_NAME = Pattern.compile("[\\p{L}\\p{N} _.\\-]{1,35}");
    private static final Pattern TEAM_ID = Pattern.compile("T[A-Z0-9]{8,}");

    private final List<SlackEngine.AppSpec> apps = new ArrayList<>();
    private final Map<String, String> customEmoji = new LinkedHashMap<>();
    private Scheduler scheduler = Schedulers.parallel();
    private boolean rateLimits = true;
    private String teamId = "T0SANDBOX1";
    private String teamName = "Relay Sandbox";
    private long uploadLimit = 1024L * 1024 * 1024;
    private Duration ackTimeout = Duration.ofSeconds(3);
    private List<Duration> httpRetryDelays = List.of(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5));
    private @Nullable Duration refreshAfter;
    private Duration refreshGrace = Duration.ofSeconds(10);
    private @Nullable Duration unfurlDelay = Duration.ofMillis(500);

    private Builder() {}

    /**
     * Installs an app named {@code name} (its bot user's name too), configured by {@code options}.
     * Repeatable: several apps share the workspace, each with its own tokens and events.
     *
     * @throws IllegalArgumentException if the name is malformed or a token does not look like a
     *     Slack token ({@code xoxb-...}, {@code xapp-...})
     */
    public Builder app(String name, Consumer<AppOptions> options) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(options, "options");
      if (!APP_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("an app name is 1-35 letters, digits, spaces, _, . or -; got " + name);
      }
      AppOptions o = new AppOptions();
      options.accept(o);
      if (o.botToken == null || !o.botToken.startsWith("xoxb-") || o.botToken.length() < 8) {
        throw new IllegalArgumentException("app " + name + " needs a bot token starting with xoxb-, e.g. .botToken(\"xoxb-1-relay\")");
      }
      if (o.appToken != null && (!o.appToken.startsWith("xapp-") || o.appToken.length() < 8)) {
        throw new IllegalArgumentException("an app-level token starts with xapp-, e.g. .appToken(\"xapp-1-relay\")");
      }
      if (o.requestUrl != null && o.signingSecret == null) {
        throw new IllegalArgumentException("app " + name + " has a request URL but no signing secret; add .signingSecret(...)");
      }
      if (o.requestUrl != null && !o.requestUrl.startsWith("http://") && !o.requestUrl.startsWith("https://")) {
        throw new IllegalArgumentException("a request URL is an http(s) URL; got " + o.requestUrl);
      }
      apps.add(new SlackEngine.AppSpec(name, o.botToken, o.appToken, o.signingSecret, o.requestUrl, o.customize, o.allMetadata, o.iconUrl));
      return this;
    }

    /** The workspace's id ({@code T} and at least eight upper-case letters or digits) and name. */
    public Builder team(String id, String name) {
      if (id == null || !TEAM_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("a team id is T followed by at least eight upper-case letters or digits, e.g. T0SANDBOX1");
      }
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a team needs a name");
      }
      this.teamId = id;
      this.teamName = name;
      return this;
    }

    /** Adds a custom emoji (reaction name without colons, picture URL). */
    public Builder customEmoji(String name, String imageUrl) {
      if (name == null || !name.matches("[a-z0-9_\\-+']{1,100}")) {
        throw new IllegalArgumentException("an emoji name is lower-case letters, digits, _, -, + or '; got " + name);
      }
      customEmoji.put(name, Objects.requireNonNull(imageUrl, "imageUrl"));
      return this;
    }

    /** The scheduler for ack timeouts, retries, refreshes, rate limits and timestamps; default parallel. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Whether calls over Slack's rate limits answer 429 (default true). */
    public Builder rateLimits(boolean enforce) {
      this.rateLimits = enforce;
      return this;
    }

    /** The largest file files.getUploadURLExternal accepts, in bytes (default 1 GB). */
    public Builder uploadLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("uploadLimit must be a positive byte count");
      }
      this.uploadLimit = bytes;
      return this;
    }

    /** How long Slack waits for a Socket Mode ack or an Events API 2xx before retrying; default 3 s. */
    public Builder ackTimeout(Duration timeout) {
      requirePositive(timeout, "ackTimeout");
      this.ackTimeout = timeout;
      return this;
    }

    /**
     * The waits before each Events API retry; their number is the number of retries (default 1 s,
     * 1 min, 5 min: Slack retries nearly at once, then after a minute, then after five).
     */
    public Builder eventRetryDelays(Duration... delays) {
      List<Duration> list = List.of(delays);
      for (Duration d : list) {
        if (d.isNegative()) {
          throw new IllegalArgumentException("retry delays must not be negative");
        }
      }
      this.httpRetryDelays = list;
      return this;
    }

    /**
     * Refreshes every Socket Mode connection once it is {@code after} old, with a {@code grace}
     * period between the {@code disconnect} and the close; default: only on demand ({@link
     * SlackEmulator#refreshSockets(String)}), with 10 s of grace. Slack refreshes every few hours.
     */
    public Builder socketRefresh(@Nullable Duration after, Duration grace) {
      if (after != null) {
        requirePositive(after, "socketRefresh after");
      }
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("the refresh grace must be zero or positive");
      }
      this.refreshAfter = after;
      this.refreshGrace = grace;
      return this;
    }

    /**
     * How long after a post Slack adds link previews ({@code attachments}) and sends the {@code
     * message_changed} that carries them (default 500 ms); {@code null} turns unfurling off.
     */
    public Builder unfurlDelay(@Nullable Duration delay) {
      if (delay != null && delay.isNegative()) {
        throw new IllegalArgumentException("unfurlDelay must not be negative");
      }
      this.unfurlDelay = delay;
      return this;
    }

    private static void requirePositive(@Nullable Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be a positive duration");
      }
    }

    /**
     * Builds the emulator.
     *
     * @throws IllegalStateException if no app was added, or two apps share a name or token
     */
    public SlackEmulator build() {
      if (apps.isEmpty()) {
        throw new IllegalStateException(
            "add an app with .app(\"relay\", app -> app.botToken(\"xoxb-1-relay\").appToken(\"xapp-1-relay\"))");
      }
      Set<String> seen = new HashSet<>();
      for (SlackEngine.AppSpec a : apps) {
        if (!seen.add("name:" + a.name()) || !seen.add("token:" + a.botToken()) || (a.appToken() != null && !seen.add("token:" + a.appToken()))) {
          throw new IllegalStateException("two apps share the name or a token of " + a.name() + "; give each app its own");
        }
      }
      SlackEngine engine = new SlackEngine(List.copyOf(apps), new SlackEngine.Options(
          scheduler, rateLimits, teamId, teamName, 40_000, uploadLimit, ackTimeout, 3, httpRetryDelays,
          refreshAfter, refreshGrace, unfurlDelay, customEmoji));
      return new SlackEmulator(engine);
    }
  }
}
