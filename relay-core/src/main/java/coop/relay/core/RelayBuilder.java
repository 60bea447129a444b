package coop.relay.core;

import coop.relay.api.Interceptor;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.core.internal.BridgeChannel;
import coop.relay.core.internal.BridgeDefinition;
import coop.relay.core.internal.NameTemplate;
import coop.relay.core.internal.RelayConfig;
import coop.relay.core.internal.RelayEngine;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.RelayStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Builds a {@link Relay}. Every option has a sensible default except the connectors and bridges.
 * {@link #build()} checks the whole configuration and fails fast with an
 * {@link InvalidConfigurationException} that says what to fix. Not thread-safe.
 */
public final class RelayBuilder {
  /** The name template used when a destination cannot show the author's name and avatar. */
  public static final String DEFAULT_NAME_TEMPLATE = "**{name}** ({platform}): ";

  private final Map<String, Connector> connectors = new LinkedHashMap<>();
  private final Map<String, BridgeDefinition> bridges = new LinkedHashMap<>();
  private final List<Interceptor> interceptors = new ArrayList<>();
  private String nameTemplate = DEFAULT_NAME_TEMPLATE;
  private boolean noPing = true;
  private @Nullable RelayStore store;
  private @Nullable String relayId;
  private @Nullable Object meterRegistry;
  private int deliveryQueueCapacity = 10_000;
  private int maxDeliveryAttempts = 8;
  private Backoff backoff = Backoff.DEFAULT;
  private Duration drainTimeout = Duration.ofSeconds(10);
  private int eventBufferSize = 8192;
  private @Nullable Scheduler scheduler;

  RelayBuilder() {}

  /**
   * Adds a connector. Its {@link Connector#id()} is what bridges refer to.
   *
   * @throws InvalidConfigurationException if a connector with the same id was added before
   */
  public RelayBuilder connector(Connector connector) {
    Objects.requireNonNull(connector, "connector");
    if (connectors.putIfAbsent(connector.id(), connector) != null) {
      throw new InvalidConfigurationException(
          "two connectors have the id '" + connector.id() + "'; give each connector its own id");
    }
    return this;
  }

  /**
   * Adds a bridge: {@code .bridge("coop", b -> b.channel("tg", "-100123").channel("dc", "4455"))}.
   * A channel may sit in several bridges.
   *
   * @throws InvalidConfigurationException if a bridge of that name exists or the spec is invalid
   */
  public RelayBuilder bridge(String name, Consumer<BridgeSpec> spec) {
    BridgeDefinition definition = compileBridge(name, spec);
    if (bridges.putIfAbsent(name, definition) != null) {
      throw new InvalidConfigurationException("two bridges are named '" + name + "'; give each bridge its own name");
    }
    return this;
  }

  /** Appends an interceptor to the chain; they run in the order added, before the name template. */
  public RelayBuilder interceptor(Interceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * The prefix put before the text on platforms that cannot show the author's name and avatar
   * (default {@value #DEFAULT_NAME_TEMPLATE}). Placeholders: {@code {name}}, {@code {platform}},
   * {@code {user}}; {@code **...**} makes bold. An empty template adds nothing.
   */
  public RelayBuilder nameTemplate(String template) {
    this.nameTemplate = Objects.requireNonNull(template, "template");
    return this;
  }

  /**
   * Whether names put in by the name template are kept from pinging the person on the destination
   * (by an invisible word joiner after the first character). Default {@code true}.
   */
  public RelayBuilder noPing(boolean value) {
    this.noPing = value;
    return this;
  }

  /** Where the id map, dedup window and cursors live; in memory by default. */
  public RelayBuilder store(RelayStore value) {
    this.store = Objects.requireNonNull(value, "store");
    return this;
  }

  /**
   * The id of this relay, carried in the origin marker of everything it sends; random by default.
   * Give a stable one when the store is durable, so that echoes are recognised across restarts.
   */
  public RelayBuilder relayId(String value) {
    this.relayId = Objects.requireNonNull(value, "relayId");
    return this;
  }

  /**
   * Records metrics in this Micrometer {@code MeterRegistry}: messages received, delivered, failed
   * and retried per connector and channel, delivery latency, queue depth and connector state.
   * Micrometer is an optional dependency; it is needed only when this is called.
   *
   * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
   */
  public RelayBuilder meterRegistry(Object registry) {
    Objects.requireNonNull(registry, "registry");
    if (!isMeterRegistry(registry)) {
      throw new InvalidConfigurationException(
          "meterRegistry takes an io.micrometer.core.instrument.MeterRegistry, not a " + registry.getClass().getName());
    }
    this.meterRegistry = registry;
    return this;
  }

  /** How many deliveries may wait for one destination channel (default 10,000); beyond it they fail. */
  public RelayBuilder deliveryQueueCapacity(int value) {
    this.deliveryQueueCapacity = value;
    return this;
  }

  /** How often a delivery is attempted before it is reported as failed (default 8). */
  public RelayBuilder maxDeliveryAttempts(int value) {
    this.maxDeliveryAttempts = value;
    return this;
  }

  /** The backoff between delivery attempts when the platform gave no retry-after. */
  public RelayBuilder backoff(Backoff value) {
    this.backoff = Objects.requireNonNull(value, "backoff");
    return this;
  }

  /** How long {@link Relay#stop()} waits for queued deliveries (default 10 seconds). */
  public RelayBuilder drainTimeout(Duration value) {
    this.drainTimeout = Objects.requireNonNull(value, "drainTimeout");
    return this;
  }

  /** How many events each {@link Relay#events()} subscriber may lag behind (default 8192). */
  public RelayBuilder eventBufferSize(int value) {
    this.eventBufferSize = value;
    return this;
  }

  /**
   * The scheduler for delivery work and retry delays; a dedicated parallel scheduler by default.
   * Tests pass a virtual-time scheduler.
   */
  public RelayBuilder scheduler(Scheduler value) {
    this.scheduler = Objects.requireNonNull(value, "scheduler");
    return this;
  }

  /**
   * Checks the configuration and creates the relay; nothing connects until {@link Relay#start()}.
   *
   * @throws InvalidConfigurationException naming the option to fix
   */
  public Relay build() {
    if (connectors.isEmpty()) {
      throw new InvalidConfigurationException("a relay needs at least one connector; add one with .connector(...)");
    }
    for (BridgeDefinition bridge : bridges.values()) {
      checkConnectorsKnown(bridge);
    }
    positive(deliveryQueueCapacity, "deliveryQueueCapacity");
    positive(maxDeliveryAttempts, "maxDeliveryAttempts");
    positive(eventBufferSize, "eventBufferSize");
    if (drainTimeout.isNegative()) {
      throw new InvalidConfigurationException("drainTimeout must not be negative, was " + drainTimeout);
    }
    String id = relayId != null ? relayId : UUID.randomUUID().toString().substring(0, 8);
    if (id.isBlank() || id.indexOf('.') >= 0) {
      throw new InvalidConfigurationException("relayId must be non-blank and without '.', was '" + id + "'");
    }
    NameTemplate template;
    try {
      template = NameTemplate.parse(nameTemplate, noPing);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("nameTemplate: " + e.getMessage());
    }
    RelayConfig config = new RelayConfig(
        id,
        List.copyOf(connectors.values()),
        new LinkedHashMap<>(bridges),
        List.copyOf(interceptors),
        template,
        store != null ? store : RelayStores.inMemory(),
        meterRegistry,
        deliveryQueueCapacity,
        maxDeliveryAttempts,
        backoff,
        drainTimeout,
        eventBufferSize,
        scheduler != null ? scheduler : Schedulers.newParallel("relay-delivery", 2, true),
        this::compileBridge);
    return RelayEngine.create(config);
  }

  private BridgeDefinition compileBridge(String name, Consumer<BridgeSpec> spec) {
    if (name == null || name.isBlank()) {
      throw new InvalidConfigurationException("a bridge needs a non-blank name");
    }
    BridgeSpec bridge = new BridgeSpec(name);
    spec.accept(bridge);
    List<BridgeChannel> channels = new ArrayList<>();
    bridge.entries().forEach(e -> channels.add(new BridgeChannel(e.getKey(), e.getValue())));
    if (channels.size() < 2) {
      throw new InvalidConfigurationException(
          "bridge '" + name + "' has " + channels.size() + " channel(s); a bridge links at least two channels");
    }
    BridgeDefinition definition = new BridgeDefinition(name, channels);
    if (!connectors.isEmpty()) {
      checkConnectorsKnown(definition);
    }
    return definition;
  }

  private void checkConnectorsKnown(BridgeDefinition bridge) {
    for (BridgeChannel channel : bridge.channels()) {
      String connectorId = channel.channel().connectorId();
      if (!connectors.containsKey(connectorId)) {
        throw new InvalidConfigurationException("bridge '" + bridge.name() + "' uses connector '" + connectorId
            + "', but no connector has that id; add it with .connector(...) or fix the id (known: "
            + connectors.keySet() + ")");
      }
    }
  }

  private static void positive(int value, String option) {
    if (value <= 0) {
      throw new InvalidConfigurationException(option + " must be positive, was " + value);
    }
  }

  private static boolean isMeterRegistry(Object candidate) {
    for (Class<?> c = candidate.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("io.micrometer.core.instrument.MeterRegistry")) {
        return true;
      }
    }
    return false;
  }
}
