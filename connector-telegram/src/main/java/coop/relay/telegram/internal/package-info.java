/**
 * The implementation of the Telegram connector: the Bot API client, update decoding, entity and
 * HTML conversion, text splitting, rate limits, long polling and the webhook receiver. Not API.
 */
@NullMarked
package coop.relay.telegram.internal;

import org.jspecify.annotations.NullMarked;
