package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.matrix.AppserviceRegistration;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Wires the Matrix emulator's parts together: state, client-server API routes, control API and the
 * application service pushers. {@code coop.relay.sandbox.matrix.MatrixEmulator} is its public face.
 */
public final class MatrixEngine {

  /** A bot account as configured on the builder; the token is a secret. */
  public record BotSpec(String localpart, String token, String displayName) {
    @Override
    public String toString() {
      return "BotSpec[@" + localpart + "]";
    }
  }

  /** The builder's options. */
  public record Options(
      String serverName,
      Scheduler scheduler,
      double messagesPerSecond,
      int burst,
      boolean rateLimits,
      long uploadLimit,
      Duration transactionRetry,
      Duration maxTransactionRetry,
      Duration maxSyncTimeout) {}

  private final MatrixState state;
  private final FaultPlan faults = new FaultPlan();
  private final MatrixControl control;
  private final ClientApi api;
  private final Map<AppserviceAccount, TransactionPusher> pushers = new LinkedHashMap<>();

  public MatrixEngine(List<BotSpec> bots, List<AppserviceRegistration> appservices, Options options) {
    this.state = new MatrixState(options.serverName(), options.scheduler());
    for (BotSpec bot : bots) {
      state.addBot(bot.localpart(), bot.token(), bot.displayName());
    }
    AppserviceClient client = new AppserviceClient(options.scheduler(), Duration.ofSeconds(30));
    for (AppserviceRegistration registration : appservices) {
      AppserviceAccount as = state.addAppservice(registration);
      pushers.put(as, new TransactionPusher(state, as, client, options.scheduler(), options.transactionRetry(),
          options.maxTransactionRetry()));
    }
    state.onQueued(as -> {
      TransactionPusher pusher = pushers.get(as);
      if (pusher != null) {
        // Pushing reads the state; hand it off so the event's writer does not wait for it.
        options.scheduler().schedule(pusher::kick);
      }
    });
    this.control = new MatrixControl(state, faults);
    RateLimiter limiter = options.rateLimits() ? new RateLimiter(options.messagesPerSecond(), options.burst()) : null;
    this.api = new ClientApi(state, faults, options.scheduler(),
        new ClientApi.Settings(limiter, options.uploadLimit(), options.maxSyncTimeout()), client);
  }

  public SandboxControl control() {
    return control;
  }

  public void routes(HttpServerRoutes routes) {
    api.mount(routes);
  }

  public void started(String baseUrl) {
    state.baseUrl(baseUrl);
    pushers.values().forEach(TransactionPusher::resume);
  }

  public Mono<Void> stopping() {
    return Mono.fromRunnable(() -> pushers.values().forEach(TransactionPusher::pause));
  }

  public String serverName() {
    return state.serverName;
  }

  /** A fresh access token (on a new device) for a user, as an administrator would hand out. */
  public Mono<String> login(String userId) {
    return Mono.fromCallable(() -> {
      if (state.user(userId) == null) {
        throw SandboxException.notFound("no Matrix user " + userId);
      }
      return state.login(userId, null);
    });
  }

  /** Points an application service at a new URL and pushes what waited for it. */
  public Mono<Void> appserviceUrl(String appserviceId, @Nullable String url) {
    return Mono.fromRunnable(() -> {
      AppserviceAccount as;
      synchronized (state) {
        as = state.appservices.get(appserviceId);
        if (as == null) {
          throw SandboxException.notFound("no application service " + appserviceId);
        }
        as.registration = as.registration.withUrl(url);
      }
      pushers.get(as).kick();
    });
  }

  /** The number of events waiting to be pushed to an application service (including an unacknowledged transaction). */
  public int pendingEvents(String appserviceId) {
    synchronized (state) {
      AppserviceAccount as = state.appservices.get(appserviceId);
      if (as == null) {
        throw SandboxException.notFound("no application service " + appserviceId);
      }
      return as.pending.size();
    }
  }
}
