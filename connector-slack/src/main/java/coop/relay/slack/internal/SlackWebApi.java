package coop.relay.slack.internal;

import coop.relay.api.DeliveryException;
import coop.relay.api.RelayException;
import coop.relay.support.HttpResponse;
import coop.relay.support.Json;
import coop.relay.support.RateLimitInfo;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.RetryAfter;
import coop.relay.support.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
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
 * The Slack Web API as lazy {@code Mono}s: form-encoded calls with the bot token as bearer, Slack's
 * {@code "ok": false} answers mapped to the relay's exceptions ({@link SlackErrors}), and every call
 * queued in the {@link RateLimiter} under a key (the channel for messages), which honours
 * {@code Retry-After} on HTTP 429 and on {@code ratelimited} answers.
 *
 * <p>Thread-safe. Tokens only ever go into the {@code Authorization} header, never into a URL, a log
 * line or a message.
 */
final class SlackWebApi {
  private static final Logger LOG = LoggerFactory.getLogger(SlackWebApi.class);
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final String connectorId;
  private final HttpUrl baseUrl;
  private final Secret botToken;
  private final @Nullable Secret appToken;
  private final ReactiveHttpClient http;
  private final RateLimiter limiter;
  private final Scheduler scheduler;

  SlackWebApi(String connectorId, HttpUrl baseUrl, Secret botToken, @Nullable Secret appToken,
      ReactiveHttpClient http, RateLimiter limiter, Scheduler scheduler) {
    this.connectorId = connectorId;
    this.baseUrl = baseUrl;
    this.botToken = botToken;
    this.appToken = appToken;
    this.http = http;
    this.limiter = limiter;
    this.scheduler = scheduler;
  }

  /**
   * Calls {@code method} with a form body as the bot.
   *
   * @param key the rate-limit key: calls of one key run in order and share its quota
   * @param channel the channel the call is about, for error messages; {@code null} if none
   * @return emits the response object when Slack answered {@code "ok": true}; fails with the mapped
   *     exception otherwise
   */
  Mono<JsonNode> post(String method, String key, @Nullable String channel, Map<String, String> form) {
    return Mono.defer(() -> {
      FormBody.Builder body = new FormBody.Builder(StandardCharsets.UTF_8);
      form.forEach(body::add);
      Request request = new Request.Builder()
          .url(methodUrl(method).build())
          .header("Authorization", "Bearer " + botToken.reveal())
          .post(body.build())
          .build();
      return call(method, key, channel, request, false);
    });
  }

  /** Calls {@code method} with query parameters (a read method) as the bot; see {@link #post}. */
  Mono<JsonNode> get(String method, String key, @Nullable String channel, Map<String, String> query) {
    return Mono.defer(() -> {
      HttpUrl.Builder url = methodUrl(method);
      query.forEach(url::addQueryParameter);
      Request request = new Request.Builder()
          .url(url.build())
          .header("Authorization", "Bearer " + botToken.reveal())
          .get()
          .build();
      return call(method, key, channel, request, false);
    });
  }

  /**
   * {@code apps.connections.open} with the app-level token: the URL of a new Socket Mode connection.
   * Fails with {@link coop.relay.api.CredentialsRejectedException} when Slack rejects the app token.
   */
  Mono<String> openSocketUrl() {
    return Mono.defer(() -> {
      Secret token = appToken;
      if (token == null) {
        return Mono.error(new IllegalStateException("Socket Mode needs the app token"));
      }
      Request request = new Request.Builder()
          .url(methodUrl("apps.connections.open").build())
          .header("Authorization", "Bearer " + token.reveal())
          .post(new FormBody.Builder().build())
          .build();
      return call("apps.connections.open", "apps.connections.open", null, request, true)
          .flatMap(node -> {
            String url = Nodes.text(node, "url");
            if (url.isEmpty()) {
              return Mono.error(DeliveryException.transientFailure(
                  "Slack answered apps.connections.open without a url; retrying", null));
            }
            return Mono.just(url);
          });
    });
  }

  /**
   * Sends the bytes of a file to an upload URL from {@code files.getUploadURLExternal}, as a
   * multipart form with the file in the {@code filename} part, as Slack's documentation shows.
   */
  Mono<Void> upload(String uploadUrl, String fileName, String mediaType, byte[] bytes) {
    return Mono.defer(() -> {
      HttpUrl url = HttpUrl.parse(uploadUrl);
      if (url == null) {
        return Mono.error(DeliveryException.permanent("Slack gave an upload URL that is not a URL"));
      }
      MediaType type = MediaType.parse(mediaType);
      RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
          .addFormDataPart("filename", fileName, RequestBody.create(bytes, type == null ? OCTET_STREAM : type))
          .build();
      Request.Builder request = new Request.Builder().url(url).post(body);
      if (isSlackHost(url)) {
        request.header("Authorization", "Bearer " + botToken.reveal());
      }
      return limiter.submit("files", http.execute(request.build()), this::rateLimitInfo)
          .flatMap(response -> response.isSuccessful()
              ? Mono.<Void>empty()
              : Mono.error(response.toFailure("uploading " + fileName + " to Slack", SlackErrors.DEFAULT_RETRY_AFTER,
                  now())));
    });
  }

