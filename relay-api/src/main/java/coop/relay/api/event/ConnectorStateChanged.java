package coop.relay.api.event;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connector changed state. Connectors emit it inbound; the relay passes it on to its users.
 *
 * @param connectorId the connector
 * @param state the new state
 * @param detail a human-readable reason (never containing a secret), or {@code null}
 * @param at when it changed
 */
public record ConnectorStateChanged(String connectorId, ConnectorState state, @Nullable String detail, Instant at)
    implements InboundEvent, RelayEvent {
  /** Checks the components. */
  public ConnectorStateChanged {
    Objects.requireNonNull(connectorId, "connectorId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
  }

  /** A state change happening now. */
  public static ConnectorStateChanged now(String connectorId, ConnectorState state, @Nullable String detail) {
    return new ConnectorStateChanged(connectorId, state, detail, Instant.now());
  }
}
