/**
 * The Discord emulator: REST API v10, webhooks, CDN-like attachment URLs and the Gateway v10
 * WebSocket, written from Discord's OpenAPI spec and developer documentation. See {@link
 * coop.relay.sandbox.discord.DiscordEmulator}.
 */
@NullMarked
package coop.relay.sandbox.discord;

import org.jspecify.annotations.NullMarked;