  /**
   * Fetches a file from Slack. The bot token goes along only to Slack's own hosts (and the
   * configured base URL's), never to a host a payload named.
   */
  Mono<byte[]> download(String fileUrl, String what) {
    return Mono.defer(() -> {
      HttpUrl url = HttpUrl.parse(fileUrl);
      if (url == null) {
        return Mono.error(DeliveryException.permanent("the Slack file " + what + " has no valid download URL"));
      }
      Request.Builder request = new Request.Builder().url(url).get();
      if (isSlackHost(url)) {
        request.header("Authorization", "Bearer " + botToken.reveal());
      }
      return http.execute(request.build()).flatMap(response -> {
        if (response.isSuccessful()) {
          return Mono.just(response.body());
        }
        if (response.status() == 404 || response.status() == 410) {
          return Mono.error(DeliveryException.permanent("the Slack file " + what + " is gone (HTTP "
              + response.status() + ")"));
        }
        return Mono.error(response.toFailure("downloading the Slack file " + what, SlackErrors.DEFAULT_RETRY_AFTER, now()));
      });
    });
  }

  private Mono<JsonNode> call(String method, String key, @Nullable String channel, Request request, boolean appLevel) {
    return limiter.submit(key, http.execute(request), this::rateLimitInfo)
        .flatMap(response -> interpret(method, channel, response, appLevel));
  }

  private Mono<JsonNode> interpret(String method, @Nullable String channel, HttpResponse response, boolean appLevel) {
    if (!response.isSuccessful()) {
      return Mono.error(response.toFailure(method + (channel == null ? "" : " in channel " + channel),
          SlackErrors.DEFAULT_RETRY_AFTER, now()));
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(response.body());
    } catch (JacksonException e) {
      return Mono.error(DeliveryException.transientFailure(
          "Slack answered " + method + " with something that is not JSON; retrying later", null));
    }
    if (node == null || !node.isObject()) {
      return Mono.error(DeliveryException.transientFailure(
          "Slack answered " + method + " with something that is not a JSON object; retrying later", null));
    }
    if (Nodes.bool(node, "ok", false)) {
      String warning = Nodes.text(node, "warning");
      if (!warning.isEmpty() && LOG.isDebugEnabled()) {
        LOG.debug("{}: Slack warns about {}: {}", connectorId, method, warning);
      }
      return Mono.just(node);
    }
    String error = Nodes.text(node, "error");
    if (error.isEmpty()) {
      error = "unknown_error";
    }
    String needed = Nodes.text(node, "needed");
    Duration wait = retryAfter(response);
    RelayException failure = appLevel
        ? SlackErrors.forConnectionsOpen(connectorId, error, wait)
        : SlackErrors.toException(connectorId, method, channel, error, needed.isEmpty() ? null : needed, wait);
    return Mono.error(failure);
  }

  /** What a response says about rate limits: a 429, or Slack's {@code ratelimited} code on HTTP 200. */
  RateLimitInfo rateLimitInfo(HttpResponse response) {
    if (response.status() == 429) {
      return RateLimitInfo.retryAfter(retryAfter(response));
    }
    if (response.status() == 200 && contains(response.body(), "ratelimited")) {
      try {
        JsonNode node = Json.mapper().readTree(response.body());
        if (node != null && !Nodes.bool(node, "ok", true) && SlackErrors.isRateLimit(Nodes.text(node, "error"))) {
          return RateLimitInfo.retryAfter(retryAfter(response));
        }
      } catch (JacksonException notJson) {
        return RateLimitInfo.NONE;
      }
    }
    return RateLimitInfo.NONE;
  }

  private Duration retryAfter(HttpResponse response) {
    return RetryAfter.parseHeader(response.header("Retry-After"), now()).orElse(SlackErrors.DEFAULT_RETRY_AFTER);
  }

  private HttpUrl.Builder methodUrl(String method) {
    return baseUrl.newBuilder().addPathSegment(method);
  }

  private boolean isSlackHost(HttpUrl url) {
    String host = url.host().toLowerCase(Locale.ROOT);
    return host.equals(baseUrl.host()) || host.equals("slack.com") || host.endsWith(".slack.com");
  }

  private Instant now() {
    return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
  }

  private static boolean contains(byte[] body, String ascii) {
    // A cheap pre-check, so that only rate-limit answers are parsed twice.
    int n = ascii.length();
    outer:
    for (int i = 0; i + n <= body.length; i++) {
      for (int j = 0; j < n; j++) {
        if (body[i + j] != ascii.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
