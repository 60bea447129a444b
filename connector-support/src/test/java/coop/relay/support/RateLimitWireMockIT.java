package coop.relay.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/**
 * The header-driven flow end to end over real HTTP: a Discord-style platform layer reads
 * {@code X-RateLimit-*} headers and 429 bodies into {@link RateLimitInfo}s, and the limiter waits in
 * virtual time, so the test decides exactly when a pause ends.
 */
class RateLimitWireMockIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final MediaType JSON = MediaType.get("application/json");

  private final WireMockServer platform = new WireMockServer(options().dynamicPort());
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final ReactiveHttpClient http = ReactiveHttpClient.create();
  private final List<String> results = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final RateLimiter limiter = RateLimiter.builder()
      .name("discord-test")
      .scheduler(time)
      .onRateLimited((key, info) -> refused.add(key + (info.global() ? " globally" : "") + " for " + info.retryAfter()))
      .build();

  @BeforeEach
  void start() {
    platform.start();
  }

  @AfterEach
  void stop() {
    platform.stop();
    time.dispose();
  }

  /** What a Discord-like connector does with a response: reads the limits, nothing else. */
  private static RateLimitInfo discordStyle(HttpResponse response, String majorParameter) {
    String hash = response.header("X-RateLimit-Bucket");
    String bucket = hash == null ? null : hash + ":" + majorParameter;
    if (response.status() == 429) {
      JsonNode body = Json.mapper().readTree(response.body());
      Duration wait = RetryAfter.ofSeconds(body.path("retry_after").asDouble())
          .or(() -> RetryAfter.parseHeader(response.header("Retry-After"), Instant.now()))
          .orElse(Duration.ofSeconds(1));
      boolean global = body.path("global").asBoolean() || "global".equals(response.header("X-RateLimit-Scope"));
      return new RateLimitInfo(bucket, null, null, wait, global);
    }
    String remaining = response.header("X-RateLimit-Remaining");
    String resetAfter = response.header("X-RateLimit-Reset-After");
    if (remaining == null || resetAfter == null) {
      return RateLimitInfo.NONE.withBucket(bucket);
    }
    return RateLimitInfo.bucket(bucket, Integer.parseInt(remaining),
        RetryAfter.ofSeconds(Double.parseDouble(resetAfter)).orElse(Duration.ZERO));
  }

  private void send(String channel, String content) {
    Request request = new Request.Builder()
        .url(platform.baseUrl() + "/channels/" + channel + "/messages")
        .post(RequestBody.create("{\"content\":\"" + content + "\"}", JSON))
        .build();
    limiter.submit("POST /channels/" + channel + "/messages", http.execute(request), r -> discordStyle(r, channel))
        .subscribe(response -> results.add(channel + ":" + content + ":" + response.status()),
            error -> results.add(channel + ":" + content + ":" + error.getClass().getSimpleName()));
  }

  private void stubLimitedOnce(String channel) {
    String url = "/channels/" + channel + "/messages";
    platform.stubFor(post(urlEqualTo(url)).inScenario(channel).whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(429)
            .withHeader("X-RateLimit-Bucket", "abcd1234")
            .withHeader("X-RateLimit-Scope", "user")
            .withHeader("Retry-After", "3")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":2.5,\"global\":false}"))
        .willSetStateTo("open"));
    platform.stubFor(post(urlEqualTo(url)).inScenario(channel).whenScenarioStateIs("open")
        .willReturn(okWithLimits(4)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okWithLimits(int remaining) {
    return aResponse().withStatus(200)
        .withHeader("X-RateLimit-Bucket", "abcd1234")
        .withHeader("X-RateLimit-Limit", "5")
        .withHeader("X-RateLimit-Remaining", String.valueOf(remaining))
        .withHeader("X-RateLimit-Reset-After", "1.5")
        .withBody("{\"id\":\"1\"}");
  }

  @Test
  void a429PausesOnlyItsBucketForTheBodysRetryAfterThenResendsInOrder() {
    stubLimitedOnce("1");
    platform.stubFor(post(urlEqualTo("/channels/2/messages")).willReturn(okWithLimits(4)));

    send("1", "first");
    send("1", "second");
    await().atMost(WAIT).until(() -> refused.contains("POST /channels/1/messages for PT2.5S"));

    send("2", "other");
    await().atMost(WAIT).until(() -> results.contains("2:other:200"));
    assertThat(results).containsExactly("2:other:200");

    time.advanceTimeBy(Duration.ofMillis(2499));
    assertThat(platform.countRequestsMatching(postRequestedFor(urlEqualTo("/channels/1/messages")).build()).getCount())
        .isEqualTo(1);

    time.advanceTimeBy(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> results.size() == 3);
    assertThat(results).containsExactly("2:other:200", "1:first:200", "1:second:200");
    platform.verify(3, postRequestedFor(urlEqualTo("/channels/1/messages")));
    List<String> channelOneBodies = platform.findAll(postRequestedFor(urlEqualTo("/channels/1/messages"))).stream()
        .map(request -> request.getBodyAsString()).toList();
    assertThat(channelOneBodies).containsExactly(
        "{\"content\":\"first\"}", "{\"content\":\"first\"}", "{\"content\":\"second\"}");
  }

  @Test
  void anEmptyBucketHoldsTheNextRequestUntilItsReset() {
    platform.stubFor(post(urlEqualTo("/channels/3/messages")).willReturn(okWithLimits(0)));

    send("3", "a");
    await().atMost(WAIT).until(() -> results.size() == 1);
    send("3", "b");

    time.advanceTimeBy(Duration.ofMillis(1499));
    assertThat(platform.getAllServeEvents()).hasSize(1);
    time.advanceTimeBy(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> results.size() == 2);
    assertThat(results).containsExactly("3:a:200", "3:b:200");
  }

  @Test
  void aGlobal429PausesEveryBucket() {
    platform.stubFor(post(urlEqualTo("/channels/4/messages")).inScenario("global").whenScenarioStateIs(STARTED)
        .withRequestBody(equalTo("{\"content\":\"x\"}"))
        .willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Scope", "global")
            .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":true}"))
        .willSetStateTo("open"));
    platform.stubFor(post(urlEqualTo("/channels/4/messages")).inScenario("global").whenScenarioStateIs("open")
        .willReturn(okWithLimits(4)));
    platform.stubFor(post(urlEqualTo("/channels/5/messages")).willReturn(okWithLimits(4)));

    send("4", "x");
    await().atMost(WAIT).until(() -> refused.contains("POST /channels/4/messages globally for PT1S"));
    send("5", "y");

    assertThat(results).isEmpty();
    assertThat(platform.getAllServeEvents()).hasSize(1);
    time.advanceTimeBy(Duration.ofSeconds(1));
    await().atMost(WAIT).until(() -> results.size() == 2);
    assertThat(results).containsExactlyInAnyOrder("4:x:200", "5:y:200");
  }
}
