package coop.relay.matrix.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.support.HttpResponse;
import coop.relay.support.Json;
import coop.relay.support.RateLimitInfo;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Secret;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The client-server API as lazy {@code Mono}s: builds URLs below the homeserver's base URL, adds
 * the bearer token, reads the answer as JSON and turns failures into the relay's exceptions
 * ({@link MatrixErrors}). Requests that create events go through the {@link RateLimiter}, one
 * ordered lane per room and sender, pausing the sender's bucket for exactly the wait a 429 asks for.
 *
 * <p>Once the homeserver rejected the token, every later call fails at once with the same
 * {@link CredentialsRejectedException}, without contacting it: that is the bad-credentials state.
 */
final class MatrixClient {
  static final String CLIENT_V3 = "_matrix/client/v3";
  static final String CLIENT_V1 = "_matrix/client/v1";
  static final String MEDIA_V3 = "_matrix/media/v3";

  private final String connectorId;
  private final HttpUrl baseUrl;
  private final Secret token;
  private final ReactiveHttpClient http;
  private final RateLimiter limiter;
  private final Scheduler scheduler;
  private final AtomicReference<@Nullable CredentialsRejectedException> rejected = new AtomicReference<>();

  MatrixClient(String connectorId, HttpUrl baseUrl, Secret token, ReactiveHttpClient http, RateLimiter limiter,
      Scheduler scheduler) {
    this.connectorId = connectorId;
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = http;
    this.limiter = limiter;
    this.scheduler = scheduler;
  }

  ReactiveHttpClient http() {
    return http;
  }

  /** A URL below the base URL: the API prefix (e.g. {@link #CLIENT_V3}), then each segment encoded. */
  HttpUrl.Builder url(String apiPrefix, String... segments) {
    HttpUrl.Builder builder = baseUrl.newBuilder().addPathSegments(apiPrefix);
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder;
  }

  Request get(HttpUrl url) {
    return authorized(url).get().build();
  }

  Request put(HttpUrl url, Object json) {
    return authorized(url).put(Json.requestBody(json)).build();
  }

  Request post(HttpUrl url, Object json) {
    return authorized(url).post(Json.requestBody(json)).build();
  }

  Request upload(HttpUrl url, byte[] content, String mediaType) {
    MediaType type = MediaType.parse(mediaType);
    return authorized(url)
        .post(RequestBody.create(content, type == null ? MediaType.get("application/octet-stream") : type))
        .build();
  }

  private Request.Builder authorized(HttpUrl url) {
    return new Request.Builder().url(url).header("Authorization", "Bearer " + token.reveal());
  }

  /** Sends a request that creates nothing (reads, profile, joins) and emits the JSON answer. */
  Mono<JsonNode> call(Request request, String action) {
    return call(http, request, action);
  }

  /** Like {@link #call(Request, String)} through another client (the long-poll one). */
  Mono<JsonNode> call(ReactiveHttpClient client, Request request, String action) {
    return guarded(() -> client.execute(request).map(response -> json(response, action)));
  }

  /**
   * Sends a request that creates an event, in the rate limiter's lane {@code lane}; a 429 pauses the
   * bucket {@code sender} (Matrix limits per account) for the wait the server asked for, then the
   * same request (same transaction id) goes again.
   */
  Mono<JsonNode> send(String lane, String sender, Request request, String action) {
    return guarded(() -> limiter.submit(lane, http.execute(request), response -> MatrixErrors.isRateLimited(response)
            ? RateLimitInfo.retryAfter(MatrixErrors.retryAfter(response, now())).withBucket(sender)
            : RateLimitInfo.NONE)
        .map(response -> json(response, action)));
  }

  /** Fetches raw bytes (media downloads). */
  Mono<byte[]> bytes(Request request, String action) {
    return bytes(http, request, action);
  }

  /** Fetches the raw bytes of a successful answer through {@code client} (the long-poll one for /sync). */
  Mono<byte[]> bytes(ReactiveHttpClient client, Request request, String action) {
    return guarded(() -> client.execute(request).map(response -> {
      if (!response.isSuccessful()) {
        throw failure(response, action);
      }
      return response.body();
    }));
  }

  private <T> Mono<T> guarded(java.util.function.Supplier<Mono<T>> call) {
    return Mono.defer(() -> {
      CredentialsRejectedException bad = rejected.get();
      return bad != null ? Mono.error(bad) : call.get();
    });
  }

  private JsonNode json(HttpResponse response, String action) {
    if (!response.isSuccessful()) {
      throw failure(response, action);
    }
    if (response.body().length == 0) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.mapper().readTree(response.body());
    } catch (JacksonException e) {
      throw DeliveryException.transientFailure(action + " answered HTTP " + response.status()
          + " with a body that is not JSON; is the base URL a Matrix homeserver? Retrying", null);
    }
  }

  /** The exception for a failed answer; remembers rejected credentials. */
  RuntimeException failure(HttpResponse response, String action) {
    RuntimeException failure = MatrixErrors.failure(connectorId, response, action, Instant.ofEpochMilli(
        scheduler.now(TimeUnit.MILLISECONDS)));
    if (failure instanceof CredentialsRejectedException credentials) {
      rejected.compareAndSet(null, credentials);
    }
    return failure;
  }

  private Instant now() {
    return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
  }

  /** The rejection that put the client into the bad-credentials state, or {@code null}. */
  @Nullable CredentialsRejectedException rejected() {
    return rejected.get();
  }

  @Override
  public String toString() {
    return "MatrixClient[" + connectorId + ", " + baseUrl + "]";
  }
}
