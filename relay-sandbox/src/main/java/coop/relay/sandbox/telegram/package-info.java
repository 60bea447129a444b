/**
 * The Telegram Bot API emulator: {@link coop.relay.sandbox.telegram.TelegramEmulator}.
 */
@NullMarked
package coop.relay.sandbox.telegram;

import org.jspecify.annotations.NullMarked;
