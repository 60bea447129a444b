package coop.relay.spi;

import java.util.Set;

/** What the relay gives a connector when it connects. */
public interface ConnectorContext {

  /** The id of the relay instance; it goes into the origin marker of everything the relay sends. */
  String relayId();

  /** Where the connector keeps its resume points (Telegram offset, Matrix since, Discord session). */
  CursorStore.Scoped cursors();

  /**
   * The ids of this connector's channels that are bridged right now. It changes when bridges change
   * while the relay runs; connectors that must prepare channels (join a room, find a webhook) read it
   * again when they meet an unknown channel.
   */
  Set<String> channels();
}
