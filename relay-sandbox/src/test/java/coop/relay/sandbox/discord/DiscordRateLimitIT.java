package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/**
 * Rate limits of the Discord emulator over real HTTP, on a virtual clock so that windows open and
 * close exactly when the test says.
 */
class DiscordRateLimitIT {
  static final String TOKEN = "sandbox.bot-token.1";

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private RelaySandbox sandbox;
  private DiscordEmulator discord;
  private SandboxControl control;
  private DiscordRest rest;
  private String one;
  private String two;

  @BeforeEach
  void start() {
    clock.advanceTimeTo(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    discord = DiscordEmulator.builder()
        .bot(TOKEN, "Relay")
        .scheduler(clock)
        .rateLimit("POST /channels/{channel_id}/messages", 2, Duration.ofSeconds(5))
        .globalRateLimit(5)
        .build();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    control = sandbox.control("discord");
    rest = new DiscordRest(discord.apiBaseUrl(), TOKEN);
    one = control.createChannel(NewChannel.named("one")).block().id();
    two = control.createChannel(NewChannel.named("two")).block().id();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    clock.dispose();
  }

  private DiscordRest.Response post(String channel) {
    return rest.post("/channels/" + channel + "/messages", DiscordRest.content("hi"));
  }

  @Test
  void everyAnswerDescribesItsBucketPerChannel() {
    DiscordRest.Response first = post(one);
    assertThat(first.header("X-RateLimit-Limit")).isEqualTo("2");
    assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("1");
    assertThat(first.header("X-RateLimit-Reset-After")).isEqualTo("5.000");
    double now = clock.now(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
    assertThat(Double.parseDouble(first.header("X-RateLimit-Reset"))).isCloseTo(now + 5, within(0.001));
    String bucket = first.header("X-RateLimit-Bucket");
    assertThat(bucket).matches("[0-9a-f]{32}");
    clock.advanceTimeBy(Duration.ofMillis(1500));
    DiscordRest.Response second = post(one);
    assertThat(second.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(second.header("X-RateLimit-Reset-After")).isEqualTo("3.500");
    DiscordRest.Response otherChannel = post(two);
    assertThat(otherChannel.header("X-RateLimit-Bucket")).isEqualTo(bucket);
    assertThat(otherChannel.header("X-RateLimit-Remaining")).as("counted per channel").isEqualTo("1");
    DiscordRest.Response edit = rest.patch("/channels/" + one + "/messages/" + first.json().get("id").asString(),
        DiscordRest.content("edited"));
    assertThat(edit.header("X-RateLimit-Bucket")).as("another route, another bucket").isNotEqualTo(bucket);
  }

  @Test
  void overTheLimitTheAnswerIs429WithRetryAfterAndOnlyThatBucketWaits() {
    post(one);
    clock.advanceTimeBy(Duration.ofMillis(750));
    post(one);
    DiscordRest.Response limited = post(one);
    assertThat(limited.status()).isEqualTo(429);
    JsonNode body = limited.json();
    assertThat(body.get("message").asString()).isEqualTo("You are being rate limited.");
    assertThat(body.get("retry_after").asDouble()).isEqualTo(4.25);
    assertThat(body.get("global").asBoolean()).isFalse();
    assertThat(body.get("code").asInt()).isZero();
    assertThat(limited.header("X-RateLimit-Scope")).isEqualTo("user");
    assertThat(limited.header("Retry-After")).isEqualTo("5");
    assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
    assertThat(limited.header("X-RateLimit-Global")).isNull();
    assertThat(post(two).status()).as("another channel's bucket").isEqualTo(200);
    assertThat(control.history(one).collectList().block()).hasSize(2);
    assertThat(discord.invalidRequests()).isEqualTo(1);

    clock.advanceTimeBy(Duration.ofMillis(4249));
    assertThat(post(one).status()).isEqualTo(429);
    clock.advanceTimeBy(Duration.ofMillis(1));
    DiscordRest.Response reopened = post(one);
    assertThat(reopened.status()).isEqualTo(200);
    assertThat(reopened.header("X-RateLimit-Remaining")).isEqualTo("1");
  }

  @Test
  void theGlobalLimitCountsBotRequestsButNotWebhookExecutions() {
    String three = control.createChannel(NewChannel.named("three")).block().id();
    JsonNode hook = rest.post("/channels/" + three + "/webhooks", Map.of("name", "Bridge")).json();
    post(one);
    post(two);
    post(three);
    rest.get("/gateway/bot");
    DiscordRest.Response global = post(three);
    assertThat(global.status()).isEqualTo(429);
    assertThat(global.json().get("global").asBoolean()).isTrue();
    assertThat(global.header("X-RateLimit-Global")).isEqualTo("true");
    assertThat(global.header("X-RateLimit-Scope")).isEqualTo("global");
    assertThat(global.json().get("retry_after").asDouble()).isEqualTo(1.0);
    DiscordRest.Response viaWebhook = rest.withToken(null).post(
        "/webhooks/" + hook.get("id").asString() + "/" + hook.get("token").asString() + "?wait=true",
        DiscordRest.content("webhooks are exempt"));
    assertThat(viaWebhook.status()).isEqualTo(200);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(post(three).status()).isEqualTo(200);
  }

  @Test
  void injectedFaultsAnswerInDiscordsWay() {
    control.injectFault(Fault.rateLimited("POST /channels/{id}/messages", 1, Duration.ofMillis(1500))).block();
    DiscordRest.Response limited = post(one);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("retry_after").asDouble()).isEqualTo(1.5);
    assertThat(limited.json().get("global").asBoolean()).isFalse();
    assertThat(limited.header("Retry-After")).isEqualTo("2");
    assertThat(post(one).status()).isEqualTo(200);

    control.injectFault(Fault.rateLimited(Fault.ANY_METHOD, 1, Duration.ofSeconds(3))).block();
    DiscordRest.Response global = rest.get("/users/@me");
    assertThat(global.status()).isEqualTo(429);
    assertThat(global.json().get("global").asBoolean()).isTrue();
    assertThat(global.header("X-RateLimit-Scope")).isEqualTo("global");

    control.injectFault(Fault.serverError("GET /users/@me", 1, 502)).block();
    DiscordRest.Response badGateway = rest.get("/users/@me");
    assertThat(badGateway.status()).isEqualTo(502);
    assertThat(badGateway.body()).as("Cloudflare's HTML, not JSON").isNull();
    control.injectFault(Fault.serverError("GET /users/@me", 1, 500)).block();
    DiscordRest.Response internal = rest.get("/users/@me");
    assertThat(internal.status()).isEqualTo(500);
    assertThat(internal.json().get("message").asString()).isEqualTo("500: Internal Server Error");

    // The JDK client retries an idempotent GET once on a closed connection, so both tries are cut.
    control.injectFault(Fault.dropConnection("GET /users/@me", 2)).block();
    assertThatThrownBy(() -> rest.get("/users/@me")).isInstanceOf(IllegalStateException.class);
    assertThat(rest.get("/users/@me").status()).isEqualTo(200);
  }

  @Test
  void theBuilderRefusesLimitsForRoutesItDoesNotServe() {
    assertThatThrownBy(() -> DiscordEmulator.builder().bot(TOKEN, "Relay")
            .rateLimit("POST /channels/{channel_id}/invites", 1, Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("POST /channels/{}/invites");
    assertThatThrownBy(() -> DiscordEmulator.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(".bot(");
  }
}
