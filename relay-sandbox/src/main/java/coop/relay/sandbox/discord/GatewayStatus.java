package coop.relay.sandbox.discord;

/**
 * The Discord emulator's gateway at one moment.
 *
 * @param connections open WebSocket connections
 * @param sessions live sessions, attached to a connection or waiting for a Resume
 * @param resumableSessions sessions without a connection that a Resume can continue
 */
public record GatewayStatus(int connections, int sessions, int resumableSessions) {}
