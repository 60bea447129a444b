package coop.relay.matrix;

import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import reactor.core.publisher.Mono;

/**
 * Serves the application-service API the homeserver calls, for a {@link MatrixConnector} in
 * appservice mode. It is a plain {@link WebhookHandler}: mount it in any HTTP server by converting the
 * request (method, raw path, headers, body) to a {@link WebhookRequest} and writing back the
 * {@link WebhookResponse}, or let the connector serve it on a
 * {@link coop.relay.support.WebhookListener} ({@link MatrixConnector.Builder#listen},
 * {@link MatrixConnector.Builder#listener}).
 *
 * <p>It answers requests whose path contains {@value #PATH_PREFIX}{@code /}:
 * <ul>
 *   <li>every request must carry {@code Authorization: Bearer <hs_token>} (compared in constant
 *       time): 401 {@code M_UNAUTHORIZED} without it, 403 {@code M_FORBIDDEN} with another token;
 *   <li>{@code PUT .../transactions/{txnId}}: the events are relayed, and 200 {@code {}} answers once
 *       they were handed to the relay; a transaction id seen before answers 200 at once without
 *       relaying anything again; 503 while the connector is not connected, so that the homeserver
 *       keeps the events and retries;
 *   <li>{@code POST .../ping}: 200 {@code {}};
 *   <li>{@code GET .../users/{userId}}: a ghost id of this connector is registered and answers 200,
 *       anything else 404 {@code M_NOT_FOUND};
 *   <li>{@code GET .../rooms/{alias}}: 404 {@code M_NOT_FOUND}, the connector creates no rooms on demand;
 *   <li>anything else: 404 {@code M_UNRECOGNIZED}.
 * </ul>
 */
public interface AppserviceHandler extends WebhookHandler {

  /** The path prefix of the application-service API, version 1. */
  String PATH_PREFIX = "/_matrix/app/v1";

  /**
   * Handles one request from the homeserver; see the class description for the answers.
   *
   * @return emits the response; never fails. Cancelling abandons the request (the homeserver retries)
   */
  @Override
  Mono<WebhookResponse> handle(WebhookRequest request);
}
