package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.slack.SlackEmulator;
import coop.relay.slack.SlackConnector;
import coop.relay.support.HttpHeaders;
import coop.relay.support.WebhookListener;
import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The connector TCK in Events API mode against the sandbox's Slack emulator, which posts signed
 * events to the connector's endpoint on a shared webhook listener. The endpoint is a plain HTTP
 * server the emulator calls, so there is no connection to cut (no DISCONNECT). Malformed payloads
 * are the emulator's event of the wrong shape, in an ordinary signed request, and a signed body
 * that is not even JSON, which the fixture sends itself since the emulator always sends JSON.
 */
class SlackEventsApiTckIT extends ConnectorTck {
  private static final String BOT_TOKEN = "xoxb-1-relay-events";
  private static final String SIGNING_SECRET = "tck-signing-secret";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static WebhookListener listener;
  private static SlackEmulator emulator;
  private static RelaySandbox sandbox;
  /** Checks every Web API request of every connector of the TCK against Slack's spec. */
  private static SlackWebApiSpec spec;
  private static OkHttpClient validating;
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @BeforeAll
  static void startSandbox() throws IOException {
    listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(WAIT);
    String requestUrl = "http://127.0.0.1:" + listener.port() + "/slack/events";
    emulator = SlackEmulator.builder()
        .app("relay", app -> app.botToken(BOT_TOKEN).signingSecret(SIGNING_SECRET).requestUrl(requestUrl))
        // Slack retries nearly at once, then after a minute: keep the first retries quick for the restart test.
        .eventRetryDelays(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1))
        .build();
    sandbox = RelaySandbox.builder().host("127.0.0.1").emulator(emulator).build();
    sandbox.start().block(WAIT);
    spec = new SlackWebApiSpec(HttpUrl.get(sandbox.baseUrl("slack") + "/api"));
    validating = new OkHttpClient.Builder().addInterceptor(spec).build();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
    assertThat(spec.checkedMethods()).contains("auth.test", "chat.postMessage", "chat.update", "chat.delete",
        "reactions.add", "reactions.remove", "users.info", "conversations.history");
    assertThat(spec.violations()).as("Web API requests that do not match Slack's spec").isEmpty();
    listener.stop().block(WAIT);
  }

  @Override
  protected TckFixture createFixture() {
    SandboxControl control = sandbox.control("slack");
    EnumSet<TckFeature> features = EnumSet.allOf(TckFeature.class);
    features.remove(TckFeature.USER_REPLIES);
    features.remove(TckFeature.DISCONNECT);
    return new SlackTckFixture(control, () -> SlackConnector.builder().id("sl")
        .baseUrl(sandbox.baseUrl("slack") + "/api").okHttpClient(validating).botToken(BOT_TOKEN).signingSecret(SIGNING_SECRET)
        .webhookListener(listener).webhookPath("/slack/events")
        .build(), features, new SlackTckFixture.Hooks() {
          @Override
          public void injectMalformedPayload(String channelId) {
            sendBrokenJson("{\"type\":\"event_callback\",\"event_id\":\"EvBroken\",\"event\":{\"type\":\"message\",\"channel\":\""
                + channelId + "\",\"text\":");
            emulator.injectMalformedEvent("relay", channelId).block(WAIT);
            // Answered before the TCK posts on: the emulator sends events concurrently, and what the
            // TCK posts next must reach the connector after the malformed event.
            Awaitility.await("the endpoint answered the malformed event").atMost(WAIT)
                .until(() -> emulator.undeliveredEvents("relay") == 0);
          }
        });
  }

  private static void sendBrokenJson(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = new SlackSigner(SIGNING_SECRET).headers(Instant.now().getEpochSecond(), bytes);
    Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + listener.port() + "/slack/events")
        .post(RequestBody.create(bytes, MediaType.get("application/json")));
    headers.asMap().forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
    try (Response response = CLIENT.newCall(request.build()).execute()) {
      if (response.code() != 400) {
        throw new IllegalStateException("the endpoint answered " + response.code() + " to a body that is not JSON; expected 400");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
