package coop.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.RichText;
import coop.relay.spi.OutboundMessage;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Faults a homeserver emulator cannot produce on cue, against a scripted server: a {@code /sync}
 * answer cut off in the middle of its body, and 429 answers whose wait is only in the body
 * ({@code retry_after_ms}) or in both the header and the body (the header wins), on a virtual clock.
 */
class MatrixFaultIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ROOM = "!room:example.org";
  private static final String PAGE = "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"" + ROOM + "\":{\"timeline\":{"
      + "\"limited\":false,\"events\":[{\"type\":\"m.room.message\",\"event_id\":\"$a:example.org\","
      + "\"sender\":\"@alice:example.org\",\"origin_server_ts\":1700000000000,"
      + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"survives the cut\"}}]}}}}}";

  private final MockWebServer server = new MockWebServer();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger cutPages = new AtomicInteger(1);
  private volatile List<MockResponse> sendAnswers = List.of();
  private final AtomicInteger sends = new AtomicInteger();
  private final SpecConformance conformance = new SpecConformance(false);

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String since = request.getUrl().queryParameter("since");
        requests.add(request.getMethod() + " " + path + (since == null ? "" : "?since=" + since));
        if (path.endsWith("/account/whoami")) {
          return json("{\"user_id\":\"@bot:example.org\"}");
        }
        if (path.endsWith("/filter")) {
          return json("{\"filter_id\":\"f1\"}");
        }
        if (path.endsWith("/joined_rooms")) {
          return json("{\"joined_rooms\":[\"" + ROOM + "\"]}");
        }
        if (path.endsWith("/sync") && since == null) {
          return json("{\"next_batch\":\"s1\"}");
        }
        if (path.endsWith("/sync") && since.equals("s1")) {
          if (cutPages.getAndDecrement() > 0) {
            // Headers promise the whole page; half of it arrives, then the connection drops.
            return new MockResponse.Builder().setHeader("Content-Type", "application/json")
                .body(PAGE.substring(0, PAGE.length() / 2))
                .setHeader("Content-Length", PAGE.length())
                .onResponseEnd(new SocketEffect.CloseSocket())
                .build();
          }
          return json(PAGE);
        }
        if (path.endsWith("/sync")) {
          return new MockResponse.Builder().headersDelay(500, TimeUnit.MILLISECONDS).setHeader("Content-Type",
              "application/json").body("{\"next_batch\":\"" + since + "\"}").build();
        }
        if (path.contains("/send/")) {
          int n = sends.getAndIncrement();
          List<MockResponse> answers = sendAnswers;
          return n < answers.size() ? answers.get(n) : json("{\"event_id\":\"$sent:example.org\"}");
        }
        return new MockResponse.Builder().code(404).body("{\"errcode\":\"M_UNRECOGNIZED\"}").build();
      }
    });
    server.start();
    conformance.homeserver(server.url("/").toString());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    conformance.assertConforms();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
  }

  private MatrixConnector.Builder connector() {
    return MatrixConnector.builder().id("mx").baseUrl(server.url("/").toString()).accessToken("syt_test")
        .pollTimeout(Duration.ofSeconds(1)).backoff(MatrixSandbox.FAST_BACKOFF).interceptor(conformance);
  }

  @Test
  void aSyncCutOffMidResponseIsPolledAgainFromTheSameSinceAndRelaysItsEventsOnce() {
    InMemoryCursorStore cursors = new InMemoryCursorStore();
    InboundRecorder inbound = InboundRecorder.record(connector().build().connect(
        TestConnectorContext.of("relay", cursors.scoped("mx"), Set.of(ROOM))));
    try {
      inbound.await(MessageCreated.class, e -> e.target().messageId().equals("$a:example.org"), WAIT);
      await().atMost(WAIT).until(() -> requests.contains("GET /_matrix/client/v3/sync?since=s2"));

      assertThat(requests.stream().filter(r -> r.endsWith("?since=s1")).count()).as("polls from s1").isEqualTo(2);
      assertThat(inbound.events(MessageCreated.class)).hasSize(1);
      assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
          .containsExactly(ConnectorState.CONNECTED, ConnectorState.RECONNECTING, ConnectorState.CONNECTED);
      assertThat(cursors.load("mx", "sync.since")).contains("s2");
      assertThat(inbound.error()).isNull();
    } finally {
      inbound.close();
    }
  }

  @Test
  void aRateLimitWithoutRetryAfterHeaderWaitsRetryAfterMsThenSendsTheSameTransaction() {
    sendAnswers = List.of(new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json")
        .body("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"slow down\",\"retry_after_ms\":750}").build());
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    MatrixConnector connector = connector().scheduler(clock).build();

    CompletableFuture<MessageRef> posted = connector.post(message(connector)).toFuture();
    await().atMost(WAIT).until(() -> sends.get() == 1);
    clock.advanceTimeBy(Duration.ofMillis(750));

    await().atMost(WAIT).until(posted::isDone);
    assertThat(posted.join().messageId()).isEqualTo("$sent:example.org");
    List<String> sent = requests.stream().filter(r -> r.contains("/send/")).toList();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).as("the same transaction id").isEqualTo(sent.get(0));
  }

  @Test
  void aRetryAfterHeaderWinsOverTheBody() {
    sendAnswers = List.of(new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json")
        .setHeader("Retry-After", "2")
        .body("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":600000}").build());
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    MatrixConnector connector = connector().scheduler(clock).build();

    CompletableFuture<MessageRef> posted = connector.post(message(connector)).toFuture();
    await().atMost(WAIT).until(() -> sends.get() == 1);
    clock.advanceTimeBy(Duration.ofSeconds(2));

    await().atMost(WAIT).until(posted::isDone);
    assertThat(sends.get()).isEqualTo(2);
  }

  private static OutboundMessage message(MatrixConnector connector) {
    return new OutboundMessage(ChannelRef.of("mx", ROOM), ChannelRef.of("tg", "-1").message("9"),
        Identity.of(new UserRef("tg", "1"), "Tess"), connector.render(RichText.of("limited")), List.of(), null, null,
        new OriginMarker("relay", "d9"));
  }
}
