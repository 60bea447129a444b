package coop.relay.support;

import reactor.core.publisher.Mono;

/**
 * Handles inbound webhook requests of one platform (Telegram updates, Slack Events API, Matrix
 * appservice transactions). A plain interface with plain values, so integrators can mount it in
 * their own HTTP server (Netty, Jetty, Spring, ...) by converting the request and response; the
 * default {@link WebhookListener} mounts it on the JDK's built-in server.
 *
 * <p>Implementations verify the request (secret token, signature, bearer token) before anything
 * else, and answer fast: platforms time out and retry (Slack after 3 seconds), so the work the
 * request starts should continue after the answer, not before it.
 */
@FunctionalInterface
public interface WebhookHandler {

  /**
   * Handles one request.
   *
   * @return emits the response to send; an empty mono answers 200 with no body. An error answers
   *     500 without details. Cancelled when the server gives up on the request (its response
   *     timeout, or a stop).
   */
  Mono<WebhookResponse> handle(WebhookRequest request);
}
