package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.DeliveryException;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Operation;
import coop.relay.spi.Connector;
import reactor.core.publisher.Mono;

/**
 * One thing to do on one destination channel. Targets (the copy to edit, the message to reply to)
 * are looked up when the delivery runs, not when it is queued, because the copy they need may be
 * made by a delivery queued just before.
 */
abstract class Delivery {
  final Operation operation;
  final MessageRef source;
  final ChannelRef destination;
  final long receivedNanos;
  int attempts;

  Delivery(Operation operation, MessageRef source, ChannelRef destination, long receivedNanos) {
    this.operation = operation;
    this.source = source;
    this.destination = destination;
    this.receivedNanos = receivedNanos;
  }

  /** Does the work once; emits the message on the destination that the work was about. */
  abstract Mono<MessageRef> execute(DeliveryContext context, Connector connector);

  /** Records what a successful attempt made; called before the success is reported. */
  void onDelivered(DeliveryContext context, MessageRef result) {}

  /** The copy of the source in the destination, or an error saying why there is none. */
  final Mono<MessageRef> copyOrFail(DeliveryContext context) {
    MessageRef copy = context.store.idMap().copyIn(source, destination);
    if (copy == null) {
      return Mono.error(DeliveryException.permanent("there is no copy of " + source + " in " + destination
          + " (it was never delivered there), so it cannot be " + operation.name().toLowerCase().replace('_', ' ')));
    }
    return Mono.just(copy);
  }
}
