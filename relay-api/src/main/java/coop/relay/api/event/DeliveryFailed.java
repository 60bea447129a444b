package coop.relay.api.event;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import java.util.Objects;

/**
 * A delivery failed for good: the failure was permanent, the retries ran out, or the relay stopped
 * before it could deliver. Nothing is dropped silently; this event is the report.
 *
 * @param operation what was attempted
 * @param source the original message
 * @param destination where it was going
 * @param attempts how many attempts were made (0 when it never started)
 * @param reason why it failed, in words a person can act on
 */
public record DeliveryFailed(Operation operation, MessageRef source, ChannelRef destination, int attempts, String reason)
    implements RelayEvent {
  /** Checks the components. */
  public DeliveryFailed {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(reason, "reason");
  }
}
