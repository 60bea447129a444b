/**
 * What every connector shares, so no connector writes it again. Public API for connector authors,
 * including third-party ones; it may expose OkHttp and Jackson types, which the relay's user-facing
 * API never does.
 *
 * <h2>The pieces</h2>
 *
 * <ul>
 *   <li>{@link coop.relay.support.ReactiveHttpClient}: OkHttp exchanges as lazy {@code Mono}s of a
 *       plain {@link coop.relay.support.HttpResponse} (cancelling cancels the call), and WebSockets as
 *       a {@code Flux} of {@link coop.relay.support.WebSocketEvent}s with a
 *       {@link coop.relay.support.WebSocketSender}.
 *   <li>{@link coop.relay.support.Json}: the shared Jackson 3 mapper, and skipping of malformed
 *       elements.
 *   <li>{@link coop.relay.support.RateLimiter}: one ordered request stream per key, fixed
 *       {@link coop.relay.support.Quota}s, and the buckets and retry-afters the platform reports as
 *       {@link coop.relay.support.RateLimitInfo}; {@link coop.relay.support.RetryAfter} reads the
 *       platforms' wait values. {@link coop.relay.support.FailureBreaker} stops a route that keeps
 *       being refused.
 *   <li>{@link coop.relay.support.RetryPolicy}: retries with {@link coop.relay.spi.Backoff} as a
 *       Reactor {@code Retry}, honouring {@link coop.relay.api.RateLimitedException#retryAfter()}.
 *       {@link coop.relay.support.LongPoll} is the poll loop of {@code getUpdates} and {@code /sync}.
 *   <li>{@link coop.relay.support.WebhookHandler} with {@link coop.relay.support.WebhookRequest} and
 *       {@link coop.relay.support.WebhookResponse}: inbound webhooks as plain values, served by the
 *       default {@link coop.relay.support.WebhookListener} or by the integrator's own server.
 *   <li>{@link coop.relay.support.Secret}, {@link coop.relay.support.HmacSha256} and
 *       {@link coop.relay.support.Redactor}: credentials that never reach a log, constant-time
 *       comparisons, webhook signatures.
 * </ul>
 *
 * <h2>A connector's send path, put together</h2>
 *
 * <pre>{@code
 * Secret token = Secret.of(configuredToken, "token");
 * ReactiveHttpClient http = ReactiveHttpClient.builder().redactor(Redactor.of(token)).build();
 * RateLimiter limiter = RateLimiter.builder()
 *     .name(connectorId)
 *     .keyQuota(Quota.perSecond(1))
 *     .globalQuota(Quota.perSecond(30))
 *     .build();
 *
 * Mono<HttpResponse> send(String chatId, Object payload) {
 *   Request request = new Request.Builder()
 *       .url(baseUrl + "/bot" + token.reveal() + "/sendMessage")
 *       .post(Json.requestBody(payload))
 *       .build();
 *   // The limiter waits, orders per chat, and re-sends after a 429 with the platform's wait;
 *   // the platform layer only says what a response means.
 *   return limiter.submit(chatId, http.execute(request), this::readLimits);
 * }
 * }</pre>
 *
 * <p>The relay retries failed deliveries itself (with the platform's wait for a
 * {@link coop.relay.api.RateLimitedException}), so a connector's send methods signal failures rather
 * than retrying for long; {@link coop.relay.support.RetryPolicy} is for the connector's own loops
 * (reconnects, polls).
 */
@NullMarked
package coop.relay.support;

import org.jspecify.annotations.NullMarked;
