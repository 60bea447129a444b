package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.support.HttpHeaders;
import coop.relay.support.HttpResponse;
import coop.relay.support.RateLimitInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How Discord's rate-limit headers and 429 bodies become what the limiter acts on. */
class RateLimitHeadersTest {

  private static HttpResponse response(int status, String body, String... headers) {
    return new HttpResponse(status, HttpHeaders.of(headers), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSuccessNamesTheBucketPerMajorParameterAndItsRemainingRequests() {
    RateLimitInfo info = DiscordRest.rateLimitInfo(response(200, "{}", "X-RateLimit-Bucket", "abcd1234",
        "X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1.25", "X-RateLimit-Limit", "5"), "42");

    assertThat(info).isEqualTo(RateLimitInfo.bucket("abcd1234:42", 0, Duration.ofMillis(1250)));
  }

  @Test
  void aBucket429WaitsTheBodysFractionalRetryAfter() {
    RateLimitInfo info = DiscordRest.rateLimitInfo(response(429,
        "{\"message\":\"You are being rate limited.\",\"retry_after\":0.641,\"global\":false}",
        "X-RateLimit-Bucket", "abcd1234", "X-RateLimit-Scope", "user", "Retry-After", "1"), "42");

    assertThat(info.retryAfter()).isEqualTo(Duration.ofMillis(641));
    assertThat(info.global()).isFalse();
    assertThat(info.bucket()).isEqualTo("abcd1234:42");
  }

  @Test
  void aGlobal429PausesEverything() {
    assertThat(DiscordRest.rateLimitInfo(response(429, "{\"retry_after\":2.5,\"global\":true}"), "1").global()).isTrue();
    assertThat(DiscordRest.rateLimitInfo(response(429, "{\"retry_after\":2.5,\"global\":false}",
        "X-RateLimit-Scope", "global"), "1").global()).isTrue();
    RateLimitInfo edge = DiscordRest.rateLimitInfo(response(429, "<html>banned</html>", "Retry-After", "30"), "1");
    assertThat(edge.global()).as("a 429 without Discord's JSON comes from the edge").isTrue();
    assertThat(edge.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aSharedResource429PausesOnlyItsBucket() {
    RateLimitInfo info = DiscordRest.rateLimitInfo(response(429, "{\"retry_after\":3,\"global\":false}",
        "X-RateLimit-Scope", "shared"), "7");

    assertThat(info.global()).isFalse();
    assertThat(info.retryAfter()).isEqualTo(Duration.ofSeconds(3));
  }
}
