/**
 * The Telegram Bot API connector: {@link coop.relay.telegram.TelegramConnector} receives updates by
 * {@code getUpdates} long-polling or, with a {@link coop.relay.telegram.TelegramWebhook}, through a
 * webhook ({@link coop.relay.telegram.TelegramWebhookHandler}), turns message entities into portable
 * rich text and renders rich text back as the Bot API's HTML.
 */
@NullMarked
package coop.relay.telegram;

import org.jspecify.annotations.NullMarked;
