package coop.relay.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.MessageCreated;
import coop.relay.discord.FakeDiscord.GatewayPeer;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The Gateway session against a scripted Gateway, in virtual time: heartbeat timing, the intents,
 * close codes, malformed dispatches and the outgoing event limit.
 */
class GatewayIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHANNEL = "111111111111111111";

  private final FakeDiscord discord = new FakeDiscord();
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final DiscordConnector connector = DiscordConnector.builder().id("dc").token(FakeDiscord.TOKEN)
      .baseUrl(discord.baseUrl()).scheduler(time).random(() -> 0.25).build();
  private InboundRecorder inbound;

  GatewayIT() throws Exception {}

  @AfterEach
  void close() {
    if (inbound != null) {
      inbound.close();
    }
    discord.close();
    time.dispose();
  }

  private GatewayPeer connect() {
    inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-g", cursors.scoped("dc"), Set.of(CHANNEL))));
    return peer(1);
  }

  private GatewayPeer peer(int number) {
    await().atMost(WAIT).until(() -> discord.peers().size() >= number && discord.peers().get(number - 1).isOpen());
    return discord.peers().get(number - 1);
  }

  private static String userMessage(String id, String content) {
    return "{\"id\":\"" + id + "\",\"channel_id\":\"" + CHANNEL + "\",\"type\":0,\"content\":\"" + content + "\","
        + "\"timestamp\":\"2024-05-01T10:00:00+00:00\",\"author\":{\"id\":\"42\",\"username\":\"alice\"},"
        + "\"attachments\":[],\"mentions\":[]}";
  }

  @Test
  void identifiesWithTheBridgesIntentsAndHeartbeatsAfterTheJitteredInterval() {
    GatewayPeer peer = connect();
    peer.hello(1000);
    await().atMost(WAIT).until(() -> peer.received(2).size() == 1);

    assertThat(peer.received(2).get(0).path("d").path("intents").asInt()).isEqualTo(1 | 512 | 1024 | 32768);
    assertThat(peer.received(2).get(0).path("d").path("token").asString()).isEqualTo(FakeDiscord.TOKEN);
    time.advanceTimeBy(Duration.ofMillis(249));
    assertThat(peer.received(1)).as("no heartbeat before interval x jitter").isEmpty();
    time.advanceTimeBy(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> peer.received(1).size() == 1);
    peer.ready("session-1", 1);
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
    peer.dispatch("MESSAGE_CREATE", 2, userMessage("500", "hello **there**"));
    inbound.await(MessageCreated.class, e -> e.target().messageId().equals("500"), WAIT);
    peer.ack();
    await().atMost(WAIT).until(() -> cursors.snapshot("dc").getOrDefault("sequence", "").equals("2"));
    time.advanceTimeBy(Duration.ofMillis(1000));

    await().atMost(WAIT).until(() -> peer.received(1).size() == 2);
    assertThat(peer.received(1).get(1).path("d").asLong()).as("the heartbeat carries the last sequence").isEqualTo(2);
    assertThat(cursors.snapshot("dc")).containsEntry("session_id", "session-1");
  }

  @Test
  void aZombieConnectionIsDroppedAndTheSessionResumed() {
    GatewayPeer first = connect();
    first.hello(1000);
    await().atMost(WAIT).until(() -> first.received(2).size() == 1);
    first.ready("session-z", 7);
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
    time.advanceTimeBy(Duration.ofMillis(250));
    await().atMost(WAIT).until(() -> first.received(1).size() == 1);

    time.advanceTimeBy(Duration.ofMillis(1000)); // no ACK came for the first heartbeat
    GatewayPeer second = peer(2);
    second.hello(1000);
    await().atMost(WAIT).until(() -> second.received(6).size() == 1);

    assertThat(second.received(6).get(0).path("d").path("session_id").asString()).isEqualTo("session-z");
    assertThat(second.received(6).get(0).path("d").path("seq").asLong()).isEqualTo(7);
    await().atMost(WAIT).until(first::isClosed);
  }

  @Test
  void aMalformedDispatchIsSkippedAndTheStreamGoesOn() {
    GatewayPeer peer = connect();
    peer.hello(45_000);
    await().atMost(WAIT).until(() -> peer.received(2).size() == 1);
    peer.ready("s", 1);
    peer.dispatch("MESSAGE_CREATE", 2, "{\"channel_id\":\"" + CHANNEL + "\",\"content\":\"no id\"}");
    peer.send("{\"t\":\"MESSAGE_CREATE\",\"s\":3,\"op\":0,\"d\":{\"id\":");
    peer.dispatch("MESSAGE_CREATE", 4, userMessage("501", "after"));

    inbound.await(MessageCreated.class, e -> e.target().messageId().equals("501"), WAIT);

    assertThat(inbound.events(MessageCreated.class)).hasSize(1);
    assertThat(inbound.error()).isNull();
  }

  @Test
  void closeCode4004RejectsTheToken() {
    GatewayPeer peer = connect();
    peer.close(4004, "Authentication failed.");

    await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("4004").hasMessageNotContaining(FakeDiscord.TOKEN);
  }

  @Test
  void closeCode4014NamesThePrivilegedIntentAndWhereToEnableIt() {
    GatewayPeer peer = connect();
    peer.close(4014, "Disallowed intent(s).");

    await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("Message Content Intent").hasMessageContaining("Developer Portal");
  }

  @Test
  void otherCloseCodesReconnectAndReportIt() {
    GatewayPeer first = connect();
    first.hello(45_000);
    await().atMost(WAIT).until(() -> first.received(2).size() == 1);
    first.ready("s", 1);
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
    int before = inbound.size();

    first.close(4000, "Unknown error");
    inbound.awaitStateFrom(before, ConnectorState.RECONNECTING, WAIT);
    time.advanceTimeBy(Duration.ofSeconds(2));

    GatewayPeer second = peer(2);
    second.hello(45_000);
    await().atMost(WAIT).until(() -> second.received(6).size() == 1);
    assertThat(inbound.error()).isNull();
  }

  @Test
  void outgoingEventsStayUnder120PerMinute() {
    GatewayPeer peer = connect();
    peer.hello(100_000); // one heartbeat of its own in the first minute, which the peer never acknowledges
    await().atMost(WAIT).until(() -> peer.received(2).size() == 1);
    for (int i = 0; i < 150; i++) {
      peer.send("{\"op\":1,\"d\":null}");
    }

    await().atMost(WAIT).until(() -> peer.received(1).size() == 119);
    time.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(peer.received()).as("identify and heartbeats in the first minute").hasSize(120);
    time.advanceTimeBy(Duration.ofSeconds(31));
    await().atMost(WAIT).until(() -> peer.received(1).size() == 151);
  }
}
