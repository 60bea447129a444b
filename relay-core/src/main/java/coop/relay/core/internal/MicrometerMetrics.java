package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.event.ConnectorState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Metrics in Micrometer. Meters are looked up once per channel and cached, since building tags
 * allocates and the lookups sit on the delivery path.
 *
 * <ul>
 *   <li>{@code relay.messages.received}, {@code relay.deliveries.delivered|retried|failed}:
 *       counters tagged {@code connector}, {@code channel}
 *   <li>{@code relay.delivery.latency}: timer tagged {@code connector}
 *   <li>{@code relay.queue.depth}: gauge tagged {@code connector}, {@code channel}
 *   <li>{@code relay.connector.up}: gauge tagged {@code connector}, 1 when connected
 * </ul>
 */
final class MicrometerMetrics implements Metrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<ChannelRef, Counter> received = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ChannelRef, Counter> delivered = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ChannelRef, Counter> retried = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ChannelRef, Counter> failed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> up = new ConcurrentHashMap<>();

  MicrometerMetrics(Object registry) {
    this.registry = (MeterRegistry) registry;
  }

  private Counter counter(ConcurrentHashMap<ChannelRef, Counter> cache, String name, ChannelRef channel) {
    return cache.computeIfAbsent(channel, c -> Counter.builder(name).tags(tags(c)).register(registry));
  }

  private static Tags tags(ChannelRef channel) {
    return Tags.of("connector", channel.connectorId(), "channel", channel.channelId());
  }

  @Override
  public void received(ChannelRef source) {
    counter(received, "relay.messages.received", source).increment();
  }

  @Override
  public void delivered(ChannelRef destination, Duration elapsed) {
    counter(delivered, "relay.deliveries.delivered", destination).increment();
    latency.computeIfAbsent(destination.connectorId(),
            id -> Timer.builder("relay.delivery.latency").tag("connector", id).register(registry))
        .record(elapsed);
  }

  @Override
  public void retried(ChannelRef destination) {
    counter(retried, "relay.deliveries.retried", destination).increment();
  }

  @Override
  public void failed(ChannelRef destination) {
    counter(failed, "relay.deliveries.failed", destination).increment();
  }

  @Override
  public void queue(ChannelRef destination, IntSupplier depth) {
    Gauge.builder("relay.queue.depth", depth, IntSupplier::getAsInt).tags(tags(destination)).register(registry);
  }

  @Override
  public void connectorState(String connectorId, ConnectorState state) {
    up.computeIfAbsent(connectorId, id -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder("relay.connector.up", value, AtomicInteger::get).tag("connector", id).register(registry);
          return value;
        })
        .set(state.isUp() ? 1 : 0);
  }
}
