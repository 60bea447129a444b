package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Operation;
import coop.relay.spi.Connector;
import reactor.core.publisher.Mono;

/** Deletes the copy in the destination. */
final class DeleteDelivery extends Delivery {

  DeleteDelivery(MessageRef canonical, ChannelRef destination, long receivedNanos) {
    super(Operation.DELETE, canonical, destination, receivedNanos);
  }

  @Override
  Mono<MessageRef> execute(DeliveryContext context, Connector connector) {
    return copyOrFail(context).flatMap(copy -> connector.delete(copy).thenReturn(copy));
  }
}
