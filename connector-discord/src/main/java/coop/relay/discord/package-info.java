/**
 * The Discord connector: {@link coop.relay.discord.DiscordConnector}. It receives through the
 * Gateway (v10, JSON over a WebSocket) and posts through the REST API (v10), as each bridged
 * person under their own name and avatar by way of one webhook per channel.
 */
@NullMarked
package coop.relay.discord;

import org.jspecify.annotations.NullMarked;
