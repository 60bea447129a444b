package coop.relay.api.event;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;

/**
 * An inbound event about a message in a channel.
 *
 * <p>{@link #eventId()} identifies the event (not the message) uniquely within its channel and must
 * be the same when the platform delivers the event again (a webhook retry, a replay after a
 * reconnect), so that the relay can drop the repeat. For {@link MessageCreated} it is the message id.
 */
public sealed interface ChannelEvent extends InboundEvent
    permits MessageCreated, MessageEdited, MessageDeleted, ReactionAdded, ReactionRemoved {

  /** The channel the event happened in. */
  default ChannelRef channel() {
    return target().channel();
  }

  /** The message the event is about. */
  MessageRef target();

  /** The id of the event, stable across redeliveries; unique within the channel. */
  String eventId();
}
