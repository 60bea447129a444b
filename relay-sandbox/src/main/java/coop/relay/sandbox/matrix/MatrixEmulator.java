package coop.relay.sandbox.matrix;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.matrix.internal.MatrixEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * An emulator of a Matrix homeserver, written from the Matrix specification (spec.matrix.org and
 * its OpenAPI and JSON Schema definitions), for Relay's Matrix connector in client mode and in
 * application service mode. Point a client's homeserver base URL at {@link
 * coop.relay.sandbox.RelaySandbox#baseUrl(String) the sandbox's URL}.
 *
 * <h2>Wire protocol</h2>
 *
 * The client-server API: {@code GET /_matrix/client/versions}; under {@code /_matrix/client/v3}:
 * {@code account/whoami}, {@code capabilities}, {@code register} (application services only, with
 * {@code m.login.application_service}), {@code login} and {@code logout} (the same), {@code sync},
 * {@code user/{userId}/filter}, {@code createRoom}, {@code join/{roomIdOrAlias}}, {@code
 * rooms/{roomId}/join|invite|leave}, {@code joined_rooms}, {@code rooms/{roomId}/joined_members|
 * members|state|state/{type}/{key}|send/{type}/{txnId}|redact/{eventId}/{txnId}|messages|
 * event/{eventId}}, {@code profile/{userId}[/{key}]}, {@code directory/room/{alias}}; media: {@code
 * POST /_matrix/media/v3/upload}, {@code GET /_matrix/client/v1/media/config} and authenticated
 * downloads at {@code /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}]} (the
 * unauthenticated {@code /_matrix/media/v3/download} is frozen: 404 for everything); {@code POST
 * /_matrix/client/v1/appservice/{appserviceId}/ping}.
 *
 * <p>Requests authenticate with {@code Authorization: Bearer <token>} (401 {@code M_MISSING_TOKEN}
 * or {@code M_UNKNOWN_TOKEN}); errors are the spec's standard error response ({@code M_FORBIDDEN},
 * {@code M_NOT_FOUND}, {@code M_BAD_JSON}, {@code M_NOT_JSON}, {@code M_UNRECOGNIZED}, ...). Over
 * the rate limit, event-creating requests (send, redact, state, membership, createRoom, upload)
 * answer 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms} and a {@code
 * Retry-After} header.
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>Rooms are version 11; power levels as {@code createRoom} sets them (creator 100, redacting
 *       others' events and state at 50); join rules {@code invite} and {@code public}; history
 *       visibility {@code shared}. Membership changes and profile changes (display name and avatar,
 *       which must be an {@code mxc://} URI) produce {@code m.room.member} events in every joined
 *       room, as the spec asks.
 *   <li>{@code /sync}: tokens name places in the server's event stream; {@code since} returns exactly
 *       the events after it; {@code timeout} long-polls (capped by {@link Builder#maxSyncTimeout});
 *       more events than the timeline limit (default 10) give {@code limited: true}, a {@code
 *       prev_batch} just before the returned events and the gap's state delta; filters (inline JSON
 *       or a filter id) apply {@code rooms}, {@code not_rooms}, timeline and state {@code limit},
 *       {@code types}, {@code not_types}, {@code senders}, {@code not_senders}, {@code contains_url},
 *       {@code lazy_load_members} and {@code include_leave}. The sender's own events carry {@code
 *       unsigned.transaction_id} for the device that sent them.
 *   <li>Sends are idempotent per device (or application service user) and request path: a retry
 *       with the same transaction id answers the first event id. Relations ({@code m.replace} with
 *       {@code m.new_content}, {@code m.annotation}, {@code m.thread}, {@code m.in_reply_to}) are
 *       stored as plain events; the latest valid edit is bundled in {@code unsigned.m.relations}
 *       on {@code /event}, {@code /messages} and limited syncs; duplicate reactions answer {@code
 *       M_DUPLICATE_ANNOTATION}. Redaction strips events by the room version 11 algorithm and adds
 *       {@code unsigned.redacted_because}.
 *   <li>Application services: requests with the {@code as_token} act as the sender, or as {@code
 *       ?user_id=} for registered users of the namespaces (403 otherwise); events of rooms the
 *       service is interested in are pushed as transactions to {@code
 *       <url>/_matrix/app/v1/transactions/{txnId}} with {@code Authorization: Bearer <hs_token>}, in
 *       order, retried with the same id and events after a doubling delay until a 2xx; invites of
 *       unknown namespace users and unknown namespace aliases are first queried at {@code
 *       /_matrix/app/v1/users/{userId}} and {@code /rooms/{alias}}.
 * </ul>
 *
 * <h2>Control API</h2>
 *
 * Users are {@code @localpart:<serverName>} (the localpart from the username, else from the display
 * name). Channels are rooms of type {@code private} (the default, join by invite) or {@code public};
 * the first bot (or application service sender) creates them and every other bot joins. People join
 * a room when they first post in it. Text with HTML tags is {@code org.matrix.custom.html} (its
 * {@code formatted_body}, with a plain {@code body} derived from it; user pills {@code
 * https://matrix.to/#/@user:server} become {@code m.mentions}); other text is a plain {@code body}.
 * The history's {@code text} is the {@code body} after the latest valid edit, {@code formatted} the
 * {@code formatted_body}, {@code raw} the event as {@code /event} serves it. Replies use {@code
 * m.in_reply_to} without fallback, threads {@code m.thread}, edits {@code m.replace} with the {@code
 * "* "} fallback, reactions {@code m.annotation}, deletes redactions; attachments are uploaded to
 * the media repository and sent as {@code m.image}, {@code m.video}, {@code m.audio} or {@code
 * m.file}, their id being the {@code mxc://} URI. Faults name the spec's operation id ({@code
 * sendMessage}, {@code sync}, {@code redactEvent}, {@code uploadContent}, ...) or {@code
 * "PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"}.
 */
public final class MatrixEmulator implements Emulator {

  private final MatrixEngine engine;

  private MatrixEmulator(MatrixEngine engine) {
    this.engine = engine;
  }

  /** A builder; add at least one bot or application service. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code matrix}. */
  @Override
  public String platform() {
    return "matrix";
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

  /** The homeserver's server name, the part after {@code :} in its ids. */
  public String serverName() {
    return engine.serverName();
  }

  /**
   * Logs a user in on a new device, as an administrator handing out a token would, and emits the
   * access token; fails with {@code SandboxException} (not found) for an unknown user.
   */
  public Mono<String> login(String userId) {
    return engine.login(userId);
  }

  /**
   * Changes the URL of a registered application service (an administrator editing its
   * registration) and pushes the events that waited; {@code null} stops traffic. Fails with {@code
   * SandboxException} for an unknown id.
   */
  public Mono<Void> appserviceUrl(String appserviceId, @Nullable String url) {
    return engine.appserviceUrl(appserviceId, url);
  }

  /** How many events wait to be pushed to an application service, unacknowledged ones included. */
  public int pendingTransactionEvents(String appserviceId) {
    return engine.pendingEvents(appserviceId);
  }

  @Override
  public String toString() {
    return "MatrixEmulator[" + engine.serverName() + "]";
  }

  /** Configures a {@link MatrixEmulator}; not thread-safe. */
  public static final class Builder {
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?");

    private final List<MatrixEngine.BotSpec> bots = new ArrayList<>();
    private final List<AppserviceRegistration> appservices = new ArrayList<>();
    private String serverName = "sandbox.local";
    private Scheduler scheduler = Schedulers.parallel();
    private double perSecond = 0.2;
    private int burst = 10;
    private boolean rateLimits = true;
    private long uploadLimit = 50L * 1024 * 1024;
    private Duration transactionRetry = Duration.ofSeconds(1);
    private Duration maxTransactionRetry = Duration.ofMinutes(1);
    private Duration maxSyncTimeout = Duration.ofMinutes(5);

    private Builder() {}

    /** The server name in every id, default {@code sandbox.local}. */
    public Builder serverName(String serverName) {
      if (serverName == null || !SERVER_NAME.matcher(serverName).matches()) {
        throw new IllegalArgumentException("a server name is a host name with an optional port, e.g. sandbox.local; got " + serverName);
      }
      this.serverName = serverName;
      return this;
    }

    /**
     * Adds a bot account {@code @localpart:<serverName>} that clients log in as with {@code
     * accessToken} (what Relay's connector gets in client mode). Repeatable.
     *
     * @throws IllegalArgumentException if the localpart is not a valid Matrix localpart or the token
     *     is blank
     */
    public Builder bot(String localpart, String accessToken) {
      return bot(localpart, accessToken, localpart);
    }

    /** Like {@link #bot(String, String)}, with a display name. */
    public Builder bot(String localpart, String accessToken, String displayName) {
      Objects.requireNonNull(localpart, "localpart");
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(displayName, "displayName");
      if (!LOCALPART.matcher(localpart).matches()) {
        throw new IllegalArgumentException("a Matrix localpart is lowercase a-z, 0-9 and . _ = - / +; got " + localpart);
      }
      if (accessToken.isBlank() || accessToken.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("an access token must not be blank or contain white space");
      }
      if (displayName.isBlank()) {
        throw new IllegalArgumentException("a bot's display name must not be blank");
      }
      bots.add(new MatrixEngine.BotSpec(localpart, accessToken, displayName));
      return this;
    }

    /** Registers an application service (as a homeserver's configuration lists registration files). */
    public Builder appservice(AppserviceRegistration registration) {
      appservices.add(Objects.requireNonNull(registration, "registration"));
      return this;
    }

    /** The scheduler for long-poll timeouts, rate limits, push retries and timestamps; default parallel. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The per-user limit of event-creating requests: {@code burst} at once, refilled at {@code
     * perSecond} (default 0.2 per second with bursts of 10, a homeserver's usual message limit).
     */
    public Builder rateLimit(double perSecond, int burst) {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("rateLimit needs a positive rate and a burst of at least 1");
      }
      this.perSecond = perSecond;
      this.burst = burst;
      return this;
    }

    /** Whether the rate limit applies at all (default true). */
    public Builder rateLimits(boolean enforce) {
      this.rateLimits = enforce;
      return this;
    }

    /** The largest upload in bytes (default 50 MB; 413 {@code M_TOO_LARGE} above). */
    public Builder uploadLimit(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("uploadLimit must be a positive byte count");
      }
      this.uploadLimit = bytes;
      return this;
    }

    /** The first delay before a refused transaction is pushed again, doubling up to {@code max}. */
    public Builder transactionRetry(Duration first, Duration max) {
      if (first == null || max == null || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("transactionRetry needs a positive first delay and a maximum at least as long");
      }
      this.transactionRetry = first;
      this.maxTransactionRetry = max;
      return this;
    }

    /** The longest a /sync may wait, whatever {@code timeout} the client asks for (default 5 minutes). */
    public Builder maxSyncTimeout(Duration max) {
      if (max == null || max.isNegative()) {
        throw new IllegalArgumentException("maxSyncTimeout must not be negative");
      }
      this.maxSyncTimeout = max;
      return this;
    }

    /**
     * Builds the emulator.
     *
     * @throws IllegalStateException if there is no bot and no application service, or two share a
     *     localpart, token or id
     */
    public MatrixEmulator build() {
      if (bots.isEmpty() && appservices.isEmpty()) {
        throw new IllegalStateException(
            "add a bot with .bot(\"relay\", \"access-token\") or an application service with .appservice(...)");
      }
      Set<String> localparts = new HashSet<>();
      Set<String> tokens = new HashSet<>();
      for (MatrixEngine.BotSpec b : bots) {
        if (!localparts.add(b.localpart())) {
          throw new IllegalStateException("two bots share the localpart " + b.localpart());
        }
        if (!tokens.add(b.token())) {
          throw new IllegalStateException("two bots share an access token; give each its own");
        }
      }
      Set<String> ids = new HashSet<>();
      for (AppserviceRegistration as : appservices) {
        if (!ids.add(as.id())) {
          throw new IllegalStateException("two application services share the id " + as.id());
        }
        if (!tokens.add(as.asToken())) {
          throw new IllegalStateException("the as_token of " + as.id() + " is used twice; the spec requires unique tokens");
        }
        if (!localparts.add(as.senderLocalpart())) {
          throw new IllegalStateException("the sender localpart " + as.senderLocalpart() + " is used twice");
        }
      }
      return new MatrixEmulator(new MatrixEngine(List.copyOf(bots), List.copyOf(appservices),
          new MatrixEngine.Options(serverName, scheduler, perSecond, burst, rateLimits, uploadLimit,
              transactionRetry, maxTransactionRetry, maxSyncTimeout)));
    }
  }
}
