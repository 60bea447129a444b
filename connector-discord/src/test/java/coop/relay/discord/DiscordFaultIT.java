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

/** Faults of Discord, played by the emulator: dropped and invalidated sessions, zombies, 429s and 5xx answers. */
class DiscordFaultIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String TOKEN = "sandbox.discord-token.2";

  private DiscordEmulator emulator;
  private RelaySandbox sandbox;
  private SandboxControl control;
  private String alice;
  private String channel;
  private final DiscordSpec.Recorder spec = DiscordSpec.load().interceptor("/api/v10");
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
        .interceptor(spec).build();
    inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-f", new InMemoryCursorStore().scoped("dc"), Set.of(channel))));
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
