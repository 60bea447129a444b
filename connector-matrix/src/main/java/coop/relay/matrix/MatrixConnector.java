package coop.relay.matrix;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.matrix.internal.EngineConfig;
import coop.relay.matrix.internal.MatrixEngine;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Secret;
import coop.relay.support.WebhookListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bridges Matrix rooms through the client-server API, in one of two modes.
 *
 * <pre>{@code
 * // client mode: one account, its access token
 * Connector matrix = MatrixConnector.builder()
 *     .id("mx").baseUrl("https://matrix.example.org").accessToken(System.getenv("MATRIX_TOKEN"))
 *     .build();
 *
 * // application-service mode: a ghost user per remote person
 * Connector matrix = MatrixConnector.builder()
 *     .id("mx").baseUrl("https://matrix.example.org")
 *     .appservice(registration)          // an AppserviceRegistration
 *     .listen("0.0.0.0", 29318)          // where the registration's url points
 *     .build();
 * }</pre>
 *
 * <p><b>Receiving.</b> In client mode the connector long-polls {@code /sync} with a filter that asks
 * only for messages, stickers, reactions, redactions and membership, and keeps {@code since} in the
 * relay's cursor store, so a restart resumes exactly where it stopped; a timeline the homeserver had
 * to cut ({@code limited}) is completed through {@code /messages} up to {@link Builder#gapFillLimit}
 * events. Invitations to bridged rooms are accepted. In application-service mode the homeserver
 * pushes transactions to the {@link AppserviceHandler}; each transaction is relayed once, also when
 * it is pushed again. Messages arrive with their {@code org.matrix.custom.html} as {@link RichText}
 * (reply fallbacks stripped, pills as mentions), with replies ({@code m.in_reply_to}), threads
 * ({@code m.thread}), edits ({@code m.replace}), reactions, redactions and media (fetched by
 * {@link #download} through the authenticated media API). Events of the connector's own accounts and
 * events carrying this relay's origin marker are never relayed.
 *
 * <p><b>Sending.</b> Every event goes with {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}} and a
 * transaction id derived from the message, the destination and the delivery, so a send that is
 * retried after a timeout never posts twice. Text is sent with a faithful plain {@code body}, HTML
 * when it has formatting, and {@code m.mentions} naming exactly the pilled users; the origin marker
 * goes into the content key {@code coop.relay.origin}. In client mode the connector cannot show
 * another author ({@link Capabilities#puppeting()} is {@code NONE}: the relay's name template puts
 * the name into the text); in application-service mode each remote person speaks through a ghost
 * user with their name and avatar ({@code GHOST_USERS}).
 *
 * <p><b>Limits and failures.</b> A 429 {@code M_LIMIT_EXCEEDED} pauses the sending account for the
 * {@code Retry-After} header's wait (else {@code retry_after_ms}) and the request goes again, with
 * the same transaction id; if the limit persists the send fails with a
 * {@link coop.relay.api.RateLimitedException}. {@code M_UNKNOWN_TOKEN} puts the connector into the
 * bad-credentials state: {@link #connect} fails with a
 * {@link coop.relay.api.CredentialsRejectedException}, and so does every later call, at once.
 *
 * <p>Thread-safe. {@link #toString()} never shows a token.
 */
public final class MatrixConnector implements Connector {
  private final MatrixEngine engine;
  private final boolean appservice;

  private MatrixConnector(MatrixEngine engine, boolean appservice) {
    this.engine = engine;
    this.appservice = appservice;
  }

  /** A builder; {@link Builder#id} and {@link Builder#accessToken} or {@link Builder#appservice} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return engine.id();
  }

  /** {@code matrix}. */
  @Override
  public String platform() {
    return engine.platform();
  }

  /**
   * Edits, deletes, reactions, replies, threads and attachments (up to {@link Builder#maxUploadBytes});
   * {@link Builder#maxTextLength} characters per event (longer texts are split); puppeting
   * {@code GHOST_USERS} in application-service mode, {@code NONE} in client mode.
   */
  @Override
  public Capabilities capabilities() {
    return engine.capabilities();
  }

  /**
   * Connects. Emits {@code CONNECTED} once the homeserver answered and the connector knows where to
   * resume (or {@code RECONNECTING} while it is unreachable, retrying with backoff in the background),
   * then the channel events. Fails with {@link coop.relay.api.CredentialsRejectedException} when the
   * homeserver rejects the token and with {@link InvalidConfigurationException} when the base URL is
   * no homeserver or ghost ids fall outside the registration's namespaces; never completes on its
   * own. Cancelling stops the poll (or, in application-service mode, unmounts the handler, after
   * which the homeserver keeps the transactions until the next connection).
   */
  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return engine.connect(context);
  }

  /**
   * Renders {@code org.matrix.custom.html} with only the tags the spec allows; mentions of users of
   * this connector become pills, of anyone else plain text that pings nobody.
   */
  @Override
  public RenderedText render(RichText text) {
    return engine.render(text);
  }

  /**
   * Sends the message (several events when the text is long or files are attached) and emits the
   * first one's reference. Fails with a permanent {@link coop.relay.api.DeliveryException} when the
   * homeserver refuses it (an unknown room, missing permissions) and with a transient one when it
   * is unreachable; retried, it never posts an event twice. Cancelling stops sending further events.
   */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return engine.post(message);
  }

  /** Replaces the text of a message posted earlier with an {@code m.replace} edit; completes when sent. */
  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return engine.edit(copy, message);
  }

  /** Redacts a message posted earlier (every event of it); completes also when it was already gone. */
  @Override
  public Mono<Void> delete(MessageRef copy) {
    return engine.delete(copy);
  }

  /**
   * Reacts with an {@code m.annotation}: as the ghost of {@code user} in application-service mode, as
   * the connector's account in client mode (one reaction per emoji, however many people it stands for).
   */
  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.addReaction(message, emoji, user);
  }

  /** Redacts a reaction added by {@link #addReaction}, once nobody it stands for still wants it. */
  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.removeReaction(message, emoji, user);
  }

  /**
   * Downloads a received file through {@code /_matrix/client/v1/media/download}. Fails with a
   * permanent {@link coop.relay.api.DeliveryException} when the homeserver no longer has it.
   */
  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return engine.download(attachment);
  }

  /**
   * The handler of the application-service API, to mount in your own HTTP server when the connector
   * has no listener.
   *
   * @throws IllegalStateException in client mode
   */
  public AppserviceHandler appserviceHandler() {
    AppserviceHandler handler = engine.appserviceHandler();
    if (handler == null) {
      throw new IllegalStateException("connector '" + id() + "' runs in client mode; configure appservice(..) on its"
          + " builder to receive transactions from the homeserver");
    }
    return handler;
  }

  /** Stops background work (avatar uploads); completes when done. Idempotent. */
  @Override
  public Mono<Void> close() {
    return engine.close();
  }

  @Override
  public String toString() {
    return "MatrixConnector[" + id() + ", " + (appservice ? "appservice" : "client") + " mode]";
  }

  /** Options of a {@link MatrixConnector}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private HttpUrl baseUrl = HttpUrl.get("https://matrix-client.matrix.org");
    private @Nullable Secret accessToken;
    private @Nullable AppserviceRegistration registration;
    private @Nullable WebhookListener listener;
    private String pathPrefix = "";
    private boolean ownListener;
    private Duration pollTimeout = Duration.ofSeconds(30);
    private int timelineLimit = 50;
    private int gapFillLimit = 500;
    private Backoff backoff = Backoff.DEFAULT;
    private Scheduler scheduler = Schedulers.parallel();
    private long maxUploadBytes = 50L * 1024 * 1024;
    private int maxTextLength = 8_000;
    private Duration healthCheckInterval = Duration.ofSeconds(30);
    private final List<Interceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /** The connector id, unique within a relay, e.g. {@code "mx"}. Required. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new InvalidConfigurationException("connector id must not be blank, e.g. \"mx\"");
      }
      this.id = id;
      return this;
    }

    /**
     * The homeserver's client-server API, e.g. {@code https://matrix.example.org}; default
     * {@code https://matrix-client.matrix.org} (matrix.org's).
     */
    public Builder baseUrl(String baseUrl) {
      HttpUrl parsed = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
      if (parsed == null) {
        throw new InvalidConfigurationException("baseUrl must be an http(s) URL such as https://matrix.example.org,"
            + " was " + baseUrl);
      }
      this.baseUrl = parsed;
      return this;
    }

    /** Client mode: the access token of the account the connector acts as. Never logged. */
    public Builder accessToken(String token) {
      this.accessToken = Secret.of(token, "accessToken");
      return this;
    }

    /** Application-service mode: the registration the connector runs as. */
    public Builder appservice(AppserviceRegistration registration) {
      this.registration = Objects.requireNonNull(registration, "registration");
      return this;
    }

    /**
     * Application-service mode: serve the homeserver's requests on a listener of the connector's own
     * at {@code host:port}, started on connect and stopped when the connection ends.
     */
    public Builder listen(String host, int port) {
      this.listener = WebhookListener.builder().host(host).port(port).build();
      this.pathPrefix = "";
      this.ownListener = true;
      return this;
    }

    /**
     * Application-service mode: serve the homeserver's requests on a shared listener (started and
     * stopped by its owner), under {@code /_matrix/app/v1}.
     */
    public Builder listener(WebhookListener listener) {
      return listener(listener, "");
    }

    /**
     * Like {@link #listener(WebhookListener)}, under {@code pathPrefix + "/_matrix/app/v1"}, for a
     * registration url with a path (e.g. {@code http://host:8080/matrix} → {@code "/matrix"}).
     */
    public Builder listener(WebhookListener listener, String pathPrefix) {
      Objects.requireNonNull(pathPrefix, "pathPrefix");
      if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/"))) {
        throw new InvalidConfigurationException("pathPrefix must be empty or start (and not end) with '/', was "
            + pathPrefix);
      }
      this.listener = Objects.requireNonNull(listener, "listener");
      this.pathPrefix = pathPrefix;
      this.ownListener = false;
      return this;
    }

    /** How long one {@code /sync} waits for events, 1 s to 10 min; default 30 s. */
    public Builder pollTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "pollTimeout");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new InvalidConfigurationException("pollTimeout must be between 1 second and 10 minutes, was " + timeout);
      }
      this.pollTimeout = timeout;
      return this;
    }

    /** How many events of a room one sync holds before the timeline is {@code limited}, 1 to 1000; default 50. */
    public Builder timelineLimit(int limit) {
      if (limit < 1 || limit > 1000) {
        throw new InvalidConfigurationException("timelineLimit must be between 1 and 1000, was " + limit);
      }
      this.timelineLimit = limit;
      return this;
    }

    /**
     * At most this many events are fetched through {@code /messages} to fill the gap of a limited
     * timeline (older ones are not relayed, and a warning says so); 0 turns gap filling off. Default 500.
     */
    public Builder gapFillLimit(int limit) {
      if (limit < 0) {
        throw new InvalidConfigurationException("gapFillLimit must not be negative, was " + limit);
      }
      this.gapFillLimit = limit;
      return this;
    }

    /** The waits between attempts to reach the homeserver again; default {@link Backoff#DEFAULT}. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Where waits (backoff, rate limits, health checks) run; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The largest file uploaded; larger ones are sent as links. Default 50 MiB; match the homeserver's m.upload.size. */
    public Builder maxUploadBytes(long bytes) {
      if (bytes < 0) {
        throw new InvalidConfigurationException("maxUploadBytes must not be negative, was " + bytes);
      }
      this.maxUploadBytes = bytes;
      return this;
    }

    /**
     * The longest text of one event, in characters; longer texts are split. Default 8000, which keeps
     * the plain and the HTML form together within the 64 KiB a Matrix event may have.
     */
    public Builder maxTextLength(int length) {
      if (length < 100 || length > 30_000) {
        throw new InvalidConfigurationException("maxTextLength must be between 100 and 30000, was " + length);
      }
      this.maxTextLength = length;
      return this;
    }

    /** Application-service mode: how often to check that the homeserver is reachable; default 30 s. */
    public Builder healthCheckInterval(Duration interval) {
      Objects.requireNonNull(interval, "healthCheckInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new InvalidConfigurationException("healthCheckInterval must be positive, was " + interval);
      }
      this.healthCheckInterval = interval;
      return this;
    }

    /** Test hook: an OkHttp interceptor that sees every request (the tests check them against the spec). */
    Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * The connector.
     *
     * @throws InvalidConfigurationException when the id is missing, when neither or both of an access
     *     token and an appservice registration are given, or when a listener is given in client mode
     */
    public MatrixConnector build() {
      String chosenId = id;
      if (chosenId == null) {
        throw new InvalidConfigurationException("connector id is not set; call id(\"mx\")");
      }
      AppserviceRegistration as = registration;
      Secret token = accessToken;
      if (as != null && token != null) {
        throw new InvalidConfigurationException("connector '" + chosenId + "' has both an accessToken (client mode)"
            + " and an appservice registration; choose one mode");
      }
      if (as == null && token == null) {
        throw new InvalidConfigurationException("connector '" + chosenId + "' has no credentials; call accessToken(..)"
            + " for client mode or appservice(..) for application-service mode");
      }
      if (as == null && listener != null) {
        throw new InvalidConfigurationException("connector '" + chosenId + "': listen(..) and listener(..) are for"
            + " application-service mode; remove them or configure appservice(..)");
      }
      EngineConfig.Appservice appserviceConfig = as == null ? null
          : new EngineConfig.Appservice(as, listener, pathPrefix, ownListener);
      EngineConfig config = new EngineConfig(chosenId, baseUrl, as != null ? as.asToken() : Objects.requireNonNull(token),
          appserviceConfig, pollTimeout, timelineLimit, gapFillLimit, backoff, scheduler, maxUploadBytes, maxTextLength,
          healthCheckInterval, interceptors);
      return new MatrixConnector(new MatrixEngine(config), as != null);
    }
  }
}
