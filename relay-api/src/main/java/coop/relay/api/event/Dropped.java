package coop.relay.api.event;

import java.util.Objects;

/**
 * The relay saw an inbound event and deliberately did not relay it.
 *
 * @param event the event
 * @param reason why
 */
public record Dropped(ChannelEvent event, Reason reason) implements RelayEvent {
  /** Checks the components. */
  public Dropped {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(reason, "reason");
  }

  /** Why an event was not relayed. */
  public enum Reason {
    /** It is the echo of a message, edit or reaction the relay itself sent. */
    ECHO,
    /** The same event was already handled (a platform retry or a replay after reconnecting). */
    DUPLICATE,
    /** An interceptor dropped it for every destination (opt-out, filter). */
    FILTERED,
    /** Its channel is in no bridge that reads from it, or its target message is unknown to the relay. */
    NO_ROUTE
  }
}
