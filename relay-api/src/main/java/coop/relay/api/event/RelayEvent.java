package coop.relay.api.event;

/**
 * What a running relay reports through {@code Relay.events()}: what it received, delivered,
 * retried, dropped and failed to deliver, and how its connectors are. Sealed: switch over it
 * exhaustively.
 */
public sealed interface RelayEvent
    permits Received, Delivered, DeliveryRetried, DeliveryFailed, Dropped, ConnectorStateChanged {}
