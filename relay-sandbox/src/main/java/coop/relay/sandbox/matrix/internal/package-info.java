/**
 * The Matrix emulator's implementation: rooms and events, the client-server API routes, sync,
 * media, rate limits, and the application-service transaction pushes.
 */
@NullMarked
package coop.relay.sandbox.matrix.internal;

import org.jspecify.annotations.NullMarked;
