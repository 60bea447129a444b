/** The Telegram Bot API emulator's implementation: state, wire routes, formatting, updates. */
@NullMarked
package coop.relay.sandbox.telegram.internal;

import org.jspecify.annotations.NullMarked;
