package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.ReactionAdded;
import coop.relay.slack.SlackConnector;
import coop.relay.spi.Backoff;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket Mode over a real WebSocket against a scripted Slack. */
class SocketModeIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private FakeSlack slack;
  private SlackConnector connector;
  private InboundRecorder inbound;

  @BeforeEach
  void setUp() throws Exception {
    slack = new FakeSlack();
    connector = SlackConnector.builder().id("sl").baseUrl(slack.baseUrl()).botToken("xoxb-test").appToken("xapp-test")
        .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.0))
        .build();
  }

  @AfterEach
  void tearDown() {
    if (inbound != null) {
      inbound.close();
    }
    connector.close().block(WAIT);
    slack.close();
  }

  private InboundRecorder connect() {
    inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-1", new InMemoryCursorStore().scoped("sl"), Set.of("C1"))));
    return inbound;
  }

  @Test
  void helloConnectsAndEveryEnvelopeIsAcknowledgedAndRelayedWithTheAuthorsProfile() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket socket = slack.awaitSocket(1);

    socket.envelope("env-1", Callbacks.message("Ev1", "C1", "U1", "1700000001.000100", "hi *there*"), 0);
    socket.envelope("env-2", Callbacks.reaction("Ev2", true, "C1", "U1", "1700000001.000100", "tada",
        "1700000002.000100"), 0);

    MessageCreated created = inbound.await(MessageCreated.class, m -> true, WAIT);
    ReactionAdded reaction = inbound.await(ReactionAdded.class, r -> true, WAIT);
    assertThat(created.message().text().plainText()).isEqualTo("hi there");
    assertThat(created.message().author().displayName()).isEqualTo("Ada");
    assertThat(created.message().author().avatarUrl()).isEqualTo("https://example.org/ada.png");
    assertThat(reaction.emoji().unicode()).isEqualTo("🎉");
    assertThat(reaction.user().displayName()).isEqualTo("Ada");
    Awaitility.await().atMost(WAIT).until(() -> socket.acknowledged("env-1") && socket.acknowledged("env-2"));
    assertThat(slack.calls("apps.connections.open")).singleElement()
        .extracting(FakeSlack.Call::authorization).isEqualTo("Bearer xapp-test");
    assertThat(slack.calls("auth.test")).singleElement()
        .extracting(FakeSlack.Call::authorization).isEqualTo("Bearer xoxb-test");
    assertThat(slack.calls("users.info")).as("users.info is cached").hasSize(1);
  }

  @Test
  void ownPostsAndThisRelaysCopiesAreNotRelayedButOtherRelaysCopiesAre() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket socket = slack.awaitSocket(1);

    socket.envelope("e1", Callbacks.message("Ev1", "C1", FakeSlack.BOT_USER, "1700000001.000001", "from our bot user"), 0);
    socket.envelope("e2", Callbacks.botPost("Ev2", "C1", "1700000001.000002", "our relay's copy", "relay-1.d-9"), 0);
    socket.envelope("e3", Callbacks.botPost("Ev3", "C1", "1700000001.000003", "another relay's copy", "relay-2.d-1"), 0);
    socket.envelope("e4", Callbacks.reaction("Ev4", true, "C1", FakeSlack.BOT_USER, "1700000001.000003", "eyes",
        "1700000001.000004"), 0);
    socket.envelope("e5", Callbacks.message("Ev5", "C1", "U1", "1700000001.000005", "fence"), 0);

    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("fence"), WAIT);
    assertThat(inbound.messagesIn("C1")).extracting(m -> m.message().text().plainText())
        .containsExactly("another relay's copy", "fence");
    assertThat(inbound.messagesIn("C1").get(0).message().origin()).isNotNull()
        .satisfies(o -> assertThat(o.relayId()).isEqualTo("relay-2"));
    assertThat(inbound.events(ReactionAdded.class)).isEmpty();
  }

  @Test
  void socketDroppedMidEnvelopeRedeliveryIsRelayedOnce() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket first = slack.awaitSocket(1);
    first.envelope("e1", Callbacks.message("Ev1", "C1", "U1", "1700000001.000001", "one"), 0);
    inbound.await(MessageCreated.class, m -> true, WAIT);
    int before = inbound.size();

    // The connection ends before Slack saw the acknowledgement: Slack delivers the envelope again.
    first.drop();
    inbound.awaitStateFrom(before, ConnectorState.RECONNECTING, WAIT);
    FakeSlack.Socket second = slack.awaitSocket(2);
    second.envelope("e1", Callbacks.message("Ev1", "C1", "U1", "1700000001.000001", "one"), 1);
    second.envelope("e2", Callbacks.message("Ev2", "C1", "U1", "1700000001.000002", "two"), 0);

    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("two"), WAIT);
    assertThat(inbound.messagesIn("C1")).extracting(m -> m.message().ref().messageId())
        .containsExactly("1700000001.000001", "1700000001.000002");
    Awaitility.await().atMost(WAIT).until(() -> second.acknowledged("e1") && second.acknowledged("e2"));
    assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
        .containsExactly(ConnectorState.CONNECTED, ConnectorState.RECONNECTING, ConnectorState.CONNECTED);
  }

  @Test
  void refreshOpensTheNextConnectionBeforeTheOldOneClosesAndLosesNothing() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket old = slack.awaitSocket(1);

    old.disconnect("refresh_requested");
    FakeSlack.Socket next = slack.awaitSocket(2);
    assertThat(old.isOpen()).as("the old connection while the next one opens").isTrue();
    // Slack may still deliver on the old connection until it closes it.
    old.envelope("e1", Callbacks.message("Ev1", "C1", "U1", "1700000001.000001", "on the old one"), 0);
    next.envelope("e2", Callbacks.message("Ev2", "C1", "U1", "1700000001.000002", "on the new one"), 0);

    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("on the new one"), WAIT);
    inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("on the old one"), WAIT);
    Awaitility.await().atMost(WAIT).until(() -> old.acknowledged("e1") && next.acknowledged("e2"));
    // The retired connection is closed by the client after a grace period; no outage is reported.
    Awaitility.await().atMost(WAIT).until(() -> !old.isOpen());
    assertThat(old.closedByClient()).isTrue();
    assertThat(next.isOpen()).isTrue();
    assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
        .containsExactly(ConnectorState.CONNECTED);
  }

  @Test
  void aMalformedFrameAndAnUnusableEventAreSkippedAndTheStreamGoesOn() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket socket = slack.awaitSocket(1);

    socket.send("this is not JSON");
    socket.send("[1,2,3]");
    socket.envelope("bad", Callbacks.callback("EvBad", "{\"type\":\"message\",\"user\":\"U1\",\"text\":\"no channel\"}"), 0);
    socket.envelope("good", Callbacks.message("EvGood", "C1", "U1", "1700000001.000009", "after"), 0);

    inbound.await(MessageCreated.class, m -> true, WAIT);
    assertThat(inbound.messagesIn("C1")).extracting(m -> m.message().text().plainText()).containsExactly("after");
    assertThat(socket.acknowledged("bad")).as("even an unusable envelope is acknowledged").isTrue();
    assertThat(inbound.error()).isNull();
  }

  @Test
  void aRejectedAppTokenEndsTheStream() {
    slack.fail("apps.connections.open", "invalid_auth");

    connect();

    Awaitility.await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("app-level token").hasMessageNotContaining("xapp-test");
  }

  @Test
  void aRejectedBotTokenEndsTheStream() {
    slack.fail("auth.test", "invalid_auth");

    connect();

    Awaitility.await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(CredentialsRejectedException.class).hasMessageNotContaining("xoxb-test");
  }

  @Test
  void slackBeingUnreachableAtFirstIsReportedAndRetried() {
    slack.enqueue("auth.test", new mockwebserver3.MockResponse.Builder().code(503).build());
    slack.enqueue("apps.connections.open", new mockwebserver3.MockResponse.Builder().code(502).build());

    connect().awaitState(ConnectorState.CONNECTED, WAIT);

    assertThat(inbound.events(ConnectorStateChanged.class)).extracting(ConnectorStateChanged::state)
        .containsExactly(ConnectorState.RECONNECTING, ConnectorState.CONNECTED);
    assertThat(slack.calls("auth.test")).hasSize(2);
    assertThat(slack.calls("apps.connections.open")).hasSize(2);
  }

  @Test
  void socketModeDisabledForTheAppIsAConfigurationError() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);

    slack.awaitSocket(1).disconnect("link_disabled");

    Awaitility.await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Socket Mode");
  }

  @Test
  void cancellingClosesTheConnection() {
    connect().awaitState(ConnectorState.CONNECTED, WAIT);
    FakeSlack.Socket socket = slack.awaitSocket(1);

    inbound.close();

    Awaitility.await().atMost(WAIT).until(() -> !socket.isOpen());
    assertThat(socket.closedByClient()).isTrue();
    assertThat(List.of(slack.socketCount())).containsExactly(1);
  }
}
