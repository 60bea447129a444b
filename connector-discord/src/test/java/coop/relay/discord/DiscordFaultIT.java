package coop.relay.discord;

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
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.discord.DiscordEmulator;
import coop.relay.spi.Backoff;
import coop.relay.spi.OutboundMessage;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Faults of Discord, played by the emulator: dropped and invalidated sessions, zombies, a malformed
 * dispatch, 429s on a bucket and global, and 5xx answers.
 */
class DiscordFaultIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String TOKEN = "sandbox.discord-token.2";
  private static final Duration GLOBAL_PAUSE = Duration.ofMillis(400);
  private static final Emoji THUMBS_UP = Emoji.unicode("thumbsup", "\uD83D\uDC4D");
  private static final Identity AUTHOR = Identity.of(new UserRef("tg", "5"), "Tess");

  private DiscordEmulator emulator;
  private RelaySandbox sandbox;
  private SandboxControl control;
  private String alice;
  private String channel;
  private final DiscordSpec.Recorder spec = DiscordSpec.load().interceptor("/api/v10");
  private final RequestLog requests = new RequestLog(spec);
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private DiscordConnector connector;
  private InboundRecorder inbound;
  private int deliveries;

  @BeforeEach
  void start() {
    emulator = DiscordEmulator.builder().bot(TOKEN, "Relay").heartbeatInterval(Duration.ofMillis(300)).build();
    sandbox = RelaySandbox.builder().emulator(emulator).build();
    sandbox.start().block(TIMEOUT);
    control = sandbox.control("discord");
    alice = control.createUser(NewUser.named("Alice")).block().id();
    channel = control.createChannel(NewChannel.named("faults")).block().id();
    connector = DiscordConnector.builder().id("dc").token(TOKEN).baseUrl(emulator.apiBaseUrl())
        .reconnectBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2))
        .interceptor(requests).build();
    inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-f", cursors.scoped("dc"), Set.of(channel))));
    inbound.awaitState(ConnectorState.CONNECTED, TIMEOUT);
  }

  @AfterEach
  void stop() {
    inbound.close();
    sandbox.stop().block(TIMEOUT);
    assertThat(spec.violations()).as("requests that do not conform to Discord's OpenAPI spec").isEmpty();
  }

  private String post(String text) {
    return control.post(Post.of(channel, alice, text)).block().messageId();
  }

  private void awaitCreated(String id) {
    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(id), TIMEOUT);
  }

  private List<String> created() {
    return inbound.messagesIn(channel).stream().map(e -> e.target().messageId()).toList();
  }

  private List<String> connectedDetails() {
    return inbound.events(ConnectorStateChanged.class).stream()
        .filter(s -> s.state() == ConnectorState.CONNECTED).map(ConnectorStateChanged::detail).toList();
  }

  @Test
  void aDroppedGatewayResumesWithNothingLostAndNothingRepeated() {
    String m1 = post("before the drop");
    awaitCreated(m1);

    int before = inbound.size();
    emulator.dropGateway().block();
    String m2 = post("while reconnecting 1");
    String m3 = post("while reconnecting 2");
    inbound.awaitStateFrom(before, ConnectorState.CONNECTED, TIMEOUT);
    String m4 = post("after the resume");
    awaitCreated(m4);

    assertThat(created()).containsExactly(m1, m2, m3, m4);
    assertThat(connectedDetails()).containsExactly("Gateway session ready", "Gateway session resumed");
  }

  @Test
  void aMalformedDispatchIsSkippedAndItsSequenceStillCounts() {
    String before = post("before the malformed dispatch");
    awaitCreated(before);
    long seen = savedSequence();

    assertThat(emulator.injectMalformedDispatch(channel).block()).as("sessions that got it").isEqualTo(1);
    // Nothing else happens on the gateway meanwhile: the next number is the malformed dispatch's.
    await().atMost(TIMEOUT).until(this::savedSequence, s -> s == seen + 1);
    int mark = inbound.size();
    emulator.dropGateway().block();
    inbound.awaitStateFrom(mark, ConnectorState.CONNECTED, TIMEOUT);
    String after = post("after the malformed dispatch");
    awaitCreated(after);

    assertThat(created()).containsExactly(before, after);
    assertThat(inbound.error()).isNull();
    assertThat(connectedDetails()).containsExactly("Gateway session ready", "Gateway session resumed");
  }

  /** The gateway sequence the connector saved (under its cursor name "sequence"), or -1. */
  private long savedSequence() {
    return cursors.load("dc", "sequence").filter(s -> !s.isBlank()).map(Long::parseLong).orElse(-1L);
  }

  @Test
  void anInvalidSessionIsIdentifiedAnew() {
    int before = inbound.size();
    emulator.invalidateSessions(false).block();
    inbound.awaitStateFrom(before, ConnectorState.RECONNECTING, TIMEOUT);
    inbound.awaitStateFrom(before, ConnectorState.CONNECTED, TIMEOUT);
    String after = post("after the new session");
    awaitCreated(after);

    assertThat(connectedDetails()).containsExactly("Gateway session ready", "Gateway session ready");
  }

  @Test
  void aMissingHeartbeatAckReconnects() {
    int before = inbound.size();
    emulator.heartbeatAcks(false).block();
    inbound.awaitStateFrom(before, ConnectorState.RECONNECTING, TIMEOUT);
    emulator.heartbeatAcks(true).block();
    inbound.awaitStateFrom(before, ConnectorState.CONNECTED, TIMEOUT);
    String after = post("after the zombie");
    awaitCreated(after);

    assertThat(inbound.events(ConnectorStateChanged.class).stream().map(ConnectorStateChanged::detail))
        .anySatisfy(detail -> assertThat(detail).contains("did not acknowledge"));
    assertThat(inbound.error()).isNull();
  }

  @Test
  void a429OnOneBucketDelaysOnlyThatBucket() {
    String other = control.createChannel(NewChannel.named("other")).block().id();
    // Webhooks first, so that both channels post through the same route afterwards.
    connector.post(outbound(channel, "warm up")).block(TIMEOUT);
    connector.post(outbound(other, "warm up")).block(TIMEOUT);
    control.injectFault(Fault.rateLimited("POST /webhooks/{webhook_id}/{webhook_token}", 1, Duration.ofSeconds(3)))
        .block();

    AtomicReference<MessageRef> limited = new AtomicReference<>();
    Disposable first = connector.post(outbound(channel, "limited")).subscribe(limited::set);
    await().atMost(TIMEOUT).until(() -> emulator.invalidRequests() == 1);
    MessageRef free = connector.post(outbound(other, "free")).block(TIMEOUT);

    assertThat(free).isNotNull();
    assertThat(limited.get()).as("the limited channel still waits for its bucket").isNull();
    await().atMost(TIMEOUT).until(() -> limited.get() != null);
    assertThat(history(channel)).contains("limited");
    first.dispose();
  }

  @Test
  void aGlobal429PausesEveryBucketUntilItPassesAndThenDeliversEverythingOnce() {
    String other = control.createChannel(NewChannel.named("other")).block().id();
    // Webhooks first, so that what follows are the deliveries themselves.
    connector.post(outbound(channel, "warm up")).block(TIMEOUT);
    MessageRef otherWarmUp = connector.post(outbound(other, "warm up")).block(TIMEOUT);
    control.injectFault(Fault.rateLimited(Fault.ANY_METHOD, 1, GLOBAL_PAUSE)).block();

    AtomicReference<MessageRef> first = new AtomicReference<>();
    Disposable firstPost = connector.post(outbound(channel, "first")).subscribe(first::set);
    // Closed: the connector's rate limiter has taken the 429 in (see RequestLog).
    RequestLog.Exchange limited = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5))
        .until(() -> requests.first(429), e -> e != null && e.isClosed());
    // Other buckets: another webhook (another channel) and a bot-token route.
    MessageRef second = connector.post(outbound(other, "second"))
        .flatMap(ref -> connector.addReaction(otherWarmUp, THUMBS_UP, AUTHOR).thenReturn(ref))
        .block(TIMEOUT);
    await().atMost(TIMEOUT).until(() -> first.get() != null);
    firstPost.dispose();

    assertThat(second).isNotNull();
    List<RequestLog.Exchange> after = requests.sentAfterAnswerOf(limited);
    assertThat(after).as("requests after the global 429")
        .anySatisfy(e -> assertThat(e.path).contains("/reactions/"))
        .filteredOn(e -> e.path.startsWith("/api/v10/webhooks/")).hasSizeGreaterThanOrEqualTo(2);
    // The rate limiter's clock counts in milliseconds; the slack covers its rounding, not a delay.
    long earliest = limited.answeredNanos() + GLOBAL_PAUSE.minusMillis(10).toNanos();
    assertThat(after).as("no request left while the global limit lasted")
        .allSatisfy(e -> assertThat(e.sentNanos).as("%s", e).isGreaterThanOrEqualTo(earliest));
    assertThat(requests.exchanges()).filteredOn(e -> e.status() == 429).hasSize(1);
    assertThat(emulator.invalidRequests()).as("429 answers the emulator gave").isEqualTo(1);
    assertThat(history(channel)).containsOnlyOnce("first");
    assertThat(history(other)).containsOnlyOnce("second");
    assertThat(control.history(other).filter(m -> m.messageId().equals(otherWarmUp.messageId()))
        .flatMapIterable(HistoryEntry::reactions).map(r -> r.userIds().size()).collectList().block())
        .as("users of each reaction on the warm-up message").containsExactly(1);
  }

  @Test
  void serverErrorsAreRetriedIntoOneMessage() {
    connector.post(outbound(channel, "warm up")).block(TIMEOUT);
    control.injectFault(Fault.serverError("POST /webhooks/{webhook_id}/{webhook_token}", 2, 502)).block();

    MessageRef ref = connector.post(outbound(channel, "after two 502s")).block(TIMEOUT);

    assertThat(ref).isNotNull();
    assertThat(history(channel)).containsOnlyOnce("after two 502s");
  }

  private List<String> history(String channelId) {
    return control.history(channelId).map(HistoryEntry::text).collectList().block();
  }

  private OutboundMessage outbound(String channelId, String text) {
    deliveries++;
    return new OutboundMessage(ChannelRef.of("dc", channelId), ChannelRef.of("tg", "-1").message("s" + deliveries),
        Identity.of(new UserRef("tg", "5"), "Tess"), connector.render(RichText.of(text)), List.of(), null, null,
        new OriginMarker("relay-f", "d" + deliveries));
  }
}
