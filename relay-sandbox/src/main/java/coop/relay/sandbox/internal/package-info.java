/**
 * The shared framework of the emulators: hosting on Reactor Netty, the HTTP form of the control API
 * and its client, the change feed, fault plans, and request-body parsing. Types here are public only
 * because every {@code coop.relay.sandbox.<platform>.internal} package uses them; they are not API.
 */
@NullMarked
package coop.relay.sandbox.internal;

import org.jspecify.annotations.NullMarked;
