package coop.relay.api.event;

import coop.relay.api.MessageRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A message was deleted (redacted).
 *
 * @param eventId the deletion's id; the message id when the platform has no separate one
 * @param target the deleted message
 * @param deletedAt when it was deleted
 */
public record MessageDeleted(String eventId, MessageRef target, Instant deletedAt) implements ChannelEvent {
  /** Checks the components. */
  public MessageDeleted {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(deletedAt, "deletedAt");
  }
}
