/**
 * What every connector shares, so no connector writes it again: OkHttp calls as {@code Mono}
 * ({@link coop.relay.support.ReactiveHttpClient}), an OkHttp WebSocket as a {@code Flux} of
 * {@link coop.relay.support.WebSocketEvent}s with a {@link coop.relay.support.WebSocketSender}, the
 * shared Jackson setup ({@link coop.relay.support.Json}), rate limiting driven by quotas and by the
 * platform's response headers ({@link coop.relay.support.RateLimiter}), retries with backoff
 * ({@link coop.relay.support.RetryPolicy}), inbound webhooks ({@link coop.relay.support.WebhookHandler}
 * and the default {@link coop.relay.support.WebhookListener}), and small security helpers
 * ({@link coop.relay.support.Secret}, {@link coop.relay.support.HmacSha256},
 * {@link coop.relay.support.Redactor}).
 *
 * <p>This package is public API for connector authors, including third-party ones. It may expose
 * OkHttp and Jackson types; the relay's user-facing API never does.
 */
@NullMarked
package coop.relay.support;

import org.jspecify.annotations.NullMarked;
