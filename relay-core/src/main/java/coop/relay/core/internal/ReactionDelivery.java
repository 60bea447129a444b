package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Operation;
import coop.relay.api.text.Emoji;
import coop.relay.spi.Connector;
import reactor.core.publisher.Mono;

/** Adds or removes a reaction on the destination's copy (or on the original, in its own channel). */
final class ReactionDelivery extends Delivery {
  private final Emoji emoji;
  private final Identity user;

  ReactionDelivery(boolean add, MessageRef canonical, ChannelRef destination, Emoji emoji, Identity user,
      long receivedNanos) {
    super(add ? Operation.ADD_REACTION : Operation.REMOVE_REACTION, canonical, destination, receivedNanos);
    this.emoji = emoji;
    this.user = user;
  }

  @Override
  Mono<MessageRef> execute(DeliveryContext context, Connector connector) {
    return copyOrFail(context).flatMap(target -> (operation == Operation.ADD_REACTION
            ? connector.addReaction(target, emoji, user)
            : connector.removeReaction(target, emoji, user))
        .thenReturn(target));
  }
}
