package coop.relay.api.event;

import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import java.util.Objects;

/**
 * A new message was posted.
 *
 * @param message the message
 */
public record MessageCreated(Message message) implements ChannelEvent {
  /** Checks the components. */
  public MessageCreated {
    Objects.requireNonNull(message, "message");
  }

  @Override
  public MessageRef target() {
    return message.ref();
  }

  /** The message id: a message is created once. */
  @Override
  public String eventId() {
    return message.ref().messageId();
  }
}
