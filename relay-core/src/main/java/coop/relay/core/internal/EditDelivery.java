package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Operation;
import coop.relay.spi.Connector;
import coop.relay.spi.OutboundMessage;
import reactor.core.publisher.Mono;

/** Replaces the content of the copy in the destination with the edited original. */
final class EditDelivery extends Delivery {
  private final PreparedMessage prepared;

  EditDelivery(PreparedMessage prepared, ChannelRef destination, long receivedNanos) {
    super(Operation.EDIT, prepared.canonical, destination, receivedNanos);
    this.prepared = prepared;
  }

  @Override
  Mono<MessageRef> execute(DeliveryContext context, Connector connector) {
    return copyOrFail(context).flatMap(copy -> {
      OutboundMessage outbound = new OutboundMessage(destination, source, prepared.message.author(),
          prepared.rendered, prepared.attachments, null, null, context.nextMarker());
      return connector.edit(copy, outbound).thenReturn(copy);
    });
  }
}
