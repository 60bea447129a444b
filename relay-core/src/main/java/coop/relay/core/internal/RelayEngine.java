package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.Message;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.RelayEvent;
import coop.relay.core.BridgeSpec;
import coop.relay.core.Relay;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.CursorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/** The {@link Relay} implementation: connector life cycles, the routing table and the delivery queues. */
public final class RelayEngine implements Relay {
  private static final Logger log = LoggerFactory.getLogger(RelayEngine.class);

  private final RelayConfig config;
  private final Map<String, ConnectorHandle> connectors = new LinkedHashMap<>();
  private final ConcurrentHashMap<ChannelRef, DeliveryQueue> queues = new ConcurrentHashMap<>();
  private final EventBus events;
  private final Metrics metrics;
  private final DeliveryContext deliveries;
  private final Router router;
  private final Object bridgeLock = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Sinks.Empty<Void> stopped = Sinks.empty();
  private volatile RoutingTable table;
  private volatile boolean running;

  private RelayEngine(RelayConfig config) {
    this.config = config;
    this.events = new EventBus(config.eventBufferSize());
    this.metrics = Metrics.create(config.meterRegistry());
    ReactionEchoGuard reactionEchoes = new ReactionEchoGuard(10_000);
    this.deliveries = new DeliveryContext(config.relayId(), config.store(), config.scheduler(), config.backoff(),
        config.maxDeliveryAttempts(), config.deliveryQueueCapacity(), events, metrics, reactionEchoes);
    for (Connector connector : config.connectors()) {
      connectors.put(connector.id(), new ConnectorHandle(connector));
    }
    this.router = new Router(config.relayId(), config.store().idMap(), config.store().dedup(),
        new InterceptorChain(config.interceptors(), config.nameTemplate()), events, metrics, reactionEchoes);
    this.table = RoutingTable.compile(config.bridges(), connectors, this::queueFor);
  }

  /** Creates the engine for a checked configuration. */
  public static Relay create(RelayConfig config) {
    return new RelayEngine(Objects.requireNonNull(config, "config"));
  }

  private DeliveryQueue queueFor(ChannelRef channel) {
    return queues.computeIfAbsent(channel, c -> {
      DeliveryQueue queue = new DeliveryQueue(c, connectors.get(c.connectorId()), deliveries);
      metrics.queue(c, queue::depth);
      return queue;
    });
  }

  @Override
  public String id() {
    return config.relayId();
  }

  @Override
  public Mono<Void> start() {
    return Mono.defer(() -> {
      if (!started.compareAndSet(false, true)) {
        return Mono.error(new IllegalStateException("this relay was started before; build a new one to start again"));
      }
      running = true;
      List<Mono<Void>> ready = new ArrayList<>();
      for (ConnectorHandle handle : connectors.values()) {
        ready.add(connect(handle));
      }
      return Mono.when(ready).onErrorResume(error -> {
        running = false;
        connectors.values().forEach(RelayEngine::disconnect);
        return Mono.error(error);
      });
    });
  }

