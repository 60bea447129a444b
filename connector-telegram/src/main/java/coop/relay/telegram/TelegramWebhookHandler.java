package coop.relay.telegram;

import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import reactor.core.publisher.Mono;

/**
 * Receives Telegram's webhook requests for a {@link TelegramConnector} in webhook mode. It is a
 * plain {@link WebhookHandler}: mount it in any HTTP server by converting the request to a
 * {@link WebhookRequest} (method, path, headers, raw body) and writing back the
 * {@link WebhookResponse}, or let the connector mount it on a
 * {@link coop.relay.support.WebhookListener} ({@link TelegramWebhook.Builder#listener}).
 *
 * <p>It answers at once, without waiting for the relay to deliver anything:
 * <ul>
 *   <li>401 when the {@value #SECRET_TOKEN_HEADER} header is missing or differs from the secret
 *       token the connector registered (compared in constant time);
 *   <li>405 for anything but {@code POST};
 *   <li>503 while the connector is not connected, so that Telegram keeps the update and sends it
 *       again later instead of it being lost;
 *   <li>200 otherwise, also for an update it already received (Telegram retries; each
 *       {@code update_id} is relayed once) and for a malformed one (logged and skipped, since sending
 *       it again would not help).
 * </ul>
 */
public interface TelegramWebhookHandler extends WebhookHandler {

  /** The header Telegram puts the webhook's secret token in. */
  String SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token";

  /**
   * Handles one request from Telegram; see the class description for the answers.
   *
   * @return emits the response at once; never fails
   */
  @Override
  Mono<WebhookResponse> handle(WebhookRequest request);
}
