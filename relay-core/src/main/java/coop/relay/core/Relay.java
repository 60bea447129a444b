package coop.relay.core;

import coop.relay.api.Message;
import coop.relay.api.event.RelayEvent;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A running set of bridges between chat channels.
 *
 * <pre>{@code
 * Relay relay = Relay.builder()
 *     .connector(telegram)
 *     .connector(discord)
 *     .bridge("coop-chat", b -> b
 *         .channel("tg", "-1001234567890")
 *         .channel("dc", "112233445566778899"))
 *     .build();
 * relay.events().subscribe(System.out::println);
 * relay.start().block();
 * ...
 * relay.stop().block();
 * }</pre>
 *
 * <p>A message posted in a bridged channel is delivered once to every other channel of every bridge
 * the channel reads into, never back to where it came from, and never again when its copies come
 * back as echoes. Edits, deletes, replies and reactions follow it to every copy. Each destination
 * channel has its own ordered delivery queue with retries, so a slow or failing destination never
 * delays another.
 *
 * <p>All methods are thread-safe. The {@code Mono}s are lazy: nothing happens until they are
 * subscribed to.
 */
public interface Relay {

  /** A builder for a new relay. */
  static RelayBuilder builder() {
    return new RelayBuilder();
  }

  /** The id of this relay instance; it goes into the origin marker of every message it sends. */
  String id();

  /**
   * Connects every connector.
   *
   * <p>Completes when every connector is connected or is retrying a transient failure in the
   * background (reported through {@link #events()}); a platform that is down never blocks the
   * others. Fails with {@link coop.relay.api.CredentialsRejectedException} when a platform rejects
   * its credentials and with {@link coop.relay.api.InvalidConfigurationException} when a connector
   * cannot work with its configuration; the connectors already connected are then disconnected.
   * Fails with {@link IllegalStateException} when the relay was started before. Cancelling the
   * returned {@code Mono} does not disconnect the connectors; call {@link #stop()}.
   */
  Mono<Void> start();

  /** Stops with the drain timeout given to the builder (10 seconds by default): see {@link #stop(Duration)}. */
  Mono<Void> stop();

  /**
   * Stops gracefully: stops receiving, waits up to {@code drainTimeout} for the queued deliveries to
   * finish, reports every delivery it could not finish as a {@link coop.relay.api.event.DeliveryFailed}
   * event, closes the connectors and completes {@link #events()}. Cursors are saved as they advance,
   * so a relay started again resumes where this one stopped. Completes when all of that is done;
   * idempotent.
   */
  Mono<Void> stop(Duration drainTimeout);

  /**
   * What the relay does: every event received and dropped, every delivery made, retried and failed,
   * and every connector state change.
   *
   * <p>Hot: a subscriber sees the events that happen after it subscribed. A subscriber that cannot
   * keep up has a buffer of its own (the builder's {@code eventBufferSize}); beyond it its oldest
   * events are dropped (and a warning logged) rather than slowing the relay down. Completes after
   * {@link #stop()}.
   */
  Flux<RelayEvent> events();

  /**
   * Adds a bridge, or replaces the bridge of that name, while the relay runs. The routing table is
   * swapped atomically: messages already queued are delivered as routed before the change.
   *
   * @return completes once new messages are routed through the changed bridge; fails with
   *     {@link coop.relay.api.InvalidConfigurationException} when the spec names an unknown connector,
   *     lists a channel twice or has fewer than two channels
   */
  Mono<Void> bridge(String name, Consumer<BridgeSpec> spec);

  /**
   * Removes a bridge while the relay runs; messages already queued are still delivered.
   *
   * @return completes when the bridge is gone; completes too when there was no such bridge
   */
  Mono<Void> removeBridge(String name);

  /** The names of the bridges right now. */
  Set<String> bridgeNames();

  /**
   * Publishes a message from code into a bridge: it is delivered to every channel of the bridge that
   * is written to (except the message's own channel, if it is one of them), with the message's
   * author as the identity. The message's ref is its canonical id; later events about it are not
   * expected.
   *
   * @return completes when every delivery is queued (their outcome is reported through
   *     {@link #events()}); fails with {@link coop.relay.api.InvalidConfigurationException} when there
   *     is no bridge of that name, and with {@link IllegalStateException} when the relay is not running
   */
  Mono<Void> publish(String bridge, Message message);
}
