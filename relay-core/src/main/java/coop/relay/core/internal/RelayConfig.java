package coop.relay.core.internal;

import coop.relay.api.Interceptor;
import coop.relay.core.BridgeSpec;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.RelayStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Everything the builder checked, handed to the engine in one piece.
 *
 * @param bridgeCompiler turns a bridge spec into a checked definition (the builder owns the spec type)
 */
public record RelayConfig(
    String relayId,
    List<Connector> connectors,
    Map<String, BridgeDefinition> bridges,
    List<Interceptor> interceptors,
    NameTemplate nameTemplate,
    RelayStore store,
    @Nullable Object meterRegistry,
    int deliveryQueueCapacity,
    int maxDeliveryAttempts,
    Backoff backoff,
    Duration drainTimeout,
    int eventBufferSize,
    Scheduler scheduler,
    BiFunction<String, Consumer<BridgeSpec>, BridgeDefinition> bridgeCompiler) {}
