package coop.relay.telegram.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.support.HttpResponse;
import coop.relay.support.Json;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.RetryAfter;
import coop.relay.support.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The Bot API over HTTP: {@code POST <base>/bot<token>/<method>} with a JSON or multipart body, and
 * file downloads from {@code <base>/file/bot<token>/<path>}. Turns Telegram's answers into results
 * or into Relay's exceptions, with messages that say what to do and never contain the token:
 *
 * <ul>
 *   <li>401: {@link CredentialsRejectedException}; from then on every call fails at once, without a
 *       request, so a revoked token causes no storm of refused requests;
 *   <li>404: {@link InvalidConfigurationException} (a malformed token or a base URL that is no Bot
 *       API server); 409: {@link InvalidConfigurationException} naming the competing poller or webhook;
 *   <li>429: {@link RateLimitedException} with {@code parameters.retry_after};
 *   <li>other 4xx: a permanent {@link TelegramApiException}; 5xx, non-JSON answers and connection
 *       failures: transient {@link DeliveryException}s.
 * </ul>
 */
final class BotApiClient {
  private static final Logger LOG = LoggerFactory.getLogger(BotApiClient.class);
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private final String connectorId;
  private final Secret token;
  private final HttpUrl baseUrl;
  private final ReactiveHttpClient http;
  private final AtomicBoolean credentialsRejected = new AtomicBoolean();

  BotApiClient(String connectorId, Secret token, HttpUrl baseUrl, ReactiveHttpClient http) {
    this.connectorId = connectorId;
    this.token = token;
    this.baseUrl = baseUrl;
    this.http = http;
  }

  /** Calls {@code method} with JSON parameters (null values left out) and emits its {@code result}. */
  Mono<JsonNode> call(String method, Map<String, ?> parameters) {
    return call(http, method, Json.requestBody(parameters), method);
  }

  /** Like {@link #call(String, Map)}, naming the target in error messages, e.g. "sendMessage to chat 42". */
  Mono<JsonNode> call(String method, Map<String, ?> parameters, String action) {
    return call(http, method, Json.requestBody(parameters), action);
  }

  /** Calls {@code method} through {@code client} (the long-poll client) with a prepared body. */
  Mono<JsonNode> call(ReactiveHttpClient client, String method, RequestBody body, String action) {
    return send(client, method, body).map(response -> result(response, action));
  }

  /** Sends {@code method} and emits the raw successful answer, for callers that decode it themselves. */
  Mono<HttpResponse> raw(ReactiveHttpClient client, String method, RequestBody body, String action) {
    return send(client, method, body).map(response -> {
      if (!response.isSuccessful()) {
        throw failure(response, action);
      }
      return response;
    });
  }

  /** Downloads the file at {@code filePath} (from getFile); emits its bytes. */
  Mono<byte[]> download(String filePath, String action) {
    return Mono.defer(() -> {
      if (credentialsRejected.get()) {
        return Mono.error(rejected());
      }
      HttpUrl url = baseUrl.newBuilder().addPathSegment("file").addPathSegment("bot" + token.reveal())
          .addPathSegments(filePath).build();
      return http.execute(new Request.Builder().url(url).get().build()).map(response -> {
        if (response.isSuccessful()) {
          return response.body();
        }
        if (response.status() == 404) {
          throw DeliveryException.permanent(action + " failed: Telegram no longer has the file (404); it cannot be relayed");
        }
        throw failure(response, action);
      });
    });
  }

  /** Whether Telegram rejected the token; the client then refuses every call. */
  boolean credentialsRejected() {
    return credentialsRejected.get();
  }

  ReactiveHttpClient http() {
    return http;
  }

  private Mono<HttpResponse> send(ReactiveHttpClient client, String method, RequestBody body) {
    return Mono.defer(() -> {
      if (credentialsRejected.get()) {
        return Mono.error(rejected());
      }
      HttpUrl url = baseUrl.newBuilder().addPathSegment("bot" + token.reveal()).addPathSegment(method).build();
      return client.execute(new Request.Builder().url(url).post(body).build());
    });
  }

