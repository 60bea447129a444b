package coop.relay.testkit;

import coop.relay.spi.ConnectorContext;
import coop.relay.spi.CursorStore;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ConnectorContext} for driving a connector without a relay: a relay id, the connector's
 * cursors and a set of bridged channel ids. The channel set is used as given, so pass a concurrent
 * set to change it while the connector runs.
 *
 * <pre>{@code
 * InMemoryCursorStore cursors = new InMemoryCursorStore();
 * ConnectorContext context = TestConnectorContext.of("test-relay", cursors.scoped("mem"), Set.of("general"));
 * StepVerifier.create(connector.connect(context)) ...
 * }</pre>
 *
 * @param relayId the relay id; the connector drops echoes carrying it
 * @param cursors the connector's cursors
 * @param channels the bridged channel ids
 */
public record TestConnectorContext(String relayId, CursorStore.Scoped cursors, Set<String> channels)
    implements ConnectorContext {

  /** @throws IllegalArgumentException if the relay id is blank */
  public TestConnectorContext {
    if (relayId == null || relayId.isBlank()) {
      throw new IllegalArgumentException("relayId must not be null or blank");
    }
    Objects.requireNonNull(cursors, "cursors");
    Objects.requireNonNull(channels, "channels");
  }

  /** A context with the given parts. */
  public static TestConnectorContext of(String relayId, CursorStore.Scoped cursors, Set<String> channels) {
    return new TestConnectorContext(relayId, cursors, channels);
  }

  /** A context for {@code connectorId} with a fresh {@link InMemoryCursorStore} and no channels. */
  public static TestConnectorContext fresh(String relayId, String connectorId) {
    return new TestConnectorContext(relayId, new InMemoryCursorStore().scoped(connectorId), Set.of());
  }
}
