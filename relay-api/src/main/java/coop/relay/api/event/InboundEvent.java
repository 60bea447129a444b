package coop.relay.api.event;

/**
 * Something a connector saw on its platform: a message event in a channel, or a change of the
 * connector's own state. Sealed: switch over it exhaustively.
 */
public sealed interface InboundEvent permits ChannelEvent, ConnectorStateChanged {}
