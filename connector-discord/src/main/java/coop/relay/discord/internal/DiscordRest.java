package coop.relay.discord.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import coop.relay.spi.Backoff;
import coop.relay.support.FailureBreaker;
import coop.relay.support.HttpResponse;
import coop.relay.support.Json;
import coop.relay.support.Quota;
import coop.relay.support.RateLimitInfo;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.RetryAfter;
import coop.relay.support.RetryPolicy;
import coop.relay.support.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Discord's REST API with its rules: every request goes through the {@link RateLimiter} under its
 * route key (one ordered stream per route and major parameter, buckets learnt from the
 * {@code X-RateLimit-*} headers, the global 50 requests per second, 429s honoured with their
 * {@code retry_after}); 5xx answers and broken connections are retried a few times; 401 and 403
 * answers count in a {@link FailureBreaker}, so a route that keeps being refused stops instead of
 * pushing the bot towards Discord's invalid-request ban. Answers map to relay-api exceptions whose
 * messages say what to fix, and never carry a token.
 */
final class DiscordRest {
  private static final Logger LOG = LoggerFactory.getLogger(DiscordRest.class);
  /** Refusals in a row after which a route stops. */
  static final int BREAKER_THRESHOLD = 5;
  private static final RequestBody EMPTY = RequestBody.create(new byte[0]);

  private final String connectorId;
  private final HttpUrl baseUrl;
  private final Secret token;
  private final ReactiveHttpClient http;
  private final Function<Secret, ReactiveHttpClient> webhookClients;
  private final Map<String, ReactiveHttpClient> webhookClientCache = new ConcurrentHashMap<>();
  private final RateLimiter limiter;
  private final FailureBreaker breaker;
  private final RetryPolicy serverErrors;
  private final Scheduler scheduler;

