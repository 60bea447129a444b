package coop.relay.slack.internal;

import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The connector's state as seen in one {@code connect()} stream: reports a change only when the
 * state really changes, so that a refreshed Socket Mode connection or a second failed attempt is
 * not reported as news.
 */
final class ConnectionStates {
  private final String connectorId;
  private final Scheduler scheduler;
  private @Nullable ConnectorState last;

  ConnectionStates(String connectorId, Scheduler scheduler) {
    this.connectorId = connectorId;
    this.scheduler = scheduler;
  }

  /** Emits the change to {@code state}, or nothing when the stream is already in it. */
  Flux<InboundEvent> to(ConnectorState state, @Nullable String detail) {
    synchronized (this) {
      if (state == last) {
        return Flux.empty();
      }
      last = state;
    }
    Instant at = Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    return Flux.just(new ConnectorStateChanged(connectorId, state, detail, at));
  }
}
