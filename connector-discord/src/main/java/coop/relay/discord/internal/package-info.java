/**
 * The Discord connector's machinery: the Gateway session (heartbeats, identify and resume, close
 * codes), the REST routes with their rate-limit buckets, channel webhooks, the decoding of
 * dispatches, and Discord markdown. Nothing here is API; everything may change.
 */
@NullMarked
package coop.relay.discord.internal;

import org.jspecify.annotations.NullMarked;
