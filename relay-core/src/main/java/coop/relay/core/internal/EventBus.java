package coop.relay.core.internal;

import coop.relay.api.event.RelayEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans relay events out to subscribers without ever making the relay wait: each subscriber gets a
 * bounded buffer of its own and loses its oldest events, with a warning, when it falls behind.
 */
final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private final Sinks.Many<RelayEvent> sink = Sinks.many().multicast().directBestEffort();
  private final int bufferSize;

  EventBus(int bufferSize) {
    this.bufferSize = bufferSize;
  }

  /** Whether anyone listens; callers skip building events nobody would see. */
  boolean observed() {
    return sink.currentSubscriberCount() > 0;
  }

  /** Emits from any thread; the sink needs serialised calls, and emission is short. */
  void emit(RelayEvent event) {
    synchronized (sink) {
      sink.tryEmitNext(event);
    }
  }

  void complete() {
    synchronized (sink) {
      sink.tryEmitComplete();
    }
  }

  Flux<RelayEvent> flux() {
    return sink.asFlux()
        .onBackpressureBuffer(bufferSize,
            dropped -> log.warn("an events() subscriber fell {} events behind; dropped {}", bufferSize, dropped),
            BufferOverflowStrategy.DROP_OLDEST);
  }
}
