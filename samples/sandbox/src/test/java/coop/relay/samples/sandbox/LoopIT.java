package coop.relay.samples.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.RelayEvent;
import coop.relay.core.Relay;
import coop.relay.core.RelayBuilder;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.Post;
import coop.relay.spi.Connector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loops over real emulators: relays whose bridges overlap must deliver every message once to every
 * room it should reach, never back into the room it came from, and never twice.
 *
 * <p>Two relays with their own bot accounts chain rooms A–B (relay one) and B–C (relay two): a
 * message in A reaches B through relay one, and relay two, seeing it in B as anybody's message,
 * carries it on to C. Room B must be on a platform whose bots see other bots' messages (Discord,
 * Slack or Matrix; Telegram bots never see bots). Two relays linking rooms in a cycle are not
 * tested: each relay would rightly relay the other's copies, since only a relay's own origin marks
 * its echoes. One relay with three bridges in a triangle (A–B, B–C, C–A) must still deliver once per
 * room.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoopIT {
  private static final Duration RELAYED = Duration.ofSeconds(30);
  private static final Duration QUIET = Duration.ofSeconds(2);

  private SandboxApp app;
  private final List<Relay> relays = new ArrayList<>();
  private final List<RelayEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    app = SandboxApp.builder().relay(false).build();
    app.start().block(Duration.ofMinutes(1));
  }

  @AfterEach
  void stopRelays() {
    for (Relay relay : relays) {
      relay.stop().block(Duration.ofSeconds(30));
    }
    relays.clear();
    events.clear();
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @ParameterizedTest(name = "relay two reads relay one''s copies on {0}")
  @ValueSource(strings = {"discord", "slack", "matrix"})
  void twoRelaysChainingRoomsDeliverEachMessageOnceToEveryRoomAndNeverEcho(String middle) {
    List<String> available = new ArrayList<>(app.connectorPlatforms());
    Assumptions.assumeTrue(available.contains(middle),
        "loop test through " + middle + " skipped: no " + middle + " connector in this build (it has " + available + ")");
    List<String> others = new ArrayList<>(available);
    others.remove(middle);
    String left = others.isEmpty() ? middle : others.get(0);
    String right = others.size() > 1 ? others.get(1) : left;

    Room a = room(left, "loop a");
    Room b = room(middle, "loop b");
    Room c = room(right, "loop c");
    System.out.printf("Loop test: relay one bridges %s and %s, relay two bridges %s and %s%n", a, b, b, c);
    start(relay("relay-one", 0, a, b));
    start(relay("relay-two", 1, b, c));

    String fromA = "said in A " + System.nanoTime();
    String fromB = "said in B " + System.nanoTime();
    String fromC = "said in C " + System.nanoTime();
    post(a, fromA);
    post(b, fromB);
    post(c, fromC);

    // A's message: one→B, two→C. B's: one→A, two→C. C's: two→B, one→A.
    awaitDeliveries(6);
    for (Room room : List.of(a, b, c)) {
      for (String text : List.of(fromA, fromB, fromC)) {
        await(text + " in " + room).atMost(RELAYED).until(() -> count(room, text) == 1);
      }
    }
    await("no further delivery, no echo").during(QUIET).atMost(QUIET.multipliedBy(5))
        .until(() -> deliveries() == 6 && history(a).size() == 3 && history(b).size() == 3 && history(c).size() == 3);
    assertThat(events).noneMatch(e -> e instanceof DeliveryFailed);

    // An edit in A follows to B (relay one) and from there to C (relay two, which sees relay one's edit).
    HistoryEntry original = history(a).stream().filter(m -> m.text().contains(fromA)).findFirst().orElseThrow();
    app.control(a.platform()).edit(a.id(), original.messageId(), app.people(a.platform()).get(0).id(), fromA + " (edited)")
        .block();
    for (Room room : List.of(b, c)) {
      await("the edit in " + room).atMost(RELAYED).until(() -> count(room, fromA + " (edited)") == 1);
    }
    await("each room still holds three messages").during(QUIET).atMost(QUIET.multipliedBy(5))
        .until(() -> history(a).size() == 3 && history(b).size() == 3 && history(c).size() == 3);
  }

  @Test
  void oneRelayWithThreeOverlappingBridgesDeliversOncePerRoom() {
    List<String> available = new ArrayList<>(app.connectorPlatforms());
    Assumptions.assumeTrue(!available.isEmpty(), "triangle test skipped: no connector in this build");
    Room a = room(available.get(0), "triangle a");
    Room b = room(available.get(1 % available.size()), "triangle b");
    Room c = room(available.get(2 % available.size()), "triangle c");
    Map<String, Connector> connectors = connectors(0, a, b, c);
    RelayBuilder builder = Relay.builder().relayId("triangle");
    connectors.values().forEach(builder::connector);
    builder.bridge("ab", s -> s.channel(a.connectorId(), a.id()).channel(b.connectorId(), b.id()));
    builder.bridge("bc", s -> s.channel(b.connectorId(), b.id()).channel(c.connectorId(), c.id()));
    builder.bridge("ca", s -> s.channel(c.connectorId(), c.id()).channel(a.connectorId(), a.id()));
    start(builder.build());

    String text = "one message, three bridges " + System.nanoTime();
    post(a, text);
    awaitDeliveries(2);
    await("no third delivery, no echo").during(QUIET).atMost(QUIET.multipliedBy(5))
        .until(() -> deliveries() == 2 && count(a, text) == 1 && count(b, text) == 1 && count(c, text) == 1);
  }

  /** A room of the test, on one platform. */
  private record Room(String platform, String connectorId, String id, String name) {
    @Override
    public String toString() {
      return platform + " \"" + name + "\"";
    }
  }

  private Room room(String platform, String name) {
    String id = app.control(platform).createChannel(NewChannel.named(name)).block().id();
    return new Room(platform, platform, id, name);
  }

  private Map<String, Connector> connectors(int bot, Room... rooms) {
    Map<String, Connector> out = new LinkedHashMap<>();
    for (Room room : rooms) {
      out.computeIfAbsent(room.connectorId(), id -> app.newConnector(room.platform(), id, bot).orElseThrow());
    }
    return out;
  }

  private Relay relay(String id, int bot, Room first, Room second) {
    RelayBuilder builder = Relay.builder().relayId(id);
    connectors(bot, first, second).values().forEach(builder::connector);
    return builder
        .bridge(id, s -> s.channel(first.connectorId(), first.id()).channel(second.connectorId(), second.id()))
        .build();
  }

  private void start(Relay relay) {
    relays.add(relay);
    relay.events().subscribe(events::add);
    relay.start().block(RELAYED);
  }

  private void post(Room room, String text) {
    app.control(room.platform()).post(Post.of(room.id(), app.people(room.platform()).get(0).id(), text)).block();
  }

  private void awaitDeliveries(int n) {
    await(n + " deliveries").atMost(RELAYED).until(() -> deliveries() >= n);
  }

  private long deliveries() {
    return events.stream().filter(e -> e instanceof Delivered).count();
  }

  private List<HistoryEntry> history(Room room) {
    return app.control(room.platform()).history(room.id()).collectList().block();
  }

  private long count(Room room, String text) {
    return history(room).stream().filter(m -> m.text().contains(text)).count();
  }
}
