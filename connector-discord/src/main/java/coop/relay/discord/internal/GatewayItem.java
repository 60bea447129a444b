package coop.relay.discord.internal;

/** What the {@link Gateway} reports to the connector, in the order it happened. */
sealed interface GatewayItem {

  /** A new session is ready. */
  record Ready(Wire.Ready ready, Frame frame) implements GatewayItem {}

  /** The session was resumed; missed dispatches follow. */
  record Resumed(Frame frame) implements GatewayItem {}

  /** A dispatch of the session (possibly malformed, so that its sequence still counts). */
  record Dispatch(Frame frame) implements GatewayItem {}

  /** The connection is gone; the Gateway reconnects by itself. */
  record Lost(String reason) implements GatewayItem {}
}
