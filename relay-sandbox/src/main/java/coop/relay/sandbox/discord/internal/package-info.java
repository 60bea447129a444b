/**
 * The inside of the Discord emulator: state and rules, REST routes, rate limits, the gateway server
 * and the control API. Not API; {@code coop.relay.sandbox.discord.DiscordEmulator} is its face.
 */
@NullMarked
package coop.relay.sandbox.discord.internal;

import org.jspecify.annotations.NullMarked;
