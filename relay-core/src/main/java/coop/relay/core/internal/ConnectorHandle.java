package coop.relay.core.internal;

import coop.relay.api.Capabilities;
import coop.relay.api.event.ConnectorState;
import coop.relay.spi.Connector;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/** A connector as the engine holds it: its constant facts read once, and its live state. */
final class ConnectorHandle {
  final Connector connector;
  final String id;
  final String platform;
  final Capabilities capabilities;
  volatile ConnectorState state = ConnectorState.STOPPED;
  volatile @Nullable Disposable inbound;
  int reconnectAttempts;

  ConnectorHandle(Connector connector) {
    this.connector = connector;
    this.id = connector.id();
    this.platform = connector.platform();
    this.capabilities = connector.capabilities();
  }
}
