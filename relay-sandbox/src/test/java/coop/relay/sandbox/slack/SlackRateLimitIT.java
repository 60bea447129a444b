package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Slack's 429 answers (rate limits and injected faults) and other faults over real HTTP. */
class SlackRateLimitIT {
  private RelaySandbox sandbox;
  private SandboxControl control;
  private WebApiClient bot;
  private SandboxChannel general;
  private SandboxChannel random;

  @BeforeEach
  void start() {
    SlackEmulator slack = SlackEmulator.builder().app("relay", a -> a.botToken("xoxb-1-relay")).build();
    sandbox = RelaySandbox.builder().emulator(slack).build();
    sandbox.start().block();
    control = sandbox.control("slack");
    bot = new WebApiClient(sandbox.baseUrl("slack") + "/api", "xoxb-1-relay");
    general = control.createChannel(NewChannel.named("general")).block();
    random = control.createChannel(NewChannel.named("random")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private WebApiClient.Response post(SandboxChannel channel) {
    return bot.form("chat.postMessage", Map.of("channel", channel.id(), "text", "burst"));
  }

  @Test
  void postMessageAllowsShortBurstsPerChannelThen429WithRetryAfter() {
    List<Integer> statuses = new ArrayList<>();
    WebApiClient.Response limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      WebApiClient.Response r = post(general);
      statuses.add(r.status());
      if (r.status() == 429) {
        limited = r;
      }
    }
    assertThat(statuses.subList(0, 5)).containsOnly(200);
    assertThat(limited).as("a 429 after the burst").isNotNull();
    assertThat(limited.error()).isEqualTo("ratelimited");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
    // The limit is per channel: another channel still takes messages.
    assertThat(post(random).status()).isEqualTo(200);
    assertThat(control.history(general.id()).collectList().block()).hasSize(statuses.size() - 1);
  }

  @Test
  void theBucketRefillsAsTheSchedulersClockAdvances() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    clock.advanceTimeTo(Instant.now());
    SlackEmulator slack = SlackEmulator.builder().app("timed", a -> a.botToken("xoxb-9-timed")).scheduler(clock).build();
    try (RelaySandbox timed = RelaySandbox.builder().emulator(slack).build()) {
      timed.start().block();
      SandboxChannel channel = timed.control("slack").createChannel(NewChannel.named("timed")).block();
      WebApiClient client = new WebApiClient(timed.baseUrl("slack") + "/api", "xoxb-9-timed");
      Map<String, String> message = Map.of("channel", channel.id(), "text", "tick");
      for (int i = 0; i < 5; i++) {
        assertThat(client.form("chat.postMessage", message).status()).isEqualTo(200);
      }
      WebApiClient.Response limited = client.form("chat.postMessage", message);
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
      clock.advanceTimeBy(Duration.ofMillis(999));
      assertThat(client.form("chat.postMessage", message).status()).isEqualTo(429);
      clock.advanceTimeBy(Duration.ofMillis(1));
      assertThat(client.form("chat.postMessage", message).status()).isEqualTo(200);
      clock.advanceTimeBy(Duration.ofSeconds(10));
      for (int i = 0; i < 5; i++) {
        assertThat(client.form("chat.postMessage", message).status()).isEqualTo(200);
      }
      assertThat(client.form("chat.postMessage", message).status()).isEqualTo(429);
    } finally {
      clock.dispose();
    }
  }

  @Test
  void tierTwoMethodsAreLimitedPerMinute() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    clock.advanceTimeTo(Instant.now());
    SlackEmulator slack = SlackEmulator.builder().app("timed", a -> a.botToken("xoxb-9-timed")).scheduler(clock).build();
    try (RelaySandbox timed = RelaySandbox.builder().emulator(slack).build()) {
      timed.start().block();
      SandboxChannel channel = timed.control("slack").createChannel(NewChannel.named("timed")).block();
      WebApiClient client = new WebApiClient(timed.baseUrl("slack") + "/api", "xoxb-9-timed");
      Map<String, String> remove = Map.of("channel", channel.id(), "timestamp", "1700000000.000001", "name", "tada");
      for (int i = 0; i < 10; i++) {
        assertThat(client.form("reactions.remove", remove).error()).isEqualTo("message_not_found");
      }
      WebApiClient.Response limited = client.form("reactions.remove", remove);
      assertThat(limited.status()).isEqualTo(429);
      // Tier 2 is 20 a minute: one call every three seconds once the burst is spent.
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
      assertThat(client.form("reactions.add", remove).status()).as("another method has its own limit").isEqualTo(200);
      clock.advanceTimeBy(Duration.ofSeconds(3));
      assertThat(client.form("reactions.remove", remove).status()).isEqualTo(200);
      assertThat(client.form("reactions.remove", remove).status()).isEqualTo(429);
    } finally {
      clock.dispose();
    }
  }

  @Test
  void injectedFaultsAnswerInSlacksWay() {
    control.injectFault(Fault.rateLimited("chat.postMessage", 2, Duration.ofSeconds(7))).block();
    for (int i = 0; i < 2; i++) {
      WebApiClient.Response r = post(general);
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.error()).isEqualTo("ratelimited");
      assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    }
    assertThat(post(general).status()).isEqualTo(200);

    control.injectFault(Fault.serverError("*", 1, 503)).block();
    WebApiClient.Response unavailable = bot.form("auth.test", Map.of());
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.error()).isEqualTo("service_unavailable");

    control.injectFault(Fault.dropConnection("auth.test", 1)).block();
    assertThatThrownBy(() -> bot.form("auth.test", Map.of())).hasCauseInstanceOf(java.io.IOException.class);

    control.injectFault(Fault.serverError("auth.test", 5, 500)).block();
    control.clearFaults().block();
    assertThat(bot.form("auth.test", Map.of()).status()).isEqualTo(200);
  }
}
