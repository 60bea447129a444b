package coop.relay.matrix.internal;

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
 * The state changes of one connection: {@code RECONNECTING} once when requests to the homeserver
 * start failing (reported from retry hooks, while the main stream waits for the next attempt) and
 * {@code CONNECTED} once when one succeeds again. Thread-safe.
 */
final class ConnectionStates {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionStates.class);

  private final String connectorId;
  private final Sinks.Many<InboundEvent> side = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicBoolean down = new AtomicBoolean();

  ConnectionStates(String connectorId) {
    this.connectorId = connectorId;
  }

  /** The changes reported from hooks; merge it into the connection's stream. */
  Flux<InboundEvent> side() {
    return side.asFlux();
  }

  /** A request failed and will be retried: reports {@code RECONNECTING} unless already down. */
  void failed(RetryAttempt attempt) {
    failed(describe(attempt.failure()), attempt.delay().toMillis());
  }

  /** Like {@link #failed(RetryAttempt)}, for failures outside a retry loop (health checks). */
  void failed(String reason, long retryInMillis) {
    if (down.compareAndSet(false, true)) {
      LOG.warn("Matrix connector '{}' lost the homeserver ({}); retrying in {} ms", connectorId, reason, retryInMillis);
      emit(ConnectorStateChanged.now(connectorId, ConnectorState.RECONNECTING,
          reason + "; retrying in " + retryInMillis + " ms"));
    }
  }

  /** The {@code CONNECTED} to emit after a success, or nothing when the connection was not down. */
  Mono<InboundEvent> recovered() {
    return Mono.fromCallable(() -> down.compareAndSet(true, false) ? connected("reconnected") : null);
  }

  /** Reports {@code CONNECTED} through the side stream when the connection was down. */
  void recoveredNow() {
    if (down.compareAndSet(true, false)) {
      emit(connected("reconnected"));
    }
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

  static String describe(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }
}
