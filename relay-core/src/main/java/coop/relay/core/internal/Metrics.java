package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.event.ConnectorState;
import java.time.Duration;
import java.util.function.IntSupplier;

/** What the engine measures; {@link #NONE} when no meter registry was given. */
interface Metrics {
  Metrics NONE = new Metrics() {};

  default void received(ChannelRef source) {}

  default void delivered(ChannelRef destination, Duration latency) {}

  default void retried(ChannelRef destination) {}

  default void failed(ChannelRef destination) {}

  default void queue(ChannelRef destination, IntSupplier depth) {}

  default void connectorState(String connectorId, ConnectorState state) {}

  /** Micrometer is optional: its classes are touched only when a registry was given. */
  static Metrics create(@org.jspecify.annotations.Nullable Object registry) {
    return registry == null ? NONE : new MicrometerMetrics(registry);
  }
}
