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
    boolean add = operation == Operation.ADD_REACTION;
    return copyOrFail(context).flatMap(target -> {
      // Registered before sending: the echo can arrive before the platform answers.
      context.reactionEchoes.sending(target, emoji, add);
      return (add ? connector.addReaction(target, emoji, user) : connector.removeReaction(target, emoji, user))
          .doOnError(error -> context.reactionEchoes.notSent(target, emoji, add))
          .thenReturn(target);
    });
  }
}
