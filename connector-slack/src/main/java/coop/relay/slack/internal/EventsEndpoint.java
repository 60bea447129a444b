package coop.relay.slack.internal;

import coop.relay.support.HmacSha256;
import coop.relay.support.Json;
import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * The Events API request URL: verifies Slack's signature, answers {@code url_verification}, and
 * acknowledges every event at once (Slack retries after 3 seconds), handing it to the connector's
 * stream.
 *
 * <p>A request is accepted only with an {@code X-Slack-Signature} that is {@code v0=} and the
 * HMAC-SHA256 of {@code v0:{timestamp}:{raw body}} under the signing secret (compared in constant
 * time), and an {@code X-Slack-Request-Timestamp} within five minutes of now, so a captured request
 * cannot be replayed later. Anything else gets 401 before the body is read as JSON. While the
 * connector is not connected, events get 503 so that Slack delivers them again later. Retries
 * ({@code X-Slack-Retry-Num}) are passed on like first deliveries; the connector drops events whose
 * {@code event_id} it already relayed.
 */
final class EventsEndpoint implements WebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);
  private static final byte[] VERSION = "v0:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COLON = ":".getBytes(StandardCharsets.US_ASCII);

  private final String connectorId;
  private final HmacSha256 signer;
  private final Scheduler scheduler;
  private final Duration tolerance;
  private final Sinks.Many<Inbound> events =
      Sinks.many().multicast().onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);
  private final AtomicInteger receivers = new AtomicInteger();

  /**
   * @param signer keyed with the app's signing secret
   * @param scheduler tells the time the request timestamps are checked against
   * @param tolerance how far a request's timestamp may be from now
   */
  EventsEndpoint(String connectorId, HmacSha256 signer, Scheduler scheduler, Duration tolerance) {
    this.connectorId = connectorId;
    this.signer = signer;
    this.scheduler = scheduler;
    this.tolerance = tolerance;
  }

  /**
   * The accepted events, while subscribed: first {@link Inbound.Up}, then a {@link Inbound.Payload}
   * per event request. Never completes; cancelling stops accepting (requests then get 503).
   */
  Flux<Inbound> receive() {
    return Flux.defer(() -> {
      // Counted before subscribing: what arrives in between waits in the sink rather than getting 503.
      receivers.incrementAndGet();
      return events.asFlux().startWith(new Inbound.Up("Events API"));
    }).doFinally(signal -> receivers.decrementAndGet());
  }

  @Override
  public Mono<WebhookResponse> handle(WebhookRequest request) {
    return Mono.fromSupplier(() -> respond(request));
  }

  private WebhookResponse respond(WebhookRequest request) {
    if (!request.method().equals("POST")) {
      return WebhookResponse.status(405).withHeader("Allow", "POST");
    }
    String refusal = verify(request);
    if (refusal != null) {
      LOG.warn("{}: refused an Events API request: {}", connectorId, refusal);
      return WebhookResponse.text(401, "invalid request signature");
    }
    String contentType = request.header("Content-Type");
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
        && request.bodyAsString().contains("ssl_check=1")) {
      return WebhookResponse.ok();
    }
    Callback callback;
    try {
      callback = WireReader.readCallback(request.body());
    } catch (RuntimeException e) {
      LOG.warn("{}: skipping an Events API request whose body is not a JSON object ({} bytes)", connectorId,
          request.body().length);
      return WebhookResponse.text(400, "the body is not a JSON object");
    }
    if ("url_verification".equals(callback.type())) {
      String challenge = callback.challenge() == null ? "" : callback.challenge();
      return WebhookResponse.json(200, Json.mapper().writeValueAsBytes(Map.of("challenge", challenge)));
    }
    if (receivers.get() == 0) {
      return WebhookResponse.text(503, "not connected; deliver again later");
    }
    String retry = request.header("X-Slack-Retry-Num");
    if (retry != null && LOG.isDebugEnabled()) {
      LOG.debug("{}: Slack delivers event {} again (retry {}, {})", connectorId, callback.eventId(), retry,
          request.header("X-Slack-Retry-Reason"));
    }
    Sinks.EmitResult result;
    synchronized (events) {
      result = events.tryEmitNext(new Inbound.Payload(callback));
    }
    if (result.isFailure()) {
      LOG.warn("{}: could not accept an event ({}); Slack will deliver it again", connectorId, result);
      return WebhookResponse.text(503, "busy; deliver again later");
    }
    return WebhookResponse.ok();
  }

  /** Why the request is not Slack's, or {@code null} when it is. Never names the expected signature. */
  private @org.jspecify.annotations.Nullable String verify(WebhookRequest request) {
    String timestamp = request.header("X-Slack-Request-Timestamp");
    String signature = request.header("X-Slack-Signature");
    if (timestamp == null || signature == null) {
      return "no X-Slack-Request-Timestamp or X-Slack-Signature header";
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return "the timestamp is not a number";
    }
    long now = scheduler.now(TimeUnit.SECONDS);
    if (Math.abs(now - seconds) > tolerance.toSeconds()) {
      return "the timestamp is more than " + tolerance.toMinutes() + " minutes away from now (a replay, or a wrong clock)";
    }
    if (!signature.startsWith("v0=")) {
      return "the signature is not a v0 signature";
    }
    boolean valid = signer.verifyHex(signature.substring(3), VERSION,
        timestamp.getBytes(StandardCharsets.US_ASCII), COLON, request.body());
    return valid ? null : "the signature does not match the signing secret";
  }
}
