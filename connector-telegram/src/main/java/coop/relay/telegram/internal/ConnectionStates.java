package coop.relay.telegram.internal;

import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.support.RetryAttempt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The state changes one connection reports: {@code RECONNECTING} once when a request to Telegram
 * starts failing (from a retry hook, while the connection's main stream waits), {@code CONNECTED}
 * once when one succeeds again, and notices (a chat moved) in between. Thread-safe.
 */
final class ConnectionStates {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionStates.class);

  private final String connectorId;
  private final Sinks.Many<InboundEvent> side = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicBoolean down = new AtomicBoolean();

  ConnectionStates(String connectorId) {
    this.connectorId = connectorId;
  }

  /** The changes reported from retry hooks and notices; merge it into the connection's stream. */
  Flux<InboundEvent> side() {
    return side.asFlux();
  }

  /** A request failed and will be retried: reports {@code RECONNECTING} unless already down. */
  void failed(RetryAttempt attempt) {
    if (down.compareAndSet(false, true)) {
      String reason = attempt.failure().getMessage() == null
          ? attempt.failure().getClass().getSimpleName()
          : attempt.failure().getMessage();
      LOG.warn("Telegram connector '{}' lost its connection ({}); retrying in {} ms", connectorId, reason,
          attempt.delay().toMillis());
      emit(ConnectorStateChanged.now(connectorId, ConnectorState.RECONNECTING,
          reason + "; retrying in " + attempt.delay().toMillis() + " ms"));
    }
  }

  /** Reports something people must act on, without changing the state (it stays {@code CONNECTED}). */
  void notice(String detail) {
    LOG.warn("Telegram connector '{}': {}", connectorId, detail);
    emit(ConnectorStateChanged.now(connectorId, ConnectorState.CONNECTED, detail));
  }

  /** The {@code CONNECTED} to emit after a success, or nothing when the connection was not down. */
  Mono<InboundEvent> recovered() {
    return Mono.fromCallable(() -> down.compareAndSet(true, false) ? connected("reconnected") : null);
  }

  /** The first {@code CONNECTED} of a connection. */
  InboundEvent connected(@Nullable String detail) {
    down.set(false);
    return ConnectorStateChanged.now(connectorId, ConnectorState.CONNECTED, detail);
  }

  private void emit(InboundEvent event) {
    synchronized (side) {
      side.tryEmitNext(event);
    }
  }
}
