package coop.relay.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coop.relay.api.Capabilities;
import coop.relay.api.ChannelRef;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The connector TCK: the contract every {@link Connector} must meet, as JUnit 5 tests. A connector
 * module (ours or a third party's) runs it against a local emulator of its platform by extending
 * this class and returning a {@link TckFixture}:
 *
 * <pre>{@code
 * class DiscordConnectorTckIT extends ConnectorTck {
 *   private static final DiscordEmulator EMULATOR = DiscordEmulator.start();  // your local server
 *
 *   @Override
 *   protected TckFixture createFixture() {
 *     String channel = EMULATOR.createChannel();                               // fresh per test
 *     return new TckFixture() {
 *       public Connector createConnector() {
 *         return DiscordConnector.builder().id("dc").baseUrl(EMULATOR.url()).token("test-token").build();
 *       }
 *       public String channelId() { return channel; }
 *       public String postAsUser(String channelId, RichText text) {
 *         return EMULATOR.postAsUser(channelId, "alice", toDiscordMarkdown(text));
 *       }
 *       // ... the other user actions, history(), disconnect()/reconnect(), injectMalformedPayload()
 *       public Set<TckFeature> features() { return EnumSet.allOf(TckFeature.class); }
 *     };
 *   }
 * }
 * }</pre>
 *
 * <p>{@code relay-testkit} runs it against its own {@link coop.relay.testkit.InMemoryConnector}
 * with {@link InMemoryTckFixture}, which is a complete example of a fixture.
 *
 * <p><b>What it checks.</b> The connection first reports {@code CONNECTED}; users' messages arrive
 * with their formatting as {@link RichText}, their edits, deletions, reactions, replies and threads
 * as the matching events; what the connector posts, edits, deletes and reacts appears on the
 * platform; the connector's own echoes are not emitted; after a dropped connection and after a
 * restart from the same cursor store every message arrives exactly once and in order; a malformed
 * payload is skipped without ending the stream; a refused post fails with a permanent
 * {@link DeliveryException}. Tests of what the connector sends follow its
 * {@link Capabilities}; tests that need the platform to do something follow
 * {@link TckFixture#features()}. Both skip, with a JUnit assumption that names the reason, rather
 * than pass vacuously.
 *
 * <p><b>How it drives the connector.</b> Each test gets a new fixture and new connectors, connects
 * with relay id {@link #RELAY_ID} and an in-memory cursor store shared by all connectors of the
 * test (so a second connector resumes from the first one's cursors), and waits with Awaitility up
 * to {@link TckFixture#timeout()}, never by sleeping. Cancelling the connection is how the TCK
 * stops a connector before a restart, so a connector must save its cursor no later than it emits
 * an event: the TCK cancels right after it received one, and expects it not to be delivered again.
 */
public abstract class ConnectorTck {
  /** The relay id the TCK connects with; everything the connector posts carries it in its origin marker. */
  protected static final String RELAY_ID = "tck-relay";

  private static final Emoji THUMBS_UP = Emoji.unicode("thumbsup", "\uD83D\uDC4D");
  private static final Identity REMOTE_AUTHOR = new Identity(new UserRef("tck-origin", "tess"), "Tess Tck",
      "https://example.org/tess.png", false, null);

  private @Nullable TckFixture fixture;
  private final List<Connector> connectors = new ArrayList<>();
  private final List<InboundRecorder> recorders = new ArrayList<>();
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final AtomicInteger deliveries = new AtomicInteger();

  /** A new fixture for one test; closed after it. */
  protected abstract TckFixture createFixture() throws Exception;

  /** Creates the test's fixture; runs before each test. */
  @BeforeEach
  protected final void openTckFixture() throws Exception {
    fixture = Objects.requireNonNull(createFixture(), "createFixture() returned null");
  }

  /** Cancels the test's connections, closes its connectors and then its fixture; runs after each test. */
  @AfterEach
  protected final void closeTckFixture() throws Exception {
    recorders.forEach(InboundRecorder::close);
    try {
      for (Connector connector : connectors) {
        connector.close().block(fixture().timeout());
      }
    } finally {
      fixture().close();
    }
  }

  // ---------------------------------------------------------------- connection

  @Test
  void connectionFirstReportsConnected() {
    Connector connector = newConnector();
    InboundRecorder inbound = record(connector);

    ConnectorStateChanged first = inbound.await(ConnectorStateChanged.class, s -> true, timeout());

    assertThat(inbound.events().get(0)).as("the first event of connect()").isSameAs(first);
    assertThat(first.state()).as("the first state of connect()").isEqualTo(ConnectorState.CONNECTED);
    assertThat(first.connectorId()).isEqualTo(connector.id());
  }

  // ---------------------------------------------------------------- inbound

  @Test
  void usersMessageArrivesWithItsFormatting() {
    Connector connector = newConnector();
    InboundRecorder inbound = connect(connector);
    RichText sample = fixture().formattedSample();

    String id = fixture().postAsUser(channel(), sample);

    MessageCreated created = awaitCreated(inbound, id);
    assertThat(created.message().ref()).isEqualTo(ChannelRef.of(connector.id(), channel()).message(id));
    assertThat(created.message().text()).as("the formatted text parsed back").isEqualTo(sample);
    assertThat(created.message().author().user().connectorId()).isEqualTo(connector.id());
    assertThat(created.message().author().bot()).as("a user's message is not by a bot").isFalse();
    assertThat(created.message().origin()).as("a user's message has no origin marker").isNull();
    assertThat(created.eventId()).isEqualTo(id);
  }

  @Test
  void usersEditArrivesAsMessageEdited() {
    requireFeature(TckFeature.USER_EDITS);
    InboundRecorder inbound = connect(newConnector());
    String id = fixture().postAsUser(channel(), RichText.of("before the edit"));
    awaitCreated(inbound, id);

    fixture().editAsUser(channel(), id, RichText.of("after the edit"));

    MessageEdited edited = inbound.await(MessageEdited.class, e -> e.target().messageId().equals(id), timeout());
    assertThat(edited.text().plainText()).isEqualTo("after the edit");
    assertThat(edited.origin()).isNull();
  }

  @Test
  void usersDeleteArrivesAsMessageDeleted() {
    requireFeature(TckFeature.USER_DELETES);
    InboundRecorder inbound = connect(newConnector());
    String id = fixture().postAsUser(channel(), RichText.of("to be deleted"));
    awaitCreated(inbound, id);

    fixture().deleteAsUser(channel(), id);

    MessageDeleted deleted = inbound.await(MessageDeleted.class, e -> e.target().messageId().equals(id), timeout());
    assertThat(deleted.channel().channelId()).isEqualTo(channel());
  }

  @Test
  void usersReactionsArriveAsAddedAndRemoved() {
    requireFeature(TckFeature.USER_REACTIONS);
    InboundRecorder inbound = connect(newConnector());
    String id = fixture().postAsUser(channel(), RichText.of("react to me"));
    awaitCreated(inbound, id);

    fixture().reactAsUser(channel(), id, THUMBS_UP);
    ReactionAdded added = inbound.await(ReactionAdded.class, e -> e.target().messageId().equals(id), timeout());
    fixture().unreactAsUser(channel(), id, THUMBS_UP);
    ReactionRemoved removed = inbound.await(ReactionRemoved.class, e -> e.target().messageId().equals(id),
        timeout());

    assertThat(sameEmoji(added.emoji(), THUMBS_UP)).as("added %s", added.emoji()).isTrue();
    assertThat(sameEmoji(removed.emoji(), THUMBS_UP)).as("removed %s", removed.emoji()).isTrue();
    assertThat(added.user().bot()).isFalse();
    assertThat(added.eventId()).isNotEqualTo(removed.eventId());
  }

  @Test
  void usersReplyPointsAtItsTarget() {
    requireFeature(TckFeature.USER_REPLIES);
    Connector connector = newConnector();
    InboundRecorder inbound = connect(connector);
    String target = fixture().postAsUser(channel(), RichText.of("the question"));

    String reply = fixture().replyAsUser(channel(), target, RichText.of("the answer"));

    MessageCreated created = awaitCreated(inbound, reply);
    assertThat(created.message().replyTo()).as("replyTo").isNotNull();
    assertThat(Objects.requireNonNull(created.message().replyTo()).target())
        .isEqualTo(ChannelRef.of(connector.id(), channel()).message(target));
  }

  @Test
  void usersThreadMessageNamesItsRoot() {
    requireFeature(TckFeature.USER_THREADS);
    Connector connector = newConnector();
    InboundRecorder inbound = connect(connector);
    String root = fixture().postAsUser(channel(), RichText.of("a thread starts"));

    String inThread = fixture().postInThreadAsUser(channel(), root, RichText.of("in the thread"));

    MessageCreated created = awaitCreated(inbound, inThread);
    assertThat(created.message().threadRoot())
        .isEqualTo(ChannelRef.of(connector.id(), channel()).message(root));
  }

  // ---------------------------------------------------------------- outbound

  @Test
  void postedMessageAppearsOnThePlatform() {
    Connector connector = newConnector();
    connect(connector);

    MessageRef ref = post(connector, RichText.of("posted by the TCK"), null, null);

    assertThat(ref.channel()).isEqualTo(ChannelRef.of(connector.id(), channel()));
    SeenMessage seen = awaitSeen(ref.messageId(), m -> true, "the posted message");
    assertThat(seen.plainText().strip()).isEqualTo("posted by the TCK");
    assertThat(seen.byBot()).as("posted by the bot").isTrue();
  }

  @Test
  void editReplacesTheTextOfAPostedMessage() {
    Connector connector = newConnector();
    requireCapability(connector.capabilities().edits(), "edits");
    connect(connector);
    MessageRef ref = post(connector, RichText.of("first version"), null, null);

    block(connector.edit(ref, outbound(connector, RichText.of("second version"), null, null)));

    awaitSeen(ref.messageId(), m -> m.plainText().strip().equals("second version"), "the edited text");
  }

  @Test
  void deleteRemovesAPostedMessageAndToleratesRepeats() {
    Connector connector = newConnector();
    requireCapability(connector.capabilities().deletes(), "deletes");
    connect(connector);
    MessageRef ref = post(connector, RichText.of("short-lived"), null, null);
    awaitSeen(ref.messageId(), m -> true, "the posted message");

    block(connector.delete(ref));
    block(connector.delete(ref));

    Awaitility.await("message " + ref.messageId() + " gone from the history").atMost(timeout())
        .until(() -> fixture().history(channel()).stream()
            .noneMatch(m -> m.id().equals(ref.messageId()) && !m.deleted()));
  }

  @Test
  void reactionsAreAddedAndRemoved() {
    Connector connector = newConnector();
    requireCapability(connector.capabilities().reactions(), "reactions");
    connect(connector);
    String id = fixture().postAsUser(channel(), RichText.of("the bridge reacts to this"));
    MessageRef ref = ChannelRef.of(connector.id(), channel()).message(id);

    block(connector.addReaction(ref, THUMBS_UP, REMOTE_AUTHOR));
    awaitSeen(id, m -> hasReaction(m, THUMBS_UP), "the reaction");
    block(connector.removeReaction(ref, THUMBS_UP, REMOTE_AUTHOR));

    awaitSeen(id, m -> !hasReaction(m, THUMBS_UP), "the reaction removed");
  }

  @Test
  void replyPointsAtTheUsersMessage() {
    Connector connector = newConnector();
    requireCapability(connector.capabilities().replies(), "replies");
    connect(connector);
    String target = fixture().postAsUser(channel(), RichText.of("reply to me"));

    MessageRef reply = post(connector, RichText.of("a reply from the bridge"),
        ChannelRef.of(connector.id(), channel()).message(target), null);

    awaitSeen(reply.messageId(), m -> target.equals(m.replyToId()), "the reply pointing at " + target);
  }

  @Test
  void postInThreadJoinsTheThread() {
    Connector connector = newConnector();
    requireCapability(connector.capabilities().threads(), "threads");
    connect(connector);
    String root = fixture().postAsUser(channel(), RichText.of("a thread root"));

    MessageRef inThread = post(connector, RichText.of("in the thread, from the bridge"), null,
        ChannelRef.of(connector.id(), channel()).message(root));

    awaitSeen(inThread.messageId(), m -> root.equals(m.threadRootId()), "the message in the thread of " + root);
  }

  @Test
  void postingIntoAnUnknownChannelFailsPermanently() {
    requireFeature(TckFeature.UNKNOWN_CHANNEL);
    String unknown = fixture().unknownChannelId();
    assumeTrue(unknown != null, "the fixture declares UNKNOWN_CHANNEL but unknownChannelId() returned null");
    Connector connector = newConnector();
    connect(connector);
    OutboundMessage message = new OutboundMessage(ChannelRef.of(connector.id(), unknown), nextSource(),
        REMOTE_AUTHOR, connector.render(RichText.of("nowhere")), List.of(), null, null, nextOrigin());

    assertThatThrownBy(() -> block(connector.post(message)))
        .as("posting into unknown channel %s", unknown)
        .isInstanceOf(DeliveryException.class)
        .matches(e -> !((DeliveryException) e).isRetryable(), "is permanent");
  }

  @Test
  void renderKeepsTheSourceAndIsDeterministic() {
    Connector connector = newConnector();
    RichText sample = fixture().formattedSample();

    RenderedText first = connector.render(sample);
    RenderedText second = connector.render(sample);

    assertThat(first.source()).isEqualTo(sample);
    assertThat(first.markup()).isEqualTo(second.markup()).isNotBlank();
  }

  // ---------------------------------------------------------------- loops, losses, duplicates

  @Test
  void ownPostsAndTheirChangesAreNotEchoed() {
    Connector connector = newConnector();
    Capabilities capabilities = connector.capabilities();
    InboundRecorder inbound = connect(connector);
    MessageRef ours = post(connector, RichText.of("must not come back"), null, null);
    List<String> ourIds = new ArrayList<>(List.of(ours.messageId()));
    if (capabilities.edits()) {
      block(connector.edit(ours, outbound(connector, RichText.of("must not come back, edited"), null, null)));
    }
    if (capabilities.reactions()) {
      block(connector.addReaction(ours, THUMBS_UP, REMOTE_AUTHOR));
    }
    if (capabilities.deletes()) {
      MessageRef doomed = post(connector, RichText.of("deleted by the bridge"), null, null);
      ourIds.add(doomed.messageId());
      block(connector.delete(doomed));
    }

    // A later user message proves the stream went past where the echoes would have been.
    String fence = fixture().postAsUser(channel(), RichText.of("fence after our own posts"));
    awaitCreated(inbound, fence);

    List<ChannelEvent> echoes = inbound.channelEvents(channel()).stream()
        .filter(e -> ourIds.contains(e.target().messageId()) || carriesOurMarker(e))
        .toList();
    assertThat(echoes).as("events about what the connector itself did (its echoes)").isEmpty();
  }

  @Test
  void reconnectLosesAndDuplicatesNothing() {
    requireFeature(TckFeature.DISCONNECT);
    InboundRecorder inbound = connect(newConnector());
    List<String> expected = new ArrayList<>();
    expected.add(fixture().postAsUser(channel(), RichText.of("before the disconnect")));
    awaitCreated(inbound, expected.get(0));

    int beforeDrop = inbound.size();
    fixture().disconnect();
    inbound.awaitStateFrom(beforeDrop, ConnectorState.RECONNECTING, timeout());
    for (int i = 1; i <= 3; i++) {
      expected.add(fixture().postAsUser(channel(), RichText.of("while disconnected " + i)));
    }
    int beforeReconnect = inbound.size();
    fixture().reconnect();
    inbound.awaitStateFrom(beforeReconnect, ConnectorState.CONNECTED, timeout());
    expected.add(fixture().postAsUser(channel(), RichText.of("after the reconnect")));
    awaitCreated(inbound, expected.get(expected.size() - 1));

    assertThat(createdIds(inbound)).as("messages received, in order").containsExactlyElementsOf(expected);
    assertThat(inbound.error()).isNull();
  }

  @Test
  void restartResumesFromTheCursorsExactlyOnce() {
    Connector first = newConnector();
    InboundRecorder firstInbound = connect(first);
    String m1 = fixture().postAsUser(channel(), RichText.of("seen by the first connector 1"));
    String m2 = fixture().postAsUser(channel(), RichText.of("seen by the first connector 2"));
    awaitCreated(firstInbound, m1);
    awaitCreated(firstInbound, m2);
    firstInbound.close();
    block(first.close());

    String m3 = fixture().postAsUser(channel(), RichText.of("posted while no connector ran 3"));
    String m4 = fixture().postAsUser(channel(), RichText.of("posted while no connector ran 4"));
    Connector second = newConnector();
    assertThat(second.id()).as("the restarted connector's id").isEqualTo(first.id());
    InboundRecorder secondInbound = connect(second);
    String m5 = fixture().postAsUser(channel(), RichText.of("posted after the restart 5"));
    awaitCreated(secondInbound, m5);

    assertThat(createdIds(firstInbound)).containsExactly(m1, m2);
    assertThat(createdIds(secondInbound)).as("messages received after the restart, in order")
        .containsExactly(m3, m4, m5);
  }

  @Test
  void malformedPayloadIsSkippedAndTheStreamGoesOn() {
    requireFeature(TckFeature.MALFORMED_PAYLOAD);
    InboundRecorder inbound = connect(newConnector());

    fixture().injectMalformedPayload(channel());
    String after = fixture().postAsUser(channel(), RichText.of("after the malformed payload"));

    awaitCreated(inbound, after);
    assertThat(inbound.error()).as("the stream's error").isNull();
    assertThat(inbound.isCompleted()).as("the stream completed").isFalse();
    assertThat(createdIds(inbound)).containsExactly(after);
  }

  // ---------------------------------------------------------------- helpers for subclasses

  /** The fixture of the running test. */
  protected final TckFixture fixture() {
    return Objects.requireNonNull(fixture, "the fixture is only available while a test runs");
  }

  /** A new connector from the fixture, closed after the test. */
  protected final Connector newConnector() {
    Connector connector = Objects.requireNonNull(fixture().createConnector(), "createConnector() returned null");
    connectors.add(connector);
    return connector;
  }

  /** Starts recording the connector's inbound stream, with the TCK's context; cancelled after the test. */
  protected final InboundRecorder record(Connector connector) {
    InboundRecorder recorder = InboundRecorder.record(connector.connect(
        TestConnectorContext.of(RELAY_ID, cursors.scoped(connector.id()), Set.of(channel()))));
    recorders.add(recorder);
    return recorder;
  }

  /** {@link #record} and wait until the connector reports {@code CONNECTED}. */
  protected final InboundRecorder connect(Connector connector) {
    InboundRecorder recorder = record(connector);
    recorder.awaitState(ConnectorState.CONNECTED, timeout());
    return recorder;
  }

  private String channel() {
    return fixture().channelId();
  }

  private Duration timeout() {
    return fixture().timeout();
  }

  private void requireFeature(TckFeature feature) {
    assumeTrue(fixture().features().contains(feature),
        "skipped: the fixture does not declare TckFeature." + feature);
  }

  private static void requireCapability(boolean supported, String what) {
    assumeTrue(supported, "skipped: the connector's Capabilities exclude " + what);
  }

  private MessageRef nextSource() {
    return ChannelRef.of("tck-origin", "origin-channel").message("source-" + deliveries.incrementAndGet());
  }

  private OriginMarker nextOrigin() {
    return new OriginMarker(RELAY_ID, "delivery-" + deliveries.incrementAndGet());
  }

  private OutboundMessage outbound(Connector connector, RichText text, @Nullable MessageRef replyTo,
      @Nullable MessageRef threadRoot) {
    return new OutboundMessage(ChannelRef.of(connector.id(), channel()), nextSource(), REMOTE_AUTHOR,
        connector.render(text), List.of(), replyTo, threadRoot, nextOrigin());
  }

  private MessageRef post(Connector connector, RichText text, @Nullable MessageRef replyTo,
      @Nullable MessageRef threadRoot) {
    MessageRef ref = block(connector.post(outbound(connector, text, replyTo, threadRoot)));
    assertThat(ref).as("the reference post() emitted").isNotNull();
    return Objects.requireNonNull(ref);
  }

  private <T> @Nullable T block(Mono<T> operation) {
    return operation.block(timeout());
  }

  private MessageCreated awaitCreated(InboundRecorder inbound, String messageId) {
    return inbound.await(MessageCreated.class,
        e -> e.channel().channelId().equals(channel()) && e.target().messageId().equals(messageId), timeout());
  }

  private List<String> createdIds(InboundRecorder inbound) {
    return inbound.messagesIn(channel()).stream().map(e -> e.target().messageId()).toList();
  }

  private SeenMessage awaitSeen(String messageId, Predicate<SeenMessage> condition, String what) {
    AtomicReference<@Nullable SeenMessage> found = new AtomicReference<>();
    AtomicReference<List<SeenMessage>> last = new AtomicReference<>(List.of());
    try {
      Awaitility.await().atMost(timeout()).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
        List<SeenMessage> history = fixture().history(channel());
        last.set(history);
        for (SeenMessage message : history) {
          if (message.id().equals(messageId) && !message.deleted() && condition.test(message)) {
            found.set(message);
            return true;
          }
        }
        return false;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("the platform did not show " + what + " (message " + messageId + ") within "
          + timeout() + "; the channel shows " + last.get(), e);
    }
    return Objects.requireNonNull(found.get());
  }

  private static boolean hasReaction(SeenMessage message, Emoji emoji) {
    return message.reactions().stream()
        .anyMatch(r -> r.equals(emoji.unicode()) || r.equals(emoji.name()) || r.equals(":" + emoji.name() + ":"));
  }

  private static boolean sameEmoji(Emoji actual, Emoji expected) {
    return Objects.equals(actual.unicode(), expected.unicode()) || actual.name().equals(expected.name());
  }

  private static boolean carriesOurMarker(InboundEvent event) {
    OriginMarker origin = null;
    if (event instanceof MessageCreated created) {
      origin = created.message().origin();
    } else if (event instanceof MessageEdited edited) {
      origin = edited.origin();
    }
    return origin != null && origin.relayId().equals(RELAY_ID);
  }
}
