package coop.relay.api.event;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import java.time.Duration;
import java.util.Objects;

/**
 * A delivery failed transiently and will be tried again after {@code delay}.
 *
 * @param operation what was attempted
 * @param source the original message
 * @param destination where it was going
 * @param attempt the number of the attempt that failed, from 1
 * @param delay how long the relay waits before the next attempt
 * @param reason why it failed
 */
public record DeliveryRetried(
    Operation operation, MessageRef source, ChannelRef destination, int attempt, Duration delay, String reason)
    implements RelayEvent {
  /** Checks the components. */
  public DeliveryRetried {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(reason, "reason");
  }
}
