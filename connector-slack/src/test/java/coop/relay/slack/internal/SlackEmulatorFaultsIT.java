package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.RateLimitedException;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.slack.SlackEmulator;
import coop.relay.slack.SlackConnector;
import coop.relay.spi.Backoff;
import coop.relay.spi.OutboundMessage;
import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookListener;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Faults against the sandbox's Slack emulator: connections dropped while envelopes are in flight,
 * refreshes, Slack's own retries of events it thinks were not acknowledged, malformed events,
 * rate-limit storms.
 */
class SlackEmulatorFaultsIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String BOT = "xoxb-1-faults";
  private static final String APP = "xapp-1-faults";
  private static final String SECRET = "faults-signing-secret";
  private static final Backoff QUICK = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.1);

  private final List<AutoCloseable> closing = new ArrayList<>();
  private RelaySandbox sandbox;
  private SlackEmulator emulator;
  private SandboxControl control;
  private String channel;
  private String alice;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private void start(SlackEmulator.Builder builder) {
    emulator = builder.build();
    sandbox = RelaySandbox.builder().host("127.0.0.1").emulator(emulator).build();
    sandbox.start().block(WAIT);
    closing.add(sandbox);
    control = sandbox.control("slack");
    channel = Objects.requireNonNull(control.createChannel(NewChannel.named("faults")).block(WAIT)).id();
    alice = Objects.requireNonNull(control.createUser(NewUser.named("Alice")).block(WAIT)).id();
  }

  private SlackConnector socketConnector() {
    SlackConnector connector = SlackConnector.builder().id("sl").baseUrl(sandbox.baseUrl("slack") + "/api")
        .botToken(BOT).appToken(APP).reconnectBackoff(QUICK).build();
    closing.add(() -> connector.close().block(WAIT));
    return connector;
  }

  private InboundRecorder record(SlackConnector connector) {
    InboundRecorder inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-1", new InMemoryCursorStore().scoped("sl"), Set.of(channel))));
    closing.add(inbound);
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
    return inbound;
  }

  private String post(String text) {
    return Objects.requireNonNull(control.post(Post.of(channel, alice, text)).block(WAIT)).messageId();
  }

  private static List<String> relayedIds(InboundRecorder inbound, String channel) {
    return inbound.messagesIn(channel).stream().map(m -> m.message().ref().messageId()).toList();
  }

  @Test
  void socketsDroppedWhileEnvelopesAreInFlightRelayEveryMessageOnceInOrder() {
    start(SlackEmulator.builder().app("relay", app -> app.botToken(BOT).appToken(APP)));
    InboundRecorder inbound = record(socketConnector());
    List<String> posted = new ArrayList<>();

    for (int i = 0; i < 12; i++) {
      posted.add(post("message " + i));
      if (i % 4 == 1) {
        // Cut the connection right after a post, while its envelope is on the wire or unacknowledged.
        emulator.dropSockets("relay").block(WAIT);
      }
    }

    Awaitility.await().atMost(WAIT).until(() -> relayedIds(inbound, channel).size() >= posted.size());
    assertThat(relayedIds(inbound, channel)).containsExactlyElementsOf(posted);
    assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
        .contains(ConnectorState.RECONNECTING).last().isEqualTo(ConnectorState.CONNECTED);
  }

  @Test
  void envelopesSlackThinksWereNotAcknowledgedInTimeAreRelayedOnce() {
    // An acknowledgement timeout shorter than any round trip: every envelope comes again, up to three times.
    start(SlackEmulator.builder().ackTimeout(Duration.ofMillis(1))
        .app("relay", app -> app.botToken(BOT).appToken(APP)));
    InboundRecorder inbound = record(socketConnector());

    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      posted.add(post("retried " + i));
    }
    String fence = post("fence");

    inbound.await(MessageCreated.class, m -> m.message().ref().messageId().equals(fence), WAIT);
    posted.add(fence);
    assertThat(relayedIds(inbound, channel)).containsExactlyElementsOf(posted);
  }

  @Test
  void aRefreshOpensTheNextConnectionFirstAndLosesNothing() {
    start(SlackEmulator.builder().socketRefresh(null, Duration.ofSeconds(2))
        .app("relay", app -> app.botToken(BOT).appToken(APP)));
    InboundRecorder inbound = record(socketConnector());
    List<String> posted = new ArrayList<>();
    posted.add(post("before the refresh"));

    emulator.refreshSockets("relay").block(WAIT);
    Awaitility.await("the next connection, while the old one is still open").atMost(WAIT)
        .until(() -> emulator.openSockets("relay") == 2);
    for (int i = 0; i < 5; i++) {
      posted.add(post("during the refresh " + i));
    }
    Awaitility.await("the old connection closed").atMost(WAIT).until(() -> emulator.openSockets("relay") == 1);
    posted.add(post("after the refresh"));

    Awaitility.await().atMost(WAIT).until(() -> relayedIds(inbound, channel).size() >= posted.size());
    assertThat(relayedIds(inbound, channel)).containsExactlyElementsOf(posted);
    assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
        .as("a refresh is no outage").containsExactly(ConnectorState.CONNECTED);
  }

  @Test
  void eventsApiRetriesOfEventsAreRelayedOnce() {
    WebhookListener listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(WAIT);
    closing.add(() -> listener.stop().block(WAIT));
    String url = "http://127.0.0.1:" + listener.port() + "/slack/events";
    start(SlackEmulator.builder().ackTimeout(Duration.ofMillis(300))
        .eventRetryDelays(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(100))
        .app("relay", app -> app.botToken(BOT).signingSecret(SECRET).requestUrl(url)));
    SlackConnector connector = SlackConnector.builder().id("sl").baseUrl(sandbox.baseUrl("slack") + "/api")
        .botToken(BOT).signingSecret(SECRET).build();
    closing.add(() -> connector.close().block(WAIT));
    AtomicInteger retries = new AtomicInteger();
    // The first answer to each event is slower than Slack waits (as over a slow network): Slack retries.
    WebhookHandler slowFirstAnswers = request -> {
      if (request.header("X-Slack-Retry-Num") != null) {
        retries.incrementAndGet();
        return connector.eventsHandler().handle(request);
      }
      return connector.eventsHandler().handle(request).delayElement(Duration.ofMillis(600));
    };
    Disposable mounted = listener.mount("/slack/events", slowFirstAnswers);
    closing.add(mounted::dispose);
    InboundRecorder inbound = record(connector);

    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      posted.add(post("delivered again and again " + i));
    }

    Awaitility.await("Slack's retries").atMost(WAIT).until(() -> retries.get() >= 5);
    String fence = post("fence");
    inbound.await(MessageCreated.class, m -> m.message().ref().messageId().equals(fence), WAIT);
    posted.add(fence);
    // Slack sends events concurrently over HTTP, so only Socket Mode keeps their order.
    assertThat(relayedIds(inbound, channel)).containsExactlyInAnyOrderElementsOf(posted);
  }

  @Test
  void aMalformedEnvelopeIsAcknowledgedAndSkippedAndTheStreamGoesOn() {
    // Slack would wait a minute for the ack: only the connector's ack can empty the queue in time.
    start(SlackEmulator.builder().ackTimeout(Duration.ofMinutes(1))
        .app("relay", app -> app.botToken(BOT).appToken(APP)));
    InboundRecorder inbound = record(socketConnector());

    emulator.injectMalformedEvent("relay", channel).block(WAIT);
    Awaitility.await("the connector's ack of the malformed envelope").atMost(WAIT)
        .until(() -> emulator.undeliveredEvents("relay") == 0);
    String after = post("after the malformed event");

    inbound.await(MessageCreated.class, m -> m.message().ref().messageId().equals(after), WAIT);
    assertThat(relayedIds(inbound, channel)).containsExactly(after);
    assertThat(inbound.error()).as("the stream's error").isNull();
  }

  @Test
  void aMalformedEventOverHttpIsAnsweredAndSkippedAndTheStreamGoesOn() {
    WebhookListener listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(WAIT);
    closing.add(() -> listener.stop().block(WAIT));
    String url = "http://127.0.0.1:" + listener.port() + "/slack/events";
    // Slack would retry a request without a 2xx answer only after a minute: the queue empties in
    // time only if the endpoint answered the malformed event with a 2xx.
    start(SlackEmulator.builder().eventRetryDelays(Duration.ofMinutes(1))
        .app("relay", app -> app.botToken(BOT).signingSecret(SECRET).requestUrl(url)));
    SlackConnector connector = SlackConnector.builder().id("sl").baseUrl(sandbox.baseUrl("slack") + "/api")
        .botToken(BOT).signingSecret(SECRET).webhookListener(listener).webhookPath("/slack/events").build();
    closing.add(() -> connector.close().block(WAIT));
    InboundRecorder inbound = record(connector);

    emulator.injectMalformedEvent("relay", channel).block(WAIT);
    Awaitility.await("the endpoint's 2xx to the malformed event").atMost(WAIT)
        .until(() -> emulator.undeliveredEvents("relay") == 0);
    String after = post("after the malformed event");

    inbound.await(MessageCreated.class, m -> m.message().ref().messageId().equals(after), WAIT);
    assertThat(relayedIds(inbound, channel)).containsExactly(after);
    assertThat(inbound.error()).as("the stream's error").isNull();
  }

  @Test
  void aStormOf429sIsWaitedOutAndALongerOneReportedWithSlacksWait() {
    start(SlackEmulator.builder().app("relay", app -> app.botToken(BOT).appToken(APP)));
    SlackConnector connector = socketConnector();
    control.injectFault(Fault.rateLimited("chat.postMessage", 2, Duration.ofSeconds(1))).block(WAIT);

    MessageRef posted = connector.post(outbound(connector, "after two 429s")).block(WAIT);

    assertThat(control.history(channel).collectList().block(WAIT))
        .anySatisfy(entry -> assertThat(entry.messageId()).isEqualTo(posted.messageId()));
    control.injectFault(Fault.rateLimited("chat.postMessage", 10, Duration.ofSeconds(1))).block(WAIT);
    assertThatThrownBy(() -> connector.post(outbound(connector, "in a storm")).block(WAIT))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
  }

  private OutboundMessage outbound(SlackConnector connector, String text) {
    return new OutboundMessage(ChannelRef.of("sl", channel), ChannelRef.of("dc", "1").message("2"),
        new Identity(new UserRef("dc", "3"), "Dee", null, false, null), connector.render(RichText.of(text)), List.of(),
        null, null, new OriginMarker("relay-1", "d-" + text.hashCode()));
  }
}