  DiscordRest(String connectorId, HttpUrl baseUrl, Secret token, ReactiveHttpClient http,
      Function<Secret, ReactiveHttpClient> webhookClients, Scheduler scheduler) {
    this.connectorId = connectorId;
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = http;
    this.webhookClients = webhookClients;
    this.scheduler = scheduler;
    this.limiter = RateLimiter.builder()
        .name("discord " + connectorId)
        .scheduler(scheduler)
        .globalQuota(Quota.perSecond(50))
        .maxRateLimitRetries(3)
        .build();
    this.breaker = FailureBreaker.of(BREAKER_THRESHOLD, DiscordRest::isRefusal);
    this.serverErrors = RetryPolicy.builder()
        .maxRetries(3)
        .backoff(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 2.0, 0.2))
        .scheduler(scheduler)
        .retryIf(failure -> failure instanceof DeliveryException delivery && delivery.isRetryable()
            && !(failure instanceof RateLimitedException))
        .build();
  }

  /** A call of a route: the values of its placeholders, query parameters and body. */
  static final class Call {
    final Route route;
    final String[] values;
    final String action;
    @Nullable RequestBody body;
    @Nullable Secret webhookToken;
    final java.util.List<String[]> query = new java.util.ArrayList<>(2);

    private Call(Route route, String action, String[] values) {
      this.route = route;
      this.action = action;
      this.values = values;
    }

    /** A call of {@code route}; {@code action} says what it does, for messages ("posting into channel 42"). */
    static Call of(Route route, String action, String... values) {
      return new Call(route, action, values);
    }

    Call body(RequestBody value) {
      this.body = value;
      return this;
    }

    Call json(Object value) {
      return body(Json.requestBody(value));
    }

    Call query(String name, String value) {
      query.add(new String[] {name, value});
      return this;
    }

    /** Sends the call with a webhook's token in the path instead of the bot token in a header. */
    Call webhook(Secret tokenOfWebhook) {
      this.webhookToken = tokenOfWebhook;
      return this;
    }
  }

  /**
   * Sends {@code call} and emits the successful response. Lazy; fails with the mapped exception;
   * cancelling cancels the request or its wait in the rate limiter.
   */
  Mono<HttpResponse> send(Call call) {
    String key = call.route.key(call.values);
    String major = call.route.major(call.values);
    return Mono.defer(() -> {
      Request request = request(call);
      ReactiveHttpClient client = call.webhookToken == null ? http : webhookClient(call.webhookToken);
      Mono<HttpResponse> exchange = client.execute(request);
      if (call.webhookToken != null) {
        // OkHttp's messages may quote the URL, which holds the webhook's token.
        exchange = exchange.onErrorMap(DeliveryException.class, e -> DeliveryException.transientFailure(
            call.action + " failed: the connection to Discord broke; retrying later", null));
      }
      Mono<HttpResponse> limited = limiter.submit(key, exchange, response -> rateLimitInfo(response, major));
      Mono<HttpResponse> checked = limited.flatMap(response -> response.isSuccessful()
          ? Mono.just(response)
          : Mono.error(failure(response, call.action)));
      return breaker.guard(key, checked);
    }).retryWhen(serverErrors.toRetry());
  }

  /** {@link #send} and the body as JSON. */
  Mono<JsonNode> json(Call call) {
    return send(call).flatMap(response -> {
      try {
        return Mono.just(Json.mapper().readTree(response.body()));
      } catch (JacksonException e) {
        return Mono.error(DeliveryException.transientFailure(
            call.action + ": Discord answered with malformed JSON; retrying later", null));
      }
    });
  }

  /** Whether the breaker stopped the route of {@code call}. */
  boolean isStopped(Call call) {
    return breaker.isOpen(call.route.key(call.values));
  }

  Scheduler scheduler() {
    return scheduler;
  }

  private Request request(Call call) {
    HttpUrl.Builder url = call.route.url(baseUrl, call.webhookToken == null
        ? call.values : withToken(call)).newBuilder();
    for (String[] parameter : call.query) {
      url.addQueryParameter(parameter[0], parameter[1]);
    }
    Request.Builder request = new Request.Builder().url(url.build());
    if (call.webhookToken == null) {
      request.header("Authorization", "Bot " + token.reveal());
    }
    RequestBody body = call.body;
    if (body == null && (call.route.method().equals("PUT") || call.route.method().equals("POST")
        || call.route.method().equals("PATCH"))) {
      body = EMPTY;
    }
    return request.method(call.route.method(), body).build();
  }

  private static String[] withToken(Call call) {
    // The template's {webhook_token} placeholder is filled here only, never in keys or messages.
    List<String> names = call.route.parameters();
    String[] values = new String[names.size()];
    int next = 0;
    for (int i = 0; i < names.size(); i++) {
      values[i] = names.get(i).equals("webhook_token")
          ? Objects.requireNonNull(call.webhookToken).reveal()
          : call.values[next++];
    }
    return values;
  }

  private ReactiveHttpClient webhookClient(Secret webhookToken) {
    return webhookClientCache.computeIfAbsent(webhookToken.reveal(), t -> webhookClients.apply(webhookToken));
  }

  /** What a response says about the route's bucket, or the 429's wait. */
  static RateLimitInfo rateLimitInfo(HttpResponse response, String major) {
    String hash = response.header("X-RateLimit-Bucket");
    String bucket = hash == null || hash.isBlank() ? null : hash + ":" + major;
    if (response.status() == 429) {
      JsonNode body = parseQuietly(response);
      Duration wait = null;
      if (body != null && body.path("retry_after").isNumber()) {
        wait = RetryAfter.ofSeconds(body.path("retry_after").asDouble()).orElse(null);
      }
      if (wait == null) {
        wait = RetryAfter.parseHeader(response.header("Retry-After"), Instant.now()).orElse(Duration.ofSeconds(1));
      }
      boolean global = (body != null && body.path("global").asBoolean(false))
          || "global".equalsIgnoreCase(response.header("X-RateLimit-Scope"))
          || "true".equalsIgnoreCase(response.header("X-RateLimit-Global"))
          // A 429 without Discord's JSON comes from the edge (Cloudflare) and concerns every request.
          || body == null;
      return new RateLimitInfo(bucket, null, null, wait, global);
    }
    String remaining = response.header("X-RateLimit-Remaining");
    String resetAfter = response.header("X-RateLimit-Reset-After");
    if (remaining == null || resetAfter == null) {
      return RateLimitInfo.NONE.withBucket(bucket);
    }
    try {
      return RateLimitInfo.bucket(bucket, Math.max(0, Integer.parseInt(remaining.strip())),
          RetryAfter.ofSeconds(Double.parseDouble(resetAfter.strip())).orElse(Duration.ZERO));
    } catch (NumberFormatException e) {
      LOG.debug("Ignoring malformed rate-limit headers on a Discord response");
      return RateLimitInfo.NONE.withBucket(bucket);
    }
  }

  /** The relay exception for a failed response; the message names the action and Discord's reason. */
  DeliveryException failureOf(HttpResponse response, String action) {
    RuntimeException failure = failure(response, action);
    return failure instanceof DeliveryException delivery ? delivery
        : DeliveryException.permanent(failure.getMessage());
  }

  private RuntimeException failure(HttpResponse response, String action) {
    int status = response.status();
    JsonNode body = parseQuietly(response);
    int code = body == null ? 0 : body.path("code").asInt(0);
    String reason = body == null ? "" : reason(body);
    String said = reason.isEmpty() ? "HTTP " + status : reason + " (HTTP " + status + (code == 0 ? "" : ", code " + code) + ")";
    if (status == 401) {
      return new CredentialsRejectedException(connectorId, "Discord rejected the bot token while " + action
          + " (HTTP 401); reset the token in the Discord Developer Portal (your application, Bot, Reset Token)"
          + " and configure the new one", null);
    }
    if (status == 429) {
      Duration wait = Objects.requireNonNull(rateLimitInfo(response, "").retryAfter());
      return new RateLimitedException(action + " was rate limited by Discord; retrying after " + wait, wait);
    }
    if (status == 408 || status >= 500) {
      return new RefusedException(action + " failed: Discord answered " + said + "; retrying later", status, code, true);
    }
    return new RefusedException(action + " was refused: Discord answered " + said + hint(status, code), status, code,
        false);
  }

  private static String hint(int status, int code) {
    if (code == RefusedException.MISSING_PERMISSIONS || code == RefusedException.MISSING_ACCESS || status == 403) {
      return "; give the bot the View Channel, Send Messages, Read Message History, Add Reactions and"
          + " Manage Webhooks permissions in this channel";
    }
    if (status == 404) {
      return "; the channel, message or webhook does not exist (any more), or the bot cannot see it";
    }
    return "; retrying will not help";
  }

  /** Discord's top-level message plus the first field error, without any content we sent. */
  private static String reason(JsonNode body) {
    String message = body.path("message").asString("");
    JsonNode errors = body.path("errors");
    if (errors.isObject()) {
      String first = firstFieldError(errors, "");
      if (first != null) {
        message = message + ": " + first;
      }
    }
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }

  private static @Nullable String firstFieldError(JsonNode node, String path) {
    JsonNode list = node.path("_errors");
    if (list.isArray() && !list.isEmpty()) {
      return (path.isEmpty() ? "" : path + ": ") + list.get(0).path("message").asString("");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (field.getValue().isObject()) {
        String found = firstFieldError(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static @Nullable JsonNode parseQuietly(HttpResponse response) {
    if (response.body().length == 0) {
      return null;
    }
    try {
      JsonNode node = Json.mapper().readTree(response.body());
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private static boolean isRefusal(Throwable failure) {
    return failure instanceof CredentialsRejectedException
        || failure instanceof RefusedException refused && refused.status() == 403;
  }
}