  private JsonNode result(HttpResponse response, String action) {
    if (!response.isSuccessful()) {
      throw failure(response, action);
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(response.body());
    } catch (JacksonException e) {
      throw DeliveryException.transientFailure(action + " got an answer that is not JSON (HTTP " + response.status()
          + "); the server may not be the Bot API, retrying", null);
    }
    if (root == null || !root.path("ok").asBoolean(false)) {
      throw failure(response, action);
    }
    JsonNode result = root.get("result");
    if (result == null) {
      throw DeliveryException.transientFailure(action + " got an answer without a result; retrying", null);
    }
    return result;
  }

  /** The exception for a failed answer; see the class comment. */
  RuntimeException failure(HttpResponse response, String action) {
    Wire.@Nullable Response<?> error = envelope(response);
    int code = error != null && error.errorCode() != null ? error.errorCode() : response.status();
    String description = error != null && error.description() != null ? error.description()
        : "HTTP " + response.status();
    Wire.@Nullable ResponseParameters parameters = error == null ? null : error.parameters();
    switch (code) {
      case 401 -> {
        if (credentialsRejected.compareAndSet(false, true)) {
          LOG.error("Telegram connector '{}': the bot token was rejected ({}); every request stops until it is reconfigured",
              connectorId, description);
        }
        return rejected();
      }
      case 404 -> {
        return new InvalidConfigurationException("connector '" + connectorId + "': " + action
            + " answered 404 (" + description + "); the bot token is malformed or the base URL is not a Telegram Bot"
            + " API server: check token() and baseUrl()");
      }
      case 409 -> {
        return new InvalidConfigurationException("connector '" + connectorId + "': " + action + " was refused (409: "
            + description + "). " + conflictAdvice(description));
      }
      case 429 -> {
        Duration wait = retryAfter(parameters, response);
        return new RateLimitedException("connector '" + connectorId + "': " + action
            + " was rate limited by Telegram (429); retrying after " + wait, wait);
      }
      default -> {
        if (code >= 500 || response.status() >= 500 || error == null) {
          return DeliveryException.transientFailure("connector '" + connectorId + "': " + action + " failed with "
              + describe(code, description) + "; Telegram is having trouble, retrying later", null);
        }
        Long migrateTo = parameters == null ? null : parameters.migrateToChatId();
        return new TelegramApiException("connector '" + connectorId + "': Telegram refused " + action + " ("
            + describe(code, description) + ")" + advice(code, description), code, description, migrateTo);
      }
    }
  }

  private static Wire.@Nullable Response<?> envelope(HttpResponse response) {
    if (response.body().length == 0) {
      return null;
    }
    try {
      Wire.Response<?> parsed = Json.mapper().readValue(response.body(), Wire.Response.class);
      return parsed != null && parsed.errorCode() != null ? parsed : null;
    } catch (JacksonException notJson) {
      return null; // e.g. the HTML page of a proxy's 502
    }
  }

  private static Duration retryAfter(Wire.@Nullable ResponseParameters parameters, HttpResponse response) {
    if (parameters != null && parameters.retryAfter() != null) {
      return RetryAfter.ofSeconds(parameters.retryAfter()).orElse(DEFAULT_RETRY_AFTER);
    }
    return RetryAfter.parseHeader(response.header("Retry-After"), Instant.now()).orElse(DEFAULT_RETRY_AFTER);
  }

  private static String describe(int code, String description) {
    return description.startsWith("HTTP ") ? description : code + ": " + description;
  }

  private static String conflictAdvice(String description) {
    String lower = description.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("webhook")) {
      return "A webhook is set for this bot, so it cannot poll getUpdates: configure the connector's webhook(..) to"
          + " receive through it, or remove the webhook (Bot API deleteWebhook) to poll.";
    }
    return "Another program is polling getUpdates with this bot token, and Telegram allows only one: stop the other"
        + " instance, or give this connector a bot of its own.";
  }

  private static String advice(int code, String description) {
    String lower = description.toLowerCase(java.util.Locale.ROOT);
    if (code == 403) {
      return "; the bot lacks access: add it to the chat again and give it the rights it needs";
    }
    if (lower.contains("chat not found")) {
      return "; check the chat id and that the bot is a member of the chat";
    }
    return "";
  }

  private CredentialsRejectedException rejected() {
    return new CredentialsRejectedException(connectorId,
        "Telegram rejected the bot token (401 Unauthorized); create a new token with @BotFather and reconfigure the"
            + " connector", null);
  }

  @Override
  public String toString() {
    return "BotApiClient[" + connectorId + ", " + baseUrl + "]";
  }
}
