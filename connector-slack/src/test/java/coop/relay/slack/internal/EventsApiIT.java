package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.slack.SlackConnector;
import coop.relay.support.HttpHeaders;
import coop.relay.support.WebhookListener;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Events API over real HTTP: a shared webhook listener, signed requests, retries. */
class EventsApiIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET = "events-it-signing-secret";

  private final OkHttpClient client = new OkHttpClient();
  private final SlackSigner signer = new SlackSigner(SECRET);
  private FakeSlack slack;
  private WebhookListener listener;
  private SlackConnector connector;
  private InboundRecorder inbound;

  @BeforeEach
  void setUp() throws Exception {
    slack = new FakeSlack();
    listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(WAIT);
    connector = SlackConnector.builder().id("sl").baseUrl(slack.baseUrl()).botToken("xoxb-test")
        .signingSecret(SECRET).webhookListener(listener).webhookPath("/slack/events").build();
  }

  @AfterEach
  void tearDown() {
    if (inbound != null) {
      inbound.close();
    }
    connector.close().block(WAIT);
    listener.stop().block(WAIT);
    slack.close();
  }

  private void connect() {
    inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-1", new InMemoryCursorStore().scoped("sl"), Set.of("C1"))));
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
  }

  @Test
  void signedEventsAreAcknowledgedAndRelayedInOrder() throws IOException {
    connect();

    assertThat(deliver(Callbacks.message("Ev1", "C1", "U1", "1700000001.000100", "first"), null)).isEqualTo(200);
    assertThat(deliver(Callbacks.callback("Ev2", "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C1\","
        + "\"message\":{\"type\":\"message\",\"user\":\"U1\",\"text\":\"first, edited\",\"ts\":\"1700000001.000100\","
        + "\"edited\":{\"user\":\"U1\",\"ts\":\"1700000002.000000\"}},\"previous_message\":{\"type\":\"message\","
        + "\"user\":\"U1\",\"text\":\"first\",\"ts\":\"1700000001.000100\"},\"event_ts\":\"1700000002.000100\","
        + "\"ts\":\"1700000002.000100\",\"hidden\":true}"), null)).isEqualTo(200);
    assertThat(deliver(Callbacks.callback("Ev3", "{\"type\":\"message\",\"subtype\":\"message_deleted\",\"channel\":\"C1\","
        + "\"deleted_ts\":\"1700000001.000100\",\"previous_message\":{\"type\":\"message\",\"user\":\"U1\","
        + "\"text\":\"first, edited\",\"ts\":\"1700000001.000100\"},\"event_ts\":\"1700000003.000100\","
        + "\"ts\":\"1700000003.000100\",\"hidden\":true}"), null)).isEqualTo(200);

    MessageDeleted deleted = inbound.await(MessageDeleted.class, e -> true, WAIT);
    assertThat(deleted.target().messageId()).isEqualTo("1700000001.000100");
    assertThat(inbound.channelEvents("C1")).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("MessageCreated", "MessageEdited", "MessageDeleted");
    MessageEdited edited = inbound.events(MessageEdited.class).get(0);
    assertThat(edited.text().plainText()).isEqualTo("first, edited");
    assertThat(edited.editor().displayName()).isEqualTo("Ada");
  }

  @Test
  void retriesOfAnEventAreRelayedOnce() throws IOException {
    connect();
    String event = Callbacks.message("Ev1", "C1", "U1", "1700000001.000100", "once");

    assertThat(deliver(event, null)).isEqualTo(200);
    assertThat(deliver(event, "1")).isEqualTo(200);
    assertThat(deliver(event, "2")).isEqualTo(200);
    deliver(Callbacks.message("Ev2", "C1", "U1", "1700000001.000200", "fence"), null);

    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("fence"), WAIT);
    assertThat(inbound.messagesIn("C1")).extracting(m -> m.message().text().plainText()).containsExactly("once", "fence");
  }

  @Test
  void forgedAndStaleRequestsAreRefusedAndNotRelayed() throws IOException {
    connect();
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000001.000100", "forged").getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();

    int forged = post(body, new SlackSigner("not the secret").headers(now, body));
    int stale = post(body, signer.headers(now - 600, body));
    int unsigned = post(body, HttpHeaders.of("Content-Type", "application/json"));
    deliver(Callbacks.message("Ev2", "C1", "U1", "1700000001.000200", "fence"), null);

    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("fence"), WAIT);
    assertThat(forged).isEqualTo(401);
    assertThat(stale).isEqualTo(401);
    assertThat(unsigned).isEqualTo(401);
    assertThat(inbound.messagesIn("C1")).extracting(m -> m.message().text().plainText()).containsExactly("fence");
  }

  @Test
  void urlVerificationWorksAndEventsWaitForTheConnection() throws IOException {
    int early = deliver(Callbacks.message("Ev1", "C1", "U1", "1700000001.000100", "too early"), null);
    byte[] challenge = "{\"type\":\"url_verification\",\"challenge\":\"abc123\",\"token\":\"t\"}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(early).as("before connect() the endpoint is not mounted").isEqualTo(404);
    connect();
    try (Response response = call(challenge, signer.headers(Instant.now().getEpochSecond(), challenge))) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("{\"challenge\":\"abc123\"}");
    }
  }

  private int deliver(String callback, String retryNum) throws IOException {
    byte[] body = callback.getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = signer.headers(Instant.now().getEpochSecond(), body);
    if (retryNum != null) {
      headers = headers.with("X-Slack-Retry-Num", retryNum).with("X-Slack-Retry-Reason", "http_timeout");
    }
    return post(body, headers);
  }

  private int post(byte[] body, HttpHeaders headers) throws IOException {
    try (Response response = call(body, headers)) {
      return response.code();
    }
  }

  private Response call(byte[] body, HttpHeaders headers) throws IOException {
    Request.Builder request = new Request.Builder()
        .url("http://127.0.0.1:" + listener.port() + "/slack/events")
        .post(RequestBody.create(body, MediaType.get("application/json")));
    headers.asMap().forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
    return client.newCall(request.build()).execute();
  }
}
