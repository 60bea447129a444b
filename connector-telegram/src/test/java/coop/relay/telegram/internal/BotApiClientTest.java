package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.support.HttpHeaders;
import coop.relay.support.HttpResponse;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** How Telegram's answers become Relay's exceptions; no request leaves the test (the base URL is unroutable). */
class BotApiClientTest {
  private static final String TOKEN = "4242:very-secret-token";
  private final BotApiClient client = new BotApiClient("tg", Secret.of(TOKEN, "token"),
      HttpUrl.get("http://127.0.0.1:9"), ReactiveHttpClient.create());

  private static HttpResponse answer(int status, String json) {
    return new HttpResponse(status, HttpHeaders.of("Content-Type", "application/json"),
        json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() {
    RuntimeException failure = client.failure(answer(429,
        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}"),
        "sendMessage to chat 1");

    assertThat(failure).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) failure).retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aMigratedGroupNamesItsSupergroup() {
    RuntimeException failure = client.failure(answer(400, "{\"ok\":false,\"error_code\":400,\"description\":"
        + "\"Bad Request: group chat was upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001234}}"),
        "sendMessage to chat -42");

    assertThat(failure).isInstanceOf(TelegramApiException.class);
    assertThat(((TelegramApiException) failure).migrateToChatId()).isEqualTo(-1001234L);
    assertThat(((DeliveryException) failure).isRetryable()).isFalse();
  }

  @Test
  void badRequestsArePermanentAndSayWhatToCheck() {
    RuntimeException failure = client.failure(answer(400,
        "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"), "sendMessage to chat 5");

    assertThat(failure).isInstanceOf(DeliveryException.class)
        .hasMessageContaining("chat not found").hasMessageContaining("member of the chat");
    assertThat(((DeliveryException) failure).isRetryable()).isFalse();
  }

  @Test
  void serverErrorsAndProxyPagesAreTransient() {
    RuntimeException failure = client.failure(new HttpResponse(502, HttpHeaders.of("Content-Type", "text/html"),
        "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)), "getUpdates");

    assertThat(failure).isInstanceOf(DeliveryException.class);
    assertThat(((DeliveryException) failure).isRetryable()).isTrue();
  }

  @Test
  void conflictsSayWhatToDo() {
    RuntimeException webhook = client.failure(answer(409, "{\"ok\":false,\"error_code\":409,\"description\":"
        + "\"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first\"}"),
        "getUpdates");
    RuntimeException poller = client.failure(answer(409, "{\"ok\":false,\"error_code\":409,\"description\":"
        + "\"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running\"}"),
        "getUpdates");

    assertThat(webhook).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("deleteWebhook")
        .hasMessageContaining("webhook(..)");
    assertThat(poller).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("stop the other instance");
  }

  @Test
  void notFoundMeansAMalformedTokenOrAWrongBaseUrl() {
    RuntimeException failure = client.failure(answer(404,
        "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"), "getMe");

    assertThat(failure).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("baseUrl");
  }

  @Test
  void aRejectedTokenStopsEveryLaterCallWithoutARequestAndNeverShowsTheToken() {
    RuntimeException failure = client.failure(answer(401,
        "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"), "getMe");

    assertThat(failure).isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("@BotFather")
        .hasMessageNotContaining(TOKEN).hasMessageNotContaining("very-secret-token");
    assertThat(client.credentialsRejected()).isTrue();
    // The base URL is unroutable: a request would fail with a transient error, not this one.
    StepVerifier.create(client.call("sendMessage", Map.of("chat_id", 1, "text", "x")))
        .expectError(CredentialsRejectedException.class)
        .verify(Duration.ofSeconds(5));
  }
}
