package coop.relay.api.event;

import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import java.time.Instant;
import java.util.Objects;

/**
 * A reaction was added to a message.
 *
 * @param eventId the event's id, stable across redeliveries
 * @param target the message reacted to
 * @param user who reacted
 * @param emoji the reaction
 * @param at when it happened
 */
public record ReactionAdded(String eventId, MessageRef target, Identity user, Emoji emoji, Instant at)
    implements ChannelEvent {
  /** Checks the components. */
  public ReactionAdded {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(emoji, "emoji");
    Objects.requireNonNull(at, "at");
  }
}
