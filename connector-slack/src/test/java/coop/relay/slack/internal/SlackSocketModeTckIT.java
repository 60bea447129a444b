package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.slack.SlackEmulator;
import coop.relay.slack.SlackConnector;
import coop.relay.spi.Backoff;
import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import org.awaitility.Awaitility;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The connector TCK in Socket Mode against the sandbox's Slack emulator. People cannot reply outside
 * of threads on Slack (a reply is a thread message, which the thread tests cover). Malformed payloads
 * are the emulator's event of the wrong shape in an ordinary envelope.
 */
class SlackSocketModeTckIT extends ConnectorTck {
  static final String BOT_TOKEN = "xoxb-1-relay-tck";
  static final String APP_TOKEN = "xapp-1-relay-tck";
  static final Duration WAIT = Duration.ofSeconds(10);

  private static SlackEmulator emulator;
  private static RelaySandbox sandbox;
  /** Checks every Web API request of every connector of the TCK against Slack's spec. */
  private static SlackWebApiSpec spec;
  private static OkHttpClient validating;

  @BeforeAll
  static void startSandbox() throws IOException {
    emulator = SlackEmulator.builder().app("relay", app -> app.botToken(BOT_TOKEN).appToken(APP_TOKEN)).build();
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
  }

  @Override
  protected TckFixture createFixture() {
    SandboxControl control = sandbox.control("slack");
    // Slack spreads events over all open connections of an app: the previous test's must be gone.
    Awaitility.await("the previous test's connections closed").atMost(WAIT)
        .until(() -> emulator.openSockets("relay") == 0);
    EnumSet<TckFeature> features = EnumSet.allOf(TckFeature.class);
    features.remove(TckFeature.USER_REPLIES);
    return new SlackTckFixture(control, () -> SlackConnector.builder().id("sl")
        .baseUrl(sandbox.baseUrl("slack") + "/api").okHttpClient(validating).botToken(BOT_TOKEN).appToken(APP_TOKEN)
        .reconnectBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.1))
        .build(), features, new SlackTckFixture.Hooks() {
          @Override
          public void disconnect() {
            // Slack unreachable for the connector: new connections fail, the open ones break.
            control.injectFault(Fault.dropConnection("apps.connections.open", 100_000)).block(WAIT);
            emulator.dropSockets("relay").block(WAIT);
          }

          @Override
          public void reconnect() {
            control.clearFaults().block(WAIT);
          }

          @Override
          public void injectMalformedPayload(String channelId) {
            emulator.injectMalformedEvent("relay", channelId).block(WAIT);
            // Acked before the TCK posts on, so that what it posts next reaches the connector after it.
            Awaitility.await("the connector acknowledged the malformed event").atMost(WAIT)
                .until(() -> emulator.undeliveredEvents("relay") == 0);
          }

          @Override
          public void close() {
            control.clearFaults().block(WAIT);
          }
        });
  }
}