  private Mono<Void> connect(ConnectorHandle handle) {
    Sinks.Empty<Void> ready = Sinks.empty();
    ConnectorContext context = new EngineConnectorContext(handle.id);
    handle.state = ConnectorState.STARTING;
    Flux<InboundEvent> inbound = Flux.defer(() -> handle.connector.connect(context))
        .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
          Throwable error = failure.failure();
          if (isFatal(error)) {
            return Mono.error(error);
          }
          int attempt = ++handle.reconnectAttempts;
          Duration delay = deliveries.backoffDelay(attempt);
          log.warn("connector '{}' failed ({}); reconnecting in {} ms", handle.id, error.toString(), delay.toMillis());
          stateChanged(handle, ConnectorStateChanged.now(handle.id, ConnectorState.RECONNECTING,
              "failed: " + error.getMessage() + "; retrying in " + delay.toMillis() + " ms"));
          ready.tryEmitEmpty();
          return Mono.delay(delay, config.scheduler());
        })));
    handle.inbound = inbound.subscribe(
        event -> onInbound(handle, event, ready),
        error -> onFatal(handle, error, ready));
    return ready.asMono();
  }

  private void onInbound(ConnectorHandle handle, InboundEvent event, Sinks.Empty<Void> ready) {
    if (event instanceof ConnectorStateChanged change) {
      stateChanged(handle, change);
      switch (change.state()) {
        case CONNECTED -> {
          handle.reconnectAttempts = 0;
          ready.tryEmitEmpty();
        }
        case RECONNECTING -> ready.tryEmitEmpty();
        case BAD_CREDENTIALS -> ready.tryEmitError(new CredentialsRejectedException(handle.id,
            change.detail() == null ? "the platform rejected the credentials" : change.detail(), null));
        case FAILED -> ready.tryEmitError(new InvalidConfigurationException("connector '" + handle.id + "' failed: "
            + (change.detail() == null ? "no reason given" : change.detail())));
        default -> { }
      }
    } else if (event instanceof ChannelEvent channelEvent && running) {
      router.onEvent(handle, channelEvent, table);
    }
  }

  private void onFatal(ConnectorHandle handle, Throwable error, Sinks.Empty<Void> ready) {
    ConnectorState state = error instanceof CredentialsRejectedException
        ? ConnectorState.BAD_CREDENTIALS
        : ConnectorState.FAILED;
    log.error("connector '{}' stopped: {}", handle.id, error.getMessage());
    stateChanged(handle, ConnectorStateChanged.now(handle.id, state, error.getMessage()));
    ready.tryEmitError(error);
  }

  private void stateChanged(ConnectorHandle handle, ConnectorStateChanged change) {
    handle.state = change.state();
    metrics.connectorState(handle.id, change.state());
    events.emit(change);
  }

  private static boolean isFatal(Throwable error) {
    return error instanceof CredentialsRejectedException || error instanceof InvalidConfigurationException;
  }

  private static void disconnect(ConnectorHandle handle) {
    Disposable inbound = handle.inbound;
    if (inbound != null) {
      inbound.dispose();
    }
  }

  @Override
  public Mono<Void> stop() {
    return stop(config.drainTimeout());
  }

  @Override
  public Mono<Void> stop(Duration drainTimeout) {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    return Mono.defer(() -> {
      if (!stopping.compareAndSet(false, true)) {
        return stopped.asMono();
      }
      running = false;
      connectors.values().forEach(RelayEngine::disconnect);
      return deliveries.awaitDrained()
          .timeout(drainTimeout, Mono.empty(), config.scheduler())
          .then(Mono.fromRunnable(() -> queues.values().forEach(queue -> queue.abandon(
              "the relay stopped before this could be delivered (drain timeout " + drainTimeout + ")"))))
          .then(Flux.fromIterable(connectors.values())
              .flatMap(handle -> handle.connector.close()
                  .onErrorResume(error -> {
                    log.warn("closing connector '{}' failed: {}", handle.id, error.toString());
                    return Mono.empty();
                  })
                  .then(Mono.fromRunnable(() -> stateChanged(handle,
                      ConnectorStateChanged.now(handle.id, ConnectorState.STOPPED, "relay stopped")))))
              .then())
          .then(Mono.fromRunnable(() -> {
            events.complete();
            stopped.tryEmitEmpty();
          }));
    });
  }

  @Override
  public Flux<RelayEvent> events() {
    return events.flux();
  }

  @Override
  public Mono<Void> bridge(String name, Consumer<BridgeSpec> spec) {
    return Mono.fromRunnable(() -> {
      BridgeDefinition definition = config.bridgeCompiler().apply(name, spec);
      synchronized (bridgeLock) {
        Map<String, BridgeDefinition> next = new LinkedHashMap<>(table.bridges());
        next.put(name, definition);
        table = RoutingTable.compile(next, connectors, this::queueFor);
      }
    });
  }

  @Override
  public Mono<Void> removeBridge(String name) {
    return Mono.fromRunnable(() -> {
      synchronized (bridgeLock) {
        if (!table.bridges().containsKey(name)) {
          return;
        }
        Map<String, BridgeDefinition> next = new LinkedHashMap<>(table.bridges());
        next.remove(name);
        table = RoutingTable.compile(next, connectors, this::queueFor);
      }
    });
  }

  @Override
  public Set<String> bridgeNames() {
    return Set.copyOf(table.bridges().keySet());
  }

  @Override
  public Mono<Void> publish(String bridge, Message message) {
    return Mono.fromRunnable(() -> {
      Objects.requireNonNull(message, "message");
      if (!running) {
        throw new IllegalStateException("the relay is not running; publish after start() and before stop()");
      }
      Route route = table.publishRoute(bridge, message.channel());
      if (route == null) {
        throw new InvalidConfigurationException("there is no bridge named '" + bridge + "' (bridges: "
            + table.bridges().keySet() + ")");
      }
      ConnectorHandle source = connectors.get(message.channel().connectorId());
      router.publish(message, source != null ? source.platform : message.channel().connectorId(),
          source != null ? source.connector : null, route);
    });
  }

  /** What a connector sees of the engine: its id, its cursors and its bridged channels right now. */
  private final class EngineConnectorContext implements ConnectorContext {
    private final String connectorId;
    private final CursorStore.Scoped cursors;

    EngineConnectorContext(String connectorId) {
      this.connectorId = connectorId;
      this.cursors = config.store().cursors().scoped(connectorId);
    }

    @Override
    public String relayId() {
      return config.relayId();
    }

    @Override
    public CursorStore.Scoped cursors() {
      return cursors;
    }

    @Override
    public Set<String> channels() {
      return table.channelsOf(connectorId);
    }
  }
}
