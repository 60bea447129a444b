package coop.relay.discord.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.discord.internal.DiscordRest.Call;
import coop.relay.spi.Backoff;
import coop.relay.support.CloseStatus;
import coop.relay.support.Json;
import coop.relay.support.Quota;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Secret;
import coop.relay.support.WebSocketEvent;
import coop.relay.support.WebSocketSender;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Gateway session, kept alive across connections: Hello starts the heartbeat (the first after
 * {@code heartbeat_interval × jitter}, then every interval, with the last sequence); a heartbeat
 * that finds the previous one unacknowledged closes the zombie connection and resumes. Identify
 * sends the intents the bridge needs; READY's session id and resume URL are kept (and saved) so that
 * a drop, a Reconnect (op 7) or a resumable Invalid Session (op 9) resumes, while a session Discord
 * no longer knows is identified anew. Close codes 4004 and 4010–4014 end the stream with an error
 * that names the cause; any other drop reconnects with backoff. Connections are dropped without a
 * close frame, which keeps the session resumable. Outgoing events stay below 120 per minute.
 *
 * <p>Everything runs under the object's monitor, on OkHttp's and the scheduler's threads.
 */
final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | MESSAGE_CONTENT. */
  static final int INTENTS = (1 << 0) | (1 << 9) | (1 << 10) | (1 << 15);
  private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);
  private static final int RESUME_ATTEMPTS = 10;

  /** Where a session stands, as saved in the cursors. */
  record Session(@Nullable String sessionId, @Nullable String resumeUrl, @Nullable Long sequence) {}

  /** Saves the session id and resume URL (both empty to forget them). */
  interface SessionStore {
    void save(String sessionId, String resumeUrl);
  }

  private final String connectorId;
  private final Secret token;
  private final DiscordRest rest;
  private final ReactiveHttpClient http;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final DoubleSupplier random;
  private final SessionStore store;
  private final FrameReader reader = new FrameReader();
  private final RateLimiter outbound;

  private @Nullable FluxSink<GatewayItem> sink;
  private @Nullable String sessionId;
  private @Nullable String resumeUrl;
  private @Nullable Long sequence;
  private int failures;
  private int connections;
  private boolean stopped;
  private @Nullable Connection current;
  private @Nullable Disposable pending;

  Gateway(String connectorId, Secret token, DiscordRest rest, ReactiveHttpClient http, Scheduler scheduler,
      Backoff backoff, DoubleSupplier random, Session start, SessionStore store) {
    this.connectorId = connectorId;
    this.token = token;
    this.rest = rest;
    this.http = http;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.random = random;
    this.store = store;
    this.sessionId = blankToNull(start.sessionId());
    this.resumeUrl = blankToNull(start.resumeUrl());
    this.sequence = start.sequence();
    this.outbound = RateLimiter.builder()
        .name("discord gateway " + connectorId)
        .scheduler(scheduler)
        .keyQuota(Quota.of(120, Duration.ofSeconds(60)))
        .build();
  }

  /** One open WebSocket and its heartbeat. */
  private static final class Connection {
    final int number;
    @Nullable Disposable socket;
    @Nullable WebSocketSender sender;
    @Nullable Disposable heartbeat;
    @Nullable Disposable helloTimeout;
    @Nullable CloseStatus closeStatus;
    boolean acknowledged = true;

    Connection(int number) {
      this.number = number;
    }

    void dispose() {
      if (heartbeat != null) {
        heartbeat.dispose();
      }
      if (helloTimeout != null) {
        helloTimeout.dispose();
      }
      if (socket != null) {
        socket.dispose(); // without a close frame: Discord keeps the session resumable
      }
    }
  }

  /**
   * Runs the session until cancelled, emitting what happened. Fails for close codes that retrying
   * cannot fix and when Discord rejects the token; never completes. One subscription per instance.
   */
  Flux<GatewayItem> run() {
    return Flux.create(created -> {
      synchronized (this) {
        sink = created;
      }
      created.onDispose(this::stop);
      connect();
    }, FluxSink.OverflowStrategy.BUFFER);
  }

  private synchronized void stop() {
    stopped = true;
    if (pending != null) {
      pending.dispose();
    }
    if (current != null) {
      current.dispose();
      current = null;
    }
  }

  private synchronized void connect() {
    if (stopped) {
      return;
    }
    String resume = resumeUrl;
    if (sessionId != null && resume != null && sequence != null) {
      open(resume);
      return;
    }
    Call call = Call.of(Route.GATEWAY_BOT, "asking for the Gateway URL");
    pending = rest.json(call)
        .flatMap(node -> {
          Optional<Wire.GatewayBot> bot = Json.convertOrSkip(node, Wire.GatewayBot.class, "GET /gateway/bot answer");
          if (bot.isEmpty()) {
            return Mono.error(new IllegalStateException("GET /gateway/bot answered without a URL"));
          }
          Wire.SessionStartLimit limit = bot.get().sessionStartLimit();
          if (limit != null && limit.remaining() <= 0 && limit.resetAfter() > 0) {
            LOG.warn("{}: Discord allows no more Gateway sessions until its daily limit resets in {} s; waiting",
                connectorId, limit.resetAfter() / 1000);
            return Mono.delay(Duration.ofMillis(limit.resetAfter()), scheduler).thenReturn(bot.get().url());
          }
          return Mono.just(bot.get().url());
        })
        .subscribe(this::open, this::gatewayUrlFailed);
  }

  private synchronized void gatewayUrlFailed(Throwable failure) {
    if (failure instanceof CredentialsRejectedException) {
      fail(failure);
      return;
    }
    failures++;
    lost(null, "cannot get the Gateway URL: " + failure.getMessage(), backoff.delay(failures, random));
  }

  private synchronized void open(String url) {
    if (stopped) {
      return;
    }
    HttpUrl parsed = gatewayUrl(url);
    if (parsed == null) {
      fail(new InvalidConfigurationException("Discord named an unusable Gateway URL: " + url));
      return;
    }
    Connection connection = new Connection(++connections);
    current = connection;
    Request request = new Request.Builder().url(parsed).build();
    connection.helloTimeout = scheduler.schedule(() -> helloMissing(connection), HELLO_TIMEOUT.toMillis(),
        TimeUnit.MILLISECONDS);
    connection.socket = http.webSocket(request, null).subscribe(
        event -> onEvent(connection, event),
        failure -> onFailure(connection, failure),
        () -> onClosed(connection));
  }

  /** The Gateway URL with the version and encoding Discord wants as query parameters. */
  static @Nullable HttpUrl gatewayUrl(String url) {
    String http = url.startsWith("wss://") ? "https://" + url.substring(6)
        : url.startsWith("ws://") ? "http://" + url.substring(5) : url;
    HttpUrl parsed = HttpUrl.parse(http);
    if (parsed == null) {
      return null;
    }
    return parsed.newBuilder().setQueryParameter("v", "10").setQueryParameter("encoding", "json").build();
  }

  private synchronized void helloMissing(Connection connection) {
    if (connection == current) {
      failures++;
      lost(connection, "no Hello within " + HELLO_TIMEOUT.toSeconds() + " s", backoff.delay(failures, random));
    }
  }

  private synchronized void onEvent(Connection connection, WebSocketEvent event) {
    if (connection != current) {
      return;
    }
    if (event instanceof WebSocketEvent.Opened opened) {
      connection.sender = opened.sender();
    } else if (event instanceof WebSocketEvent.Text text) {
      Frame frame = reader.read(text.text());
      if (frame != null) {
        onFrame(connection, frame);
      }
    } else if (event instanceof WebSocketEvent.Closing closing) {
      connection.closeStatus = closing.status();
    } else if (event instanceof WebSocketEvent.Closed closed) {
      connection.closeStatus = closed.status();
    }
  }

  private void onFrame(Connection connection, Frame frame) {
    switch (frame.op()) {
      case Frame.HELLO -> hello(connection, frame);
      case Frame.HEARTBEAT_ACK -> connection.acknowledged = true;
      case Frame.HEARTBEAT -> heartbeat(connection);
      case Frame.RECONNECT -> lost(connection, "Discord asked to reconnect (op 7)", Duration.ZERO);
      case Frame.INVALID_SESSION -> {
        boolean resumable = frame.data() instanceof JsonNode node && node.asBoolean(false);
        if (!resumable) {
          forgetSession();
        }
        // Discord asks for a random wait of one to five seconds before identifying again.
        Duration wait = Duration.ofMillis(1000 + (long) (4000 * random.getAsDouble()));
        lost(connection, "Discord invalidated the session (op 9, " + (resumable ? "resumable" : "not resumable") + ")",
            wait);
      }
      case Frame.DISPATCH -> dispatch(frame);
      default -> LOG.debug("{}: ignoring Gateway opcode {}", connectorId, frame.op());
    }
  }

  private void hello(Connection connection, Frame frame) {
    if (connection.helloTimeout != null) {
      connection.helloTimeout.dispose();
    }
    long interval = frame.data() instanceof JsonNode node ? node.path("heartbeat_interval").asLong(41_250) : 41_250;
    interval = Math.max(interval, 1);
    long first = (long) (interval * random.getAsDouble());
    if (connection.heartbeat != null) {
      connection.heartbeat.dispose();
    }
    connection.heartbeat = scheduler.schedulePeriodically(() -> tick(connection), first, interval,
        TimeUnit.MILLISECONDS);
    if (sessionId != null && sequence != null) {
      ObjectNode resume = Json.mapper().createObjectNode().put("op", Frame.RESUME);
      resume.putObject("d").put("token", token.reveal()).put("session_id", sessionId).put("seq", sequence);
      send(connection, resume.toString());
    } else {
      ObjectNode identify = Json.mapper().createObjectNode().put("op", Frame.IDENTIFY);
      ObjectNode data = identify.putObject("d").put("token", token.reveal()).put("intents", INTENTS);
      data.putObject("properties").put("os", System.getProperty("os.name", "jvm")).put("browser", "relay")
          .put("device", "relay");
      send(connection, identify.toString());
    }
  }

  private synchronized void tick(Connection connection) {
    if (connection != current) {
      return;
    }
    if (!connection.acknowledged) {
      lost(connection, "Discord did not acknowledge the last heartbeat (zombie connection)", Duration.ZERO);
      return;
    }
    connection.acknowledged = false;
    heartbeat(connection);
  }

  private void heartbeat(Connection connection) {
    ObjectNode beat = Json.mapper().createObjectNode().put("op", Frame.HEARTBEAT);
    if (sequence == null) {
      beat.putNull("d");
    } else {
      beat.put("d", sequence);
    }
    send(connection, beat.toString());
  }

  private void send(Connection connection, String payload) {
    outbound.submit("connection " + connection.number, Mono.defer(() -> {
      WebSocketSender sender = connection.sender;
      return sender == null ? Mono.<Void>empty() : sender.send(payload);
    })).subscribe(null, failure -> LOG.debug("{}: could not send on the Gateway: {}", connectorId, failure.toString()));
  }

  private void dispatch(Frame frame) {
    Long s = frame.sequence();
    if (s != null) {
      sequence = s;
    }
    FluxSink<GatewayItem> out = sink;
    if (out == null) {
      return;
    }
    if ("READY".equals(frame.type()) && frame.data() instanceof Wire.Ready ready) {
      sessionId = ready.sessionId();
      resumeUrl = ready.resumeGatewayUrl();
      store.save(ready.sessionId(), ready.resumeGatewayUrl());
      failures = 0;
      LOG.info("{}: Gateway session ready as user {}", connectorId, ready.user().id());
      out.next(new GatewayItem.Ready(ready, frame));
    } else if ("RESUMED".equals(frame.type())) {
      failures = 0;
      LOG.info("{}: Gateway session resumed", connectorId);
      out.next(new GatewayItem.Resumed(frame));
    } else {
      out.next(new GatewayItem.Dispatch(frame));
    }
  }

  private synchronized void onFailure(Connection connection, Throwable failure) {
    if (connection != current) {
      return;
    }
    failures++;
    if (failures >= RESUME_ATTEMPTS && sessionId != null) {
      // The resume URL may be gone for good; start over from GET /gateway/bot.
      LOG.info("{}: {} failed attempts to resume; starting a new session", connectorId, failures);
      forgetSession();
    }
    lost(connection, "the Gateway connection broke: " + failure.getMessage(), backoff.delay(failures, random));
  }

  private synchronized void onClosed(Connection connection) {
    if (connection != current) {
      return;
    }
    CloseStatus status = connection.closeStatus;
    int code = status == null ? 1000 : status.code();
    String reason = status == null || status.reason().isEmpty() ? "" : " (" + status.reason() + ")";
    RuntimeException fatal = fatalClose(code, reason);
    if (fatal != null) {
      connection.dispose();
      current = null;
      fail(fatal);
      return;
    }
    if (code == 4007 || code == 4009) {
      forgetSession(); // invalid sequence or timed-out session: only a new session helps
    }
    failures++;
    lost(connection, "Discord closed the Gateway with " + code + reason, backoff.delay(failures, random));
  }

  private @Nullable RuntimeException fatalClose(int code, String reason) {
    String prefix = "Discord closed the Gateway with " + code + reason + ": ";
    return switch (code) {
      case 4004 -> new CredentialsRejectedException(connectorId, prefix + "authentication failed, the bot token is"
          + " invalid; reset it in the Discord Developer Portal (your application, Bot, Reset Token) and configure"
          + " the new one", null);
      case 4010 -> new InvalidConfigurationException(prefix + "invalid shard; Relay connects without sharding,"
          + " so check that nothing else changed the identify payload");
      case 4011 -> new InvalidConfigurationException(prefix + "sharding required; the bot is in too many servers"
          + " for one Gateway connection, which Relay does not support yet");
      case 4012 -> new InvalidConfigurationException(prefix + "invalid API version; the connector speaks Gateway v10");
      case 4013 -> new InvalidConfigurationException(prefix + "invalid intents (" + INTENTS + "); Discord did not"
          + " accept the intents bitfield the connector sends");
      case 4014 -> new InvalidConfigurationException(prefix + "disallowed intents; the bot asked for the privileged"
          + " Message Content intent (MESSAGE_CONTENT, 1 << 15), which is not enabled for it. Enable \"Message"
          + " Content Intent\" under Bot, Privileged Gateway Intents, in the Discord Developer Portal"
          + " (https://discord.com/developers/applications); bots in 100 or more servers must be approved for it");
      default -> null;
    };
  }

  /** Drops the connection and connects again after {@code wait}, reporting the loss. */
  private void lost(@Nullable Connection connection, String reason, Duration wait) {
    if (connection != null) {
      connection.dispose();
      if (connection == current) {
        current = null;
      }
    }
    if (stopped) {
      return;
    }
    LOG.info("{}: {}; reconnecting in {} ms", connectorId, reason, wait.toMillis());
    FluxSink<GatewayItem> out = sink;
    if (out != null) {
      out.next(new GatewayItem.Lost(reason));
    }
    if (pending != null) {
      pending.dispose();
    }
    pending = wait.isZero() ? scheduler.schedule(this::connect)
        : scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void forgetSession() {
    sessionId = null;
    resumeUrl = null;
    sequence = null;
    store.save("", "");
  }

  private void fail(Throwable failure) {
    stopped = true;
    if (pending != null) {
      pending.dispose();
    }
    LOG.error("{}: {}", connectorId, failure.getMessage());
    FluxSink<GatewayItem> out = sink;
    if (out != null) {
      out.error(failure);
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
