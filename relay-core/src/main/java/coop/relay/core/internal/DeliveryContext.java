package coop.relay.core.internal;

import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.DeliveryRetried;
import coop.relay.spi.Backoff;
import coop.relay.spi.RelayStore;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * What every delivery queue shares: the store, the retry policy, the events, and the count of
 * deliveries not finished yet (which {@code stop()} waits for).
 */
final class DeliveryContext {
  final String relayId;
  final RelayStore store;
  final Scheduler scheduler;
  final Backoff backoff;
  final int maxAttempts;
  final int queueCapacity;
  final EventBus events;
  final Metrics metrics;
  final ReactionEchoGuard reactionEchoes;
  private final AtomicLong deliveryIds = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final Sinks.Empty<Void> drained = Sinks.empty();
  private volatile boolean draining;

  DeliveryContext(String relayId, RelayStore store, Scheduler scheduler, Backoff backoff, int maxAttempts,
      int queueCapacity, EventBus events, Metrics metrics, ReactionEchoGuard reactionEchoes) {
    this.relayId = relayId;
    this.store = store;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.queueCapacity = queueCapacity;
    this.events = events;
    this.metrics = metrics;
    this.reactionEchoes = reactionEchoes;
  }

  /** A fresh origin marker for one delivery. */
  OriginMarker nextMarker() {
    return new OriginMarker(relayId, Long.toString(deliveryIds.incrementAndGet(), 36));
  }

  Duration backoffDelay(int attempt) {
    return backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble);
  }

  void accepted() {
    pending.incrementAndGet();
  }

  void finished() {
    if (pending.decrementAndGet() == 0 && draining) {
      drained.tryEmitEmpty();
    }
  }

  /** Completes when no delivery is pending any more; from then on, checked on every finish. */
  Mono<Void> awaitDrained() {
    draining = true;
    if (pending.get() == 0) {
      drained.tryEmitEmpty();
    }
    return drained.asMono();
  }

  void delivered(Delivery delivery, MessageRef copy) {
    boolean observed = events.observed();
    if (metrics == Metrics.NONE && !observed) {
      return;
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - delivery.receivedNanos);
    metrics.delivered(delivery.destination, latency);
    if (observed) {
      events.emit(new Delivered(delivery.operation, delivery.source, copy, latency, delivery.attempts));
    }
  }

  void retrying(Delivery delivery, Duration delay, String reason) {
    metrics.retried(delivery.destination);
    events.emit(new DeliveryRetried(delivery.operation, delivery.source, delivery.destination,
        delivery.attempts, delay, reason));
  }

  void failed(Delivery delivery, String reason) {
    metrics.failed(delivery.destination);
    events.emit(new DeliveryFailed(delivery.operation, delivery.source, delivery.destination,
        delivery.attempts, reason));
  }
}
