package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Operation;
import coop.relay.spi.Connector;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import reactor.core.publisher.Mono;

/** Posts a copy of a message; on success the copy is linked to its original and its echo pre-registered. */
final class PostDelivery extends Delivery {
  private final PreparedMessage prepared;

  PostDelivery(PreparedMessage prepared, ChannelRef destination, long receivedNanos) {
    super(Operation.POST, prepared.canonical, destination, receivedNanos);
    this.prepared = prepared;
  }

  @Override
  Mono<MessageRef> execute(DeliveryContext context, Connector connector) {
    var capabilities = connector.capabilities();
    MessageRef replyTo = null;
    RenderedText text = prepared.rendered;
    if (prepared.replyCanonical != null) {
      replyTo = capabilities.replies() ? context.store.idMap().copyIn(prepared.replyCanonical, destination) : null;
      if (replyTo == null) {
        text = prepared.quoted();
      }
    }
    MessageRef thread = prepared.threadCanonical != null && capabilities.threads()
        ? context.store.idMap().copyIn(prepared.threadCanonical, destination)
        : null;
    OutboundMessage outbound = new OutboundMessage(destination, source, prepared.message.author(), text,
        prepared.attachments, replyTo, thread, context.nextMarker());
    return connector.post(outbound);
  }

  @Override
  void onDelivered(DeliveryContext context, MessageRef copy) {
    context.store.idMap().link(source, copy);
    // The second loop guard: the copy's own creation event is now "already seen".
    context.store.dedup().markSeen(copy.channel(), copy.messageId());
  }
}
