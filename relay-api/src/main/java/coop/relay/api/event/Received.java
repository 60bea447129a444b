package coop.relay.api.event;

import java.util.Objects;

/**
 * The relay accepted an inbound event for routing (it was neither a duplicate nor an echo).
 *
 * @param event the event
 */
public record Received(ChannelEvent event) implements RelayEvent {
  /** Checks the components. */
  public Received {
    Objects.requireNonNull(event, "event");
  }
}
