package coop.relay.sandbox.discord;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.discord.internal.DiscordEngine;
import coop.relay.sandbox.discord.internal.RouteLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * An emulator of Discord's HTTP API v10 and Gateway v10, written from Discord's OpenAPI spec and
 * developer documentation, for Relay's Discord connector and anything else that speaks Discord.
 * Point a client's API base URL at {@link #apiBaseUrl()} ({@code <sandbox base URL>/api/v10})
 * instead of {@code https://discord.com/api/v10}; it finds the gateway through {@code GET
 * /gateway/bot}, as on Discord.
 *
 * <h2>REST</h2>
 *
 * Under {@code /api/v10} (also {@code /api/v9} and {@code /api}, which webhook URLs use), with
 * {@code Authorization: Bot <token>} (401 {@code {"message": "401: Unauthorized", "code": 0}}
 * without it): {@code GET /gateway}, {@code GET /gateway/bot}, {@code GET /users/@me}, {@code GET
 * /channels/{id}}, channel messages (list with before/after/around/limit, create, get, edit, delete,
 * bulk delete), reactions (add and remove own, remove a user's, remove all or one emoji's, list
 * users; Unicode emoji URL-encoded or custom {@code name:id}), threads (from a message, or standalone
 * with a type-18 notice), channel webhooks (create, list, get, delete, by id or with token), webhook
 * execution ({@code ?wait=true}, {@code ?thread_id=}, {@code username}, {@code avatar_url}) and webhook
 * messages (get, edit, delete). Message bodies are JSON or {@code multipart/form-data} with {@code
 * payload_json} and {@code files[n]}; files are served at CDN-like URLs under {@code /attachments/}.
 * Supported body fields: {@code content} (at most 2000 characters, as the developer documentation
 * says, else 400 with code 50035 and the {@code errors} tree), {@code nonce} with {@code
 * enforce_nonce}, {@code allowed_mentions}, {@code message_reference} (replies; {@code
 * fail_if_not_exists}), {@code attachments}; embeds, components, stickers and polls are not
 * emulated, so a message needs content or a file (else 50006 "Cannot send an empty message").
 *
 * <p>Every answer carries {@code X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket} for its
 * route's bucket, counted per channel or webhook; over a limit the answer is 429 with {@code
 * X-RateLimit-Scope: user}, {@code Retry-After} and {@code {"message", "retry_after" (seconds,
 * fractional), "global": false, "code": 0}}. Bot-token requests also share a global limit (50 per
 * second by default; webhook-token requests are exempt, as on Discord), answered with {@code
 * "global": true}, {@code X-RateLimit-Global} and {@code X-RateLimit-Scope: global}. A {@link
 * coop.relay.sandbox.Fault} names a route like {@code POST /channels/{channel_id}/messages}; a
 * rate-limit fault on {@code *} is answered as the global limit. Channels can refuse Manage
 * Webhooks ({@link #manageWebhooks(String, boolean)}): creating or listing their webhooks then
 * answers 403 {@code {"message": "Missing Permissions", "code": 50013}}. {@link #invalidRequests()}
 * counts the 401, 403 and 429 answers of the last ten minutes (Discord bans at 10,000).
 *
 * <h2>Gateway</h2>
 *
 * {@code GET /gateway/bot} answers {@code ws://.../gateway}; connect with {@code ?v=10&encoding=json}
 * (no compression). Hello carries the configured {@code heartbeat_interval}; each heartbeat (op 1)
 * is acknowledged (op 11) unless {@link #heartbeatAcks(boolean)} turned that off; a client silent
 * for 1.5 intervals is closed with 4009. Identify (op 2) answers READY ({@code session_id}, {@code
 * resume_gateway_url} pointing at {@code /gateway-resume} of this emulator, user, the guild as
 * unavailable) then GUILD_CREATE. Dispatches are numbered per session: MESSAGE_CREATE / UPDATE /
 * DELETE / DELETE_BULK, MESSAGE_REACTION_ADD / REMOVE / REMOVE_ALL / REMOVE_EMOJI, THREAD_CREATE,
 * CHANNEL_CREATE / UPDATE, GUILD_MEMBER_ADD, WEBHOOKS_UPDATE, each only with its intent; without
 * MESSAGE_CONTENT, message content arrives empty unless the bot wrote the message or is mentioned.
 * Resume (op 6) replays what the session missed, then RESUMED; sessions stay resumable for the
 * configured window. Close codes: 4001 unknown opcode, 4002 undecodable payload, 4003 payload
 * before Identify, 4004 bad token, 4005 second Identify, 4007 bad resume seq, 4008 over 120 payloads
 * a minute, 4009 heartbeat timeout, 4010 bad shard, 4012 bad version, 4013 invalid intents, 4014 a
 * privileged intent the application has not enabled (see {@link Builder#bot(String, String,
 * boolean)}). Reconnect (op 7), Invalid Session (op 9), heartbeat requests, abrupt drops and closes
 * with any code are triggered from here or over HTTP under {@code /_sandbox/discord/gateway/}; a
 * malformed dispatch ({@link #injectMalformedDispatch(String)}) under {@code
 * /_sandbox/discord/channels/{id}/malformed-dispatch}.
 *
 * <h2>Control API</h2>
 *
 * One guild; the bots are members with Manage Webhooks and Manage Messages. Channels are guild text
 * channels (type {@code text}, the default; names are lowercased with dashes, as Discord does).
 * People's text is Discord markdown, stored as is; {@code <@id>} mentions a user. {@code
 * createThread} posts the title as a message and starts a public thread from it (the thread's id is
 * the message's id); post into it with {@code Post.withThread(id)}. A channel's history includes
 * its threads' messages (their {@code threadId} set; {@code raw.channel_id} is the thread) and a
 * thread's id as channel gives only the thread. Reactions take a Unicode emoji or {@code
 * <:name:id>} of a {@link Builder#customEmoji(String) custom emoji}. History {@code raw} is the
 * message object as the REST API returns it.
 */
public final class DiscordEmulator implements Emulator {

  private final DiscordEngine engine;
  private final List<String> usernames;

  private DiscordEmulator(DiscordEngine engine, List<String> usernames) {
    this.engine = engine;
    this.usernames = usernames;
  }

  /** A builder; add at least one bot. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code discord}. */
  @Override
  public String platform() {
    return "discord";
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
   * The REST base URL to give a Discord client, {@code <base URL>/api/v10}. Valid once the sandbox
   * started this emulator; before, it names {@code http://127.0.0.1} without a port.
   */
  public String apiBaseUrl() {
    return engine.apiBaseUrl();
  }

  /** The gateway URL {@code GET /gateway/bot} answers, e.g. {@code ws://127.0.0.1:41234/gateway}. */
  public String gatewayUrl() {
    return engine.gatewayUrl();
  }

  /** The user id of the bot that logs in with {@code token}. @throws IllegalArgumentException if none */
  public String botUserId(String token) {
    return engine.botUserId(token);
  }

  /** The id of the emulated guild. */
  public String guildId() {
    return engine.guildId();
  }

  /**
   * The {@code name:id} of a custom emoji added with {@link Builder#customEmoji(String)}, as reaction
   * routes take it. @throws IllegalArgumentException if there is none of that name
   */
  public String customEmoji(String name) {
    return engine.customEmoji(name);
  }

  /**
   * Grants or refuses the bots Manage Webhooks in a text channel (a channel permission overwrite on
   * their role, sent as CHANNEL_UPDATE). Emits nothing; fails with {@code SandboxException} for an
   * unknown channel.
   */
  public Mono<Void> manageWebhooks(String channelId, boolean allowed) {
    return Mono.fromRunnable(() -> engine.manageWebhooks(channelId, allowed));
  }

  /** Sends Reconnect (op 7) on every open gateway connection; emits how many got it. */
  public Mono<Integer> reconnectGateway() {
    return Mono.fromCallable(engine::reconnectGateway);
  }

  /**
   * Sends Invalid Session (op 9) with {@code d: resumable} on every open gateway connection; emits how
   * many got it. Not resumable ends the sessions; resumable leaves them to a Resume. Either way the
   * connection stays open for a new Identify or Resume.
   */
  public Mono<Integer> invalidateSessions(boolean resumable) {
    return Mono.fromCallable(() -> engine.invalidateSessions(resumable));
  }

  /** Asks every open gateway connection for an immediate heartbeat (op 1); emits how many. */
  public Mono<Integer> requestHeartbeat() {
    return Mono.fromCallable(engine::requestHeartbeat);
  }

  /** Whether heartbeats are acknowledged (op 11); off makes clients see a zombie connection. */
  public Mono<Void> heartbeatAcks(boolean enabled) {
    return Mono.fromRunnable(() -> engine.heartbeatAcks(enabled));
  }

  /**
   * Sends a malformed dispatch, as Discord might after an API change: a MESSAGE_CREATE with the
   * next sequence number whose {@code d} has the wrong shape ({@code {"id": 12, "channel_id": [],
   * "content": {}, "guild_id": ...}}), to every session that hears the guild's messages. It counts
   * in the session's sequence and a Resume replays it like any other dispatch, so a client must
   * move its sequence past it while it skips it. Over HTTP: {@code POST
   * /_sandbox/discord/channels/{id}/malformed-dispatch}, answering {@code {"sessions": n}}.
   *
   * @param channelId a channel of the guild; the broken payload itself names none
   * @return emits how many sessions numbered the dispatch (those without a connection get it when
   *     they resume); fails with {@code SandboxException} (NOT_FOUND) for an unknown channel
   */
  public Mono<Integer> injectMalformedDispatch(String channelId) {
    Objects.requireNonNull(channelId, "channelId");
    return Mono.fromCallable(() -> engine.injectMalformedDispatch(channelId));
  }

  /**
   * Cuts every gateway connection without a close frame, as a network failure would; sessions stay
   * resumable. Emits how many connections were cut.
   */
  public Mono<Integer> dropGateway() {
    return Mono.fromCallable(engine::dropGateway);
  }

  /**
   * Closes every gateway connection with {@code code} (4000-4999, or 1000, 1001, 1011, 1012) and
   * Discord's reason for it; the codes after which Discord does not resume (4004, 4007, 4009-4014)
   * also end the sessions. Emits how many connections were closed; fails with {@code
   * SandboxException} for other codes.
   */
  public Mono<Integer> closeGateway(int code) {
    return Mono.fromCallable(() -> engine.closeGateway(code, ""));
  }

  /** The gateway's open connections, live sessions and sessions waiting for a Resume. */
  public Mono<GatewayStatus> gatewayStatus() {
    return Mono.fromCallable(engine::gatewayStatus);
  }

  /** How many 401, 403 and 429 answers the REST API gave in the last ten minutes. */
  public int invalidRequests() {
    return engine.invalidRequests();
  }

  @Override
  public String toString() {
    return "DiscordEmulator" + usernames;
  }

  /** Configures a {@link DiscordEmulator}; not thread-safe. */
  public static final class Builder {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{8,200}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.]{2,32}");
    private static final Pattern EMOJI_NAME = Pattern.compile("[A-Za-z0-9_]{2,32}");

    private final List<DiscordEngine.BotSpec> bots = new ArrayList<>();
    private final Set<String> emojis = new LinkedHashSet<>();
    private final RouteLimits limits = new RouteLimits();
    private Scheduler scheduler = Schedulers.parallel();
    private String guildName = "Relay Sandbox";
    private long uploadLimit = 10L * 1024 * 1024;
    private Duration heartbeatInterval = Duration.ofMillis(41_250);
    private Duration resumeWindow = Duration.ofMinutes(3);
    private int replayBuffer = 1000;

    private Builder() {}

    /**
     * Adds a bot application whose bot logs in with {@code token} and has the Message Content
     * intent enabled (the Server Members and Presence intents are not).
     *
     * @throws IllegalArgumentException if the token or username is malformed
     */
    public Builder bot(String token, String username) {
      return bot(token, username, true);
    }

    /**
     * Adds a bot application; {@code messageContentIntent} says whether the privileged Message
     * Content intent is enabled for it in the (emulated) Developer Portal. Identify asking for it
     * when it is not enabled is closed with 4014, as on Discord. Repeatable for several bots.
     *
     * @param token what clients send as {@code Authorization: Bot <token>} and in Identify: 8-200
     *     letters, digits, '.', '_' or '-'
     * @throws IllegalArgumentException if the token or username is malformed
     */
    public Builder bot(String token, String username, boolean messageContentIntent) {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(username, "username");
      if (!TOKEN.matcher(token).matches()) {
        throw new IllegalArgumentException("a bot token is 8-200 letters, digits, '.', '_' or '-', e.g. sandbox.bot-token.1");
      }
      if (!USERNAME.matcher(username).matches()) {
        throw new IllegalArgumentException("a bot username is 2-32 letters, digits, _ or ., e.g. Relay; got " + username);
      }
      bots.add(new DiscordEngine.BotSpec(token, username, messageContentIntent, false, false));
      return this;
    }

    /** The guild's name; default "Relay Sandbox". */
    public Builder guildName(String name) {
      if (name == null || name.isBlank() || name.length() > 100) {
        throw new IllegalArgumentException("a guild name is 1-100 characters");
      }
      this.guildName = name.strip();
      return this;
    }

    /** Adds a custom emoji of the guild, usable in reactions as {@code name:id} (see {@link DiscordEmulator#customEmoji}). */
    public Builder customEmoji(String name) {
      if (name == null || !EMOJI_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a custom emoji name is 2-32 letters, digits or _; got " + name);
      }
      emojis.add(name);
      return this;
    }

    /** The scheduler for the clock (ids, timestamps, rate limits) and gateway timers; default parallel. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The most bytes of files one message may carry (default 10 MiB, Discord's base limit); 413 above. */
    public Builder uploadLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("uploadLimit must be a positive byte count");
      }
      this.uploadLimit = bytes;
      return this;
    }

    /** The heartbeat_interval Hello announces; default 41.25 s as Discord's. Short ones speed tests up. */
    public Builder heartbeatInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 10) {
        throw new IllegalArgumentException("heartbeatInterval must be at least 10 ms");
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * How long a disconnected session stays resumable (default 3 minutes) and how many of its latest
     * dispatches are kept for replay (default 1000); a Resume beyond either gets Invalid Session.
     */
    public Builder resume(Duration window, int bufferedEvents) {
      if (window == null || window.isNegative() || bufferedEvents < 1) {
        throw new IllegalArgumentException("resume needs a non-negative window and a buffer of at least 1 event");
      }
      this.resumeWindow = window;
      this.replayBuffer = bufferedEvents;
      return this;
    }

    /**
     * Sets the limit of the rate-limit bucket of {@code route}, e.g. {@code "POST
     * /channels/{channel_id}/messages"} (routes that share a bucket, like the reaction routes, share
     * the new limit). Checked when building.
     */
    public Builder rateLimit(String route, int limit, Duration window) {
      if (route == null || limit < 1 || window == null || window.toMillis() < 1) {
        throw new IllegalArgumentException("a rate limit needs a route, a limit of at least 1 and a window of at least 1 ms");
      }
      limits.route(route, limit, window);
      return this;
    }

    /** The global limit of requests per second per bot token (default 50). */
    public Builder globalRateLimit(int perSecond) {
      if (perSecond < 1) {
        throw new IllegalArgumentException("globalRateLimit must be at least 1 request per second");
      }
      limits.global(perSecond);
      return this;
    }

    /** Whether requests over the limits answer 429 (default true); the headers are sent either way. */
    public Builder rateLimits(boolean enforce) {
      limits.enforced(enforce);
      return this;
    }

    /**
     * Builds the emulator.
     *
     * @throws IllegalStateException if no bot was added, two bots share a token, or a rate limit
     *     names a route the emulator does not serve
     */
    public DiscordEmulator build() {
      if (bots.isEmpty()) {
        throw new IllegalStateException("add a bot with .bot(\"sandbox-token\", \"Relay\"); clients log in with its token");
      }
      Set<String> tokens = new HashSet<>();
      for (DiscordEngine.BotSpec b : bots) {
        if (!tokens.add(b.token())) {
          throw new IllegalStateException("two bots share a token; give each bot its own");
        }
      }
      DiscordEngine engine;
      try {
        engine = new DiscordEngine(
            List.copyOf(bots),
            new DiscordEngine.Options(
                scheduler, guildName, List.copyOf(emojis), 2000, uploadLimit, heartbeatInterval, resumeWindow,
                replayBuffer, limits));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return new DiscordEmulator(engine, bots.stream().map(DiscordEngine.BotSpec::username).toList());
    }
  }
}
