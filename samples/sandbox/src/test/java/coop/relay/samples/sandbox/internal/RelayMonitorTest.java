package coop.relay.samples.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.DeliveryRetried;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.Operation;
import coop.relay.api.event.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RelayMonitorTest {
  private static final ChannelRef TG = new ChannelRef("tg", "-1001");
  private static final ChannelRef DC = new ChannelRef("dc", "42");
  private static final MessageRef ORIGINAL = new MessageRef(TG, "7");
  private static final MessageRef COPY = new MessageRef(DC, "99");

  private final JsonMapper json = JsonMapper.builder().build();
  private final RelayMonitor monitor = new RelayMonitor(Map.of("tg", "telegram", "dc", "discord"));

  @Test
  void aFreshMonitorStartsFromAnEmptySnapshot() {
    JsonNode snapshot = monitor.snapshot();
    assertThat(snapshot.get("type").asString()).isEqualTo("snapshot");
    assertThat(snapshot.get("id").asLong()).isZero();
    assertThat(snapshot.get("counts").get("delivered").asLong()).isZero();
    assertThat(snapshot.get("latencies")).isEmpty();
  }

  @Test
  void eachRelayEventBecomesOneNumberedJsonEventNamingPlatformsAndRooms() {
    monitor.watch(Flux.just(
        received("Hello   there,\n everyone"),
        new Delivered(Operation.POST, ORIGINAL, COPY, Duration.ofMillis(12), 1),
        new DeliveryRetried(Operation.EDIT, ORIGINAL, DC, 1, Duration.ofSeconds(2), "HTTP 502"),
        new DeliveryFailed(Operation.DELETE, ORIGINAL, DC, 8, "gone"),
        new Dropped(new MessageCreated(message("echo")), Dropped.Reason.ECHO),
        ConnectorStateChanged.now("dc", ConnectorState.RECONNECTING, "gateway closed")));

    List<JsonNode> events = stream(7);
    assertThat(events).extracting(e -> e.get("type").asString())
        .containsExactly("snapshot", "received", "delivered", "retried", "failed", "dropped", "state");
    assertThat(events.subList(1, 7)).extracting(e -> e.get("id").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

    JsonNode received = events.get(1);
    assertThat(received.get("kind").asString()).isEqualTo("message");
    assertThat(received.get("author").asString()).isEqualTo("Ada");
    assertThat(received.get("text").asString()).as("white space folded for the log").isEqualTo("Hello there, everyone");
    assertThat(received.get("from").get("platform").asString()).isEqualTo("telegram");
    assertThat(received.get("from").get("channel").asString()).isEqualTo("-1001");

    JsonNode delivered = events.get(2);
    assertThat(delivered.get("operation").asString()).isEqualTo("POST");
    assertThat(delivered.get("latencyMs").asDouble()).isEqualTo(12.0);
    assertThat(delivered.get("to").get("platform").asString()).isEqualTo("discord");
    assertThat(delivered.get("to").get("message").asString()).isEqualTo("99");

    assertThat(events.get(3).get("delayMs").asLong()).isEqualTo(2000);
    assertThat(events.get(4).get("reason").asString()).isEqualTo("gone");
    assertThat(events.get(5).get("reason").asString()).isEqualTo("ECHO");
    assertThat(events.get(6).get("state").asString()).isEqualTo("RECONNECTING");
    assertThat(events.get(6).get("up").asBoolean()).isFalse();
  }

  @Test
  void theSnapshotCountsWhatHappenedAndKeepsTheLatestStateOfEachConnector() {
    monitor.watch(Flux.just(
        ConnectorStateChanged.now("tg", ConnectorState.STARTING, null),
        ConnectorStateChanged.now("tg", ConnectorState.CONNECTED, null),
        new Delivered(Operation.POST, ORIGINAL, COPY, Duration.ofMillis(5), 1),
        new Delivered(Operation.EDIT, ORIGINAL, COPY, Duration.ofMillis(7), 2)));
    monitor.emulator("telegram", false);

    JsonNode snapshot = monitor.snapshot();
    assertThat(snapshot.get("id").asLong()).isEqualTo(5);
    assertThat(snapshot.get("counts").get("delivered").asLong()).isEqualTo(2);
    assertThat(snapshot.get("counts").get("received").asLong()).isZero();
    assertThat(snapshot.get("connectors").get("tg").get("state").asString()).isEqualTo("CONNECTED");
    assertThat(snapshot.get("emulators").get("telegram").asBoolean()).isFalse();
    assertThat(snapshot.get("latencies")).extracting(JsonNode::asDouble).containsExactly(5.0, 7.0);
    assertThat(monitor.latencies()).containsExactly(5.0, 7.0);
  }

  @Test
  void aLatePageGetsTheSnapshotThenTheRecentEventsThenLiveOnes() {
    monitor.emulator("discord", true);
    List<JsonNode> first = stream(2);
    assertThat(first.get(0).get("id").asLong()).isEqualTo(1);
    assertThat(first.get(1).get("type").asString()).isEqualTo("emulator");

    StepVerifier.create(monitor.stream().map(json::readTree).map(n -> n.get("type").asString()))
        .expectNext("snapshot", "emulator")
        .then(() -> monitor.emulator("discord", false))
        .expectNext("emulator")
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  private List<JsonNode> stream(int n) {
    return monitor.stream().take(n).map(json::readTree).collectList().block(Duration.ofSeconds(5));
  }

  private static Received received(String text) {
    return new Received(new MessageCreated(message(text)));
  }

  private static Message message(String text) {
    Identity ada = new Identity(new UserRef("tg", "1"), "Ada", null, false, null);
    return Message.builder(ORIGINAL, ada).text(text).build();
  }
}
