/**
 * The user-facing model of Relay: references to channels, messages and users, identities,
 * messages with their attachments and replies, capabilities of a platform, and the exception
 * hierarchy. Everything here is immutable and platform-neutral.
 */
@NullMarked
package coop.relay.api;

import org.jspecify.annotations.NullMarked;
