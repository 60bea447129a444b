package coop.relay.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Fault;
import coop.relay.sandbox.Post;
import coop.relay.support.WebhookListener;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Faults on the wire: rate limits, server errors, dropped connections, bad payloads, restarts, forged requests. */
class TelegramFaultsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TelegramSandbox telegram = new TelegramSandbox();
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final List<TelegramConnector> connectors = new ArrayList<>();
  private final List<InboundRecorder> recorders = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    recorders.forEach(InboundRecorder::close);
    connectors.forEach(c -> c.close().block(TIMEOUT));
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    telegram.close();
    telegram.conformance.assertConforms();
  }

  private TelegramConnector connector(TelegramConnector.Builder builder) {
    TelegramConnector connector = builder.build();
    connectors.add(connector);
    return connector;
  }

  private InboundRecorder record(TelegramConnector connector, String chat) {
    InboundRecorder recorder = InboundRecorder.record(connector.connect(
        TestConnectorContext.of(Outbound.RELAY_ID, cursors.scoped(connector.id()), Set.of(chat))));
    recorders.add(recorder);
    return recorder;
  }

  private String post(String chat, String text) {
    return Objects.requireNonNull(telegram.control.post(Post.of(chat, telegram.person.id(), text)).block()).messageId();
  }

  private static List<ConnectorState> states(InboundRecorder inbound) {
    return inbound.events(ConnectorStateChanged.class).stream().map(ConnectorStateChanged::state).toList();
  }

  private static List<String> created(InboundRecorder inbound) {
    return inbound.events(MessageCreated.class).stream().map(e -> e.target().messageId()).toList();
  }

  // ---------------------------------------------------------------- rate limits

  @Test
  void aStormOf429IsWaitedOutAsTelegramAsksThenReportedWithItsRetryAfter() {
    String chat = telegram.newChat("Storm", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    telegram.control.injectFault(Fault.rateLimited("sendMessage", 2, Duration.ofSeconds(1))).block();

    connector.post(Outbound.message(connector, chat, RichText.of("through the storm"))).block(TIMEOUT);

    assertThat(telegram.conformance.calls("sendMessage")).hasSize(3);
    telegram.control.injectFault(Fault.rateLimited("sendMessage", 10, Duration.ofSeconds(1))).block();
    assertThatThrownBy(() -> connector.post(Outbound.message(connector, chat, RichText.of("lost in it"))).block(TIMEOUT))
        .isInstanceOf(RateLimitedException.class)
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).isEqualTo(Duration.ofSeconds(1)));
    assertThat(telegram.conformance.calls("sendMessage")).hasSize(3 + 4);
  }

  // ---------------------------------------------------------------- polling faults

  @Test
  void serverErrorsWhilePollingAreRetriedAndNothingIsLost() {
    String chat = telegram.newChat("5xx", "supergroup");
    String m1 = post(chat, "posted while Telegram has trouble");
    telegram.control.injectFault(Fault.serverError("getUpdates", 2, 502)).block();
    telegram.control.injectFault(Fault.serverError("getUpdates", 1, 500)).block();

    InboundRecorder inbound = record(connector(telegram.connector()), chat);

    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(m1), TIMEOUT);
    assertThat(states(inbound)).containsExactly(ConnectorState.CONNECTED, ConnectorState.RECONNECTING,
        ConnectorState.CONNECTED);
    String m2 = post(chat, "after the trouble");
    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(m2), TIMEOUT);
    assertThat(created(inbound)).containsExactly(m1, m2);
  }

  @Test
  void aConnectionResetMidPollIsRetriedWithoutLossOrDuplicate() {
    String chat = telegram.newChat("Reset", "supergroup");
    String m1 = post(chat, "first");
    // OkHttp itself retries a request once or twice when its connection drops; more drops reach the connector.
    telegram.control.injectFault(Fault.dropConnection("getUpdates", 6)).block();

    InboundRecorder inbound = record(connector(telegram.connector()), chat);

    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(m1), TIMEOUT);
    String m2 = post(chat, "second");
    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(m2), TIMEOUT);
    assertThat(created(inbound)).containsExactly(m1, m2);
    assertThat(states(inbound)).containsExactly(ConnectorState.CONNECTED, ConnectorState.RECONNECTING,
        ConnectorState.CONNECTED);
    assertThat(inbound.error()).isNull();
  }

  @Test
  void aPlatformDownAtStartIsReportedAsReconnectingFirst() {
    String chat = telegram.newChat("Down", "supergroup");
    telegram.sandbox.stop("telegram").block(TIMEOUT);

    InboundRecorder inbound = record(connector(telegram.connector()), chat);
    ConnectorStateChanged first = inbound.await(ConnectorStateChanged.class, s -> true, TIMEOUT);
    telegram.sandbox.start("telegram").block(TIMEOUT);

    assertThat(first.state()).isEqualTo(ConnectorState.RECONNECTING);
    assertThat(first.detail()).contains("getMe").doesNotContain(TelegramSandbox.TOKEN);
    inbound.awaitState(ConnectorState.CONNECTED, TIMEOUT);
  }

  @Test
  void aRestartResumesAtTheStoredOffsetWithoutLossOrDuplicate() {
    String chat = telegram.newChat("Restart", "supergroup");
    TelegramConnector first = connector(telegram.connector());
    InboundRecorder before = record(first, chat);
    String m1 = post(chat, "one");
    String m2 = post(chat, "two");
    before.await(MessageCreated.class, e -> e.target().messageId().equals(m2), TIMEOUT);
    before.close();
    first.close().block(TIMEOUT);
    String stored = cursors.load("tg", "offset").orElseThrow();
    String m3 = post(chat, "three, while no connector runs");
    int pollsBefore = telegram.conformance.calls("getUpdates").size();

    InboundRecorder after = record(connector(telegram.connector()), chat);
    String m4 = post(chat, "four");
    after.await(MessageCreated.class, e -> e.target().messageId().equals(m4), TIMEOUT);

    assertThat(created(before)).containsExactly(m1, m2);
    assertThat(created(after)).containsExactly(m3, m4);
    JsonNode firstPoll = telegram.conformance.calls("getUpdates").get(pollsBefore).parameters();
    assertThat(firstPoll.get("offset").asString()).isEqualTo(stored);
    assertThat(Long.parseLong(cursors.load("tg", "offset").orElseThrow())).isGreaterThan(Long.parseLong(stored));
    assertThat(firstPoll.get("timeout").asInt()).isPositive();
    assertThat(firstPoll.get("allowed_updates")).extracting(JsonNode::asString).containsExactly("message",
        "edited_message", "channel_post", "edited_channel_post", "message_reaction");
  }

  @Test
  void aMalformedUpdateInABatchIsSkippedAndTheRestDelivered() throws IOException {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    List<String> polls = new CopyOnWriteArrayList<>();
    AtomicInteger pollCount = new AtomicInteger();
    String chat = "{\"id\":-1001,\"type\":\"supergroup\",\"title\":\"Mock\"}";
    String from = "{\"id\":5,\"is_bot\":false,\"first_name\":\"Ann\"}";
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = Objects.requireNonNull(request.getUrl()).encodedPath();
        if (path.endsWith("/getMe")) {
          return json("{\"ok\":true,\"result\":{\"id\":99,\"is_bot\":true,\"first_name\":\"Relay\",\"username\":\"relay_bot\"}}");
        }
        polls.add(request.getBody() == null ? "" : request.getBody().utf8());
        if (pollCount.incrementAndGet() == 1) {
          return json("{\"ok\":true,\"result\":["
              + "{\"update_id\":41,\"message\":{\"message_id\":1,\"date\":1,\"chat\":" + chat + ",\"from\":" + from + ",\"text\":\"one\"}},"
              + "{\"update_id\":42,\"message\":{\"message_id\":\"two\",\"date\":1,\"chat\":" + chat + ",\"text\":\"bad\"}},"
              + "{\"update_id\":43,\"message\":{\"message_id\":3,\"date\":1,\"chat\":" + chat + ",\"from\":" + from + ",\"text\":\"three\"}}"
              + "]}");
        }
        return new MockResponse.Builder().headersDelay(200, TimeUnit.MILLISECONDS)
            .body("{\"ok\":true,\"result\":[]}").addHeader("Content-Type", "application/json").build();
      }
    });
    server.start();
    TelegramConnector connector = connector(TelegramConnector.builder().id("tg").token(TelegramSandbox.TOKEN)
        .baseUrl(server.url("/").toString()).backoff(TelegramSandbox.FAST_BACKOFF));

    InboundRecorder inbound = record(connector, "-1001");
    Awaitility.await().atMost(TIMEOUT).until(() -> polls.size() >= 2);

    assertThat(created(inbound)).containsExactly("1", "3");
    assertThat(inbound.error()).isNull();
    assertThat(JSON.readTree(polls.get(1)).get("offset").asLong()).isEqualTo(44);
    assertThat(cursors.load("tg", "offset")).contains("44");
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().body(body).addHeader("Content-Type", "application/json").build();
  }

  // ---------------------------------------------------------------- credentials and conflicts

  @Test
  void aRejectedTokenFailsTheConnectionAndEveryLaterCallWithoutARequest() {
    String chat = telegram.newChat("Revoked", "supergroup");
    TelegramConnector connector = connector(telegram.connector().token("999999:revoked-token"));

    InboundRecorder inbound = record(connector, chat);
    Awaitility.await().atMost(TIMEOUT).until(() -> inbound.error() != null);

    assertThat(inbound.error()).isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("@BotFather")
        .hasMessageNotContaining("revoked-token");
    assertThatThrownBy(() -> connector.post(Outbound.message(connector, chat, RichText.of("no"))).block(TIMEOUT))
        .isInstanceOf(CredentialsRejectedException.class);
    assertThat(telegram.conformance.calls()).extracting(BotApiConformance.Call::method).containsExactly("getMe");
  }

  @Test
  void aWebhookSetElsewhereStopsPollingWithAdvice() {
    String chat = telegram.newChat("Hooked", "supergroup");
    TelegramConnector hooked = connector(telegram.connector().webhook(TelegramWebhook.builder()
        .url("http://127.0.0.1:9/elsewhere").build()));
    InboundRecorder webhookMode = record(hooked, chat);
    webhookMode.awaitState(ConnectorState.CONNECTED, TIMEOUT);
    webhookMode.close();

    InboundRecorder polling = record(connector(telegram.connector()), chat);
    Awaitility.await().atMost(TIMEOUT).until(() -> polling.error() != null);

    assertThat(polling.error()).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("deleteWebhook")
        .hasMessageContaining("webhook(..)");
  }

  @Test
  void aSecondPollerWithTheSameTokenStopsTheFirstWithAdvice() {
    String chat = telegram.newChat("Twins", "supergroup");
    InboundRecorder first = record(connector(telegram.connector()), chat);
    first.awaitState(ConnectorState.CONNECTED, TIMEOUT);
    Awaitility.await().atMost(TIMEOUT).until(() -> !telegram.conformance.calls("getUpdates").isEmpty());

    InboundRecorder second = record(connector(telegram.connector()), chat);
    second.awaitState(ConnectorState.CONNECTED, TIMEOUT);
    Awaitility.await().atMost(TIMEOUT).until(() -> first.error() != null);

    assertThat(first.error()).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("only one");
  }

  // ---------------------------------------------------------------- webhook requests

  @Test
  void forgedWebhookRequestsAreRejectedAndRepeatedUpdatesRelayedOnce() throws Exception {
    String chat = telegram.newChat("Webhook", "supergroup");
    WebhookListener listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(TIMEOUT);
    closeables.add(() -> listener.stop().block(TIMEOUT));
    String url = "http://127.0.0.1:" + listener.port() + "/tg";
    TelegramConnector connector = connector(telegram.connector().webhook(TelegramWebhook.builder()
        .url(url).secretToken("the-right-secret").listener(listener, "/tg").build()));
    InboundRecorder inbound = record(connector, chat);
    inbound.awaitState(ConnectorState.CONNECTED, TIMEOUT);
    String update = "{\"update_id\":900000001,\"message\":{\"message_id\":77,\"date\":1,\"chat\":{\"id\":" + chat
        + ",\"type\":\"supergroup\",\"title\":\"Webhook\"},\"from\":{\"id\":5,\"is_bot\":false,\"first_name\":\"Ann\"},"
        + "\"text\":\"hello\"}}";

    assertThat(send(url, "POST", "the-wrong-secret", update)).isEqualTo(401);
    assertThat(send(url, "POST", null, update)).isEqualTo(401);
    assertThat(send(url, "POST", "the-right-secre", update)).isEqualTo(401);
    assertThat(send(url, "GET", "the-right-secret", "")).isEqualTo(405);
    assertThat(created(inbound)).isEmpty();
    assertThat(send(url, "POST", "the-right-secret", update)).isEqualTo(200);
    assertThat(send(url, "POST", "the-right-secret", update)).isEqualTo(200);
    String fence = post(chat, "a later update from Telegram");

    inbound.await(MessageCreated.class, e -> e.target().messageId().equals("77"), TIMEOUT);
    assertThat(created(inbound)).containsExactly("77");
    assertThat(connector.toString()).doesNotContain("the-right-secret");
    assertThat(fence).isNotBlank();
  }

  @Test
  void aWebhookWithoutAConnectionAsksTelegramToComeBackLater() throws Exception {
    String chat = telegram.newChat("Idle", "supergroup");
    TelegramConnector connector = connector(telegram.connector().webhook(TelegramWebhook.builder()
        .url("http://127.0.0.1:9/tg").secretToken("s3cret").build()));

    var response = connector.webhookHandler().handle(coop.relay.support.WebhookRequest.of("POST", "/tg",
        coop.relay.support.HttpHeaders.of(TelegramWebhookHandler.SECRET_TOKEN_HEADER, "s3cret"),
        "{\"update_id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).block(TIMEOUT);

    assertThat(response.status()).isEqualTo(503);
    assertThat(chat).isNotBlank();
  }

  @Test
  void closingEndsTheConnectionUnmountsTheHandlerAndRefusesFurtherCalls() throws Exception {
    String chat = telegram.newChat("Closing", "supergroup");
    WebhookListener listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(TIMEOUT);
    closeables.add(() -> listener.stop().block(TIMEOUT));
    String url = "http://127.0.0.1:" + listener.port() + "/tg";
    TelegramConnector connector = connector(telegram.connector().webhook(TelegramWebhook.builder()
        .url(url).secretToken("s3cret").listener(listener, "/tg").build()));
    InboundRecorder inbound = record(connector, chat);
    inbound.awaitState(ConnectorState.CONNECTED, TIMEOUT);

    connector.close().block(TIMEOUT);

    Awaitility.await().atMost(TIMEOUT).until(inbound::isCompleted);
    assertThat(send(url, "POST", "s3cret", "{\"update_id\":5}")).isEqualTo(404);
    assertThatThrownBy(() -> connector.post(Outbound.message(connector, chat, RichText.of("too late"))).block(TIMEOUT))
        .isInstanceOf(coop.relay.api.DeliveryException.class).hasMessageContaining("closed");
  }

  private static int send(String url, String method, String secret, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header(TelegramWebhookHandler.SECRET_TOKEN_HEADER, secret);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

}
