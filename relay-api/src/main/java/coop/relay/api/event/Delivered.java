package coop.relay.api.event;

import coop.relay.api.MessageRef;
import java.time.Duration;
import java.util.Objects;

/**
 * A delivery succeeded.
 *
 * @param operation what was done
 * @param source the original message the delivery is about
 * @param copy the message on the destination (the new copy for a post)
 * @param latency from the relay receiving the event to the platform confirming the delivery
 * @param attempts how many attempts it took, at least 1
 */
public record Delivered(Operation operation, MessageRef source, MessageRef copy, Duration latency, int attempts)
    implements RelayEvent {
  /** Checks the components. */
  public Delivered {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(latency, "latency");
  }
}
