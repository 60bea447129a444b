package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxUser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Events API delivery to a real HTTP endpoint: url_verification, signing, retries. */
class SlackEventsApiIT {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  /** One request the test's endpoint got. */
  record Received(String timestamp, String signature, String retryNum, String retryReason, String contentType, String body) {
    JsonNode json() {
      return SlackSpec.JSON.readTree(body);
    }
  }

  /** How the endpoint answers a request: status, extra header, and whether to hang first. */
  record Answer(int status, String noRetry, boolean hang, String body) {
    static Answer ok() {
      return new Answer(200, null, false, "");
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Function<Received, Answer> answers = r -> Answer.ok();
  private HttpServer endpoint;
  private RelaySandbox sandbox;
  private SlackEmulator slack;
  private SandboxControl control;
  private SandboxUser alice;
  private SandboxChannel general;

  private String startEndpoint(int port) throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    endpoint.setExecutor(Executors.newCachedThreadPool());
    endpoint.createContext("/slack/events", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var h = exchange.getRequestHeaders();
      Received r = new Received(h.getFirst("X-Slack-Request-Timestamp"), h.getFirst("X-Slack-Signature"),
          h.getFirst("X-Slack-Retry-Num"), h.getFirst("X-Slack-Retry-Reason"), h.getFirst("Content-Type"), body);
      received.add(r);
      Answer answer = answers.apply(r);
      if (answer.hang()) {
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (answer.noRetry() != null) {
        exchange.getResponseHeaders().set("X-Slack-No-Retry", answer.noRetry());
      }
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      try {
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
          }
        }
      } catch (IOException closedByEmulator) {
        // The emulator gave up waiting; nothing to answer.
      }
      exchange.close();
    });
    endpoint.start();
    return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/slack/events";
  }

  private void startSlack(SlackEmulator.Builder builder, String requestUrl) {
    slack = builder.app("hooked", a -> a.botToken("xoxb-3-hooked").signingSecret(SECRET).requestUrl(requestUrl)).build();
    sandbox = RelaySandbox.builder().emulator(slack).build();
    sandbox.start().block();
    control = sandbox.control("slack");
    alice = control.createUser(NewUser.named("Alice")).block();
    general = control.createChannel(NewChannel.named("general")).block();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (sandbox != null) {
      sandbox.close();
    }
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  private void say(String text) {
    control.post(Post.of(general.id(), alice.id(), text)).block();
  }

  private static String hmac(String secret, String base) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eventsArePostedSignedAsDocumented() throws Exception {
    startSlack(SlackEmulator.builder(), startEndpoint(0));
    say("signed hello");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    Received r = received.get(0);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(Long.parseLong(r.timestamp())).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(300L));
    assertThat(r.signature()).isEqualTo(hmac(SECRET, "v0:" + r.timestamp() + ":" + r.body()));
    assertThat(r.signature()).isNotEqualTo(hmac(SECRET, "v0:" + r.timestamp() + ":" + r.body() + " "));
    assertThat(r.signature()).isNotEqualTo(hmac("another-secret", "v0:" + r.timestamp() + ":" + r.body()));
    assertThat(r.retryNum()).isNull();
    JsonNode payload = r.json();
    EventSamples.conforms(payload);
    assertThat(payload.get("api_app_id").asString()).isEqualTo(slack.app("hooked").appId());
    assertThat(payload.get("event").get("text").asString()).isEqualTo("signed hello");
  }

  @Test
  void aRequestUrlIsSavedOnlyIfItAnswersTheChallenge() throws Exception {
    String url = startEndpoint(0);
    startSlack(SlackEmulator.builder(), url);
    slack.requestUrl("hooked", null).block();
    answers = r -> new Answer(200, null, false, "{\"challenge\":\"" + r.json().path("challenge").asString("") + "\"}");
    slack.requestUrl("hooked", url).block();
    Received verification = received.get(0);
    assertThat(verification.json().get("type").asString()).isEqualTo("url_verification");
    assertThat(verification.signature()).isEqualTo(hmac(SECRET, "v0:" + verification.timestamp() + ":" + verification.body()));
    assertThat(verification.json().get("token").asString()).isNotEmpty();

    answers = r -> new Answer(200, null, false, "wrong");
    assertThatThrownBy(() -> slack.requestUrl("hooked", url).block())
        .isInstanceOf(SandboxException.class).hasMessageContaining("challenge");
    answers = r -> r.json().has("challenge") ? new Answer(200, null, false, r.json().get("challenge").asString()) : Answer.ok();
    slack.requestUrl("hooked", url).block();
    received.clear();
    say("after verification");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received.get(0).json().get("event").get("text").asString()).isEqualTo("after verification");
  }

  @Test
  void failedDeliveriesAreRetriedWithRetryHeadersUntilAcknowledged() throws Exception {
    startSlack(SlackEmulator.builder().eventRetryDelays(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50)),
        startEndpoint(0));
    answers = r -> r.retryNum() == null || r.retryNum().equals("1") ? new Answer(500, null, false, "") : Answer.ok();
    say("retry me");
    assertThat(slack.undeliveredEvents("hooked")).as("in a request or waiting for a retry").isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 3);
    assertThat(received).extracting(Received::retryNum).containsExactly(null, "1", "2");
    assertThat(slack.undeliveredEvents("hooked")).as("answered 200 at last").isZero();
    assertThat(received).extracting(Received::retryReason).containsExactly(null, "http_error", "http_error");
    assertThat(received).extracting(r -> r.json().get("event_id").asString()).containsOnly(received.get(0).json().get("event_id").asString());
    for (Received r : received) {
      assertThat(r.signature()).isEqualTo(hmac(SECRET, "v0:" + r.timestamp() + ":" + r.body()));
    }
  }

  @Test
  void slowAnswersCountAsTimeoutsAndSlackGivesUpAfterThreeRetries() throws Exception {
    startSlack(SlackEmulator.builder().ackTimeout(Duration.ofMillis(300))
        .eventRetryDelays(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(20)), startEndpoint(0));
    answers = r -> new Answer(200, null, true, "");
    say("too slow");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> received.size() == 4);
    assertThat(received).extracting(Received::retryReason).containsExactly(null, "http_timeout", "http_timeout", "http_timeout");
    assertThat(received).extracting(Received::retryNum).containsExactly(null, "1", "2", "3");
    assertThat(slack.undeliveredEvents("hooked")).as("given up").isZero();
  }

  @Test
  void noRetryHeaderStopsRetries() throws Exception {
    startSlack(SlackEmulator.builder().eventRetryDelays(Duration.ofMillis(20)), startEndpoint(0));
    answers = r -> new Answer(503, "1", false, "");
    say("do not retry");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 1);
  }

  @Test
  void aConnectionCutWithoutAnswerIsRetriedAsConnectionFailed() throws Exception {
    // The first request reaches a socket that closes without answering; the retry finds the endpoint.
    ServerSocket cutter = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    int port = cutter.getLocalPort();
    java.util.concurrent.CompletableFuture<Void> cut = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try (java.net.Socket s = cutter.accept()) {
        s.getInputStream().read();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    startSlack(SlackEmulator.builder().eventRetryDelays(Duration.ofMillis(500)), "http://127.0.0.1:" + port + "/slack/events");
    say("knock knock");
    cut.get(5, TimeUnit.SECONDS);
    cutter.close();
    startEndpoint(port);
    await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
    assertThat(received.get(0).retryReason()).isEqualTo("connection_failed");
    assertThat(received.get(0).retryNum()).isEqualTo("1");
  }

  @Test
  void eventsWaitWhileTheEmulatorIsDown() throws Exception {
    startSlack(SlackEmulator.builder(), startEndpoint(0));
    sandbox.stop("slack").block();
    say("during the outage");
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);
    sandbox.start("slack").block();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received.get(0).json().get("event").get("text").asString()).isEqualTo("during the outage");
  }

  @Test
  void aMalformedEventIsPostedSignedAndRetriedLikeAnyOther() throws Exception {
    startSlack(SlackEmulator.builder().eventRetryDelays(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(50)),
        startEndpoint(0));
    answers = r -> r.retryNum() == null ? new Answer(500, null, false, "") : Answer.ok();
    String eventId = slack.injectMalformedEvent("hooked", general.id()).block();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 2);
    assertThat(received).extracting(Received::retryNum).containsExactly(null, "1");
    assertThat(received).extracting(Received::retryReason).containsExactly(null, "http_error");
    assertThat(slack.undeliveredEvents("hooked")).as("the retry was answered 200").isZero();
    for (Received r : received) {
      assertThat(r.signature()).isEqualTo(hmac(SECRET, "v0:" + r.timestamp() + ":" + r.body()));
      JsonNode payload = r.json();
      EventSamples.wrapperConforms(payload);
      assertThat(payload.get("event_id").asString()).isEqualTo(eventId);
      JsonNode broken = payload.get("event");
      assertThat(broken.get("type").asString()).isEqualTo("message");
      assertThat(broken.get("channel").get(0).asString()).isEqualTo(general.id());
      assertThat(broken.get("ts").isObject()).as("ts is an object: %s", broken).isTrue();
      assertThat(broken.get("user").isNumber()).as("user is a number: %s", broken).isTrue();
    }

    answers = r -> Answer.ok();
    say("after the broken one");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
    assertThat(received.get(2).json().get("event").get("text").asString()).isEqualTo("after the broken one");
    assertThat(received.get(2).json().get("event_id").asString()).isNotEqualTo(eventId);
  }
}
