package coop.relay.samples.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.Direction;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.Post;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox app over real HTTP: what the page loads, the relay's event stream, and an emulator
 * taken down and brought back from the page's buttons (reconnect, and catch-up with nothing lost).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxAppIT {
  private static final Duration RELAYED = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final List<JsonNode> relayEvents = new CopyOnWriteArrayList<>();
  private SandboxApp app;
  private CompletableFuture<?> following;

  @BeforeAll
  void start() {
    app = SandboxApp.builder().build();
    app.start().block(Duration.ofMinutes(1));
    following = http.sendAsync(get("api/events"), HttpResponse.BodyHandlers.ofLines())
        .thenAccept(res -> res.body()
            .filter(line -> line.startsWith("data: "))
            .forEach(line -> relayEvents.add(json.readTree(line.substring(6)))));
  }

  @AfterAll
  void stop() {
    if (following != null) {
      following.cancel(true);
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void thePageAndItsFilesAreServed() throws Exception {
    HttpResponse<String> page = http.send(get(""), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<title>Relay sandbox</title>", "/static/app.js", "/static/markup.js", "/static/style.css");
    for (String file : List.of("app.js", "markup.js", "style.css")) {
      assertThat(http.send(get("static/" + file), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as(file).isEqualTo(200);
    }
    assertThat(http.send(get("static/..%2Fpom.xml"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    HttpResponse<String> avatar = http.send(get("avatars/alice.svg"), HttpResponse.BodyHandlers.ofString());
    assertThat(avatar.body()).startsWith("<svg").contains(">A</text>");
  }

  @Test
  void theConfigurationNamesEveryPlatformItsEmulatorRoomsAndPeople() throws Exception {
    JsonNode config = json.readTree(http.send(get("api/config"), HttpResponse.BodyHandlers.ofString()).body());
    List<String> platforms = new ArrayList<>();
    for (JsonNode p : config.get("platforms")) {
      String platform = p.get("platform").asString();
      platforms.add(platform);
      assertThat(p.get("emulatorUrl").asString()).isEqualTo(app.emulatorUrl(platform));
      assertThat(p.get("people")).hasSize(2);
      assertThat(p.get("rooms")).hasSize(2);
      assertThat(p.get("rooms").get(0).get("channelId").asString()).isEqualTo(app.room(platform, SandboxApp.COOP).channelId());
      assertThat(p.get("bridged").asBoolean()).isEqualTo(app.bridgedPlatforms().contains(platform));
      // The page reads the emulator's control API from another origin.
      HttpResponse<String> control = http.send(
          HttpRequest.newBuilder(URI.create(app.emulatorUrl(platform) + "/_sandbox")).header("Origin", app.pageUrl()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(control.body()).contains("\"" + platform + "\"");
      assertThat(control.headers().firstValue("access-control-allow-origin")).hasValue("*");
    }
    assertThat(platforms).containsExactly("telegram", "discord", "slack", "matrix");
  }

  @Test
  void theRelayEventStreamStartsWithASnapshotAndReportsConnectorStates() {
    await().atMost(RELAYED).until(() -> !relayEvents.isEmpty());
    assertThat(relayEvents.get(0).get("type").asString()).isEqualTo("snapshot");
    for (String platform : app.connectorPlatforms()) {
      await("the " + platform + " connector reported connected").atMost(RELAYED)
          .until(() -> connectorState(app.connectorId(platform)).equals("CONNECTED"));
    }
  }

  @ParameterizedTest(name = "{0} taken down and brought back")
  @ValueSource(strings = {"telegram", "discord", "slack", "matrix"})
  void aPlatformTakenDownFromThePageReconnectsAndCatchesUpWithNothingLost(String down) throws Exception {
    Set<String> bridged = app.bridgedPlatforms();
    Assumptions.assumeTrue(app.connectorPlatforms().contains(down),
        "outage test of " + down + " skipped: its connector is not in this build (it has " + app.connectorPlatforms() + ")");
    String connector = app.connectorId(down);
    await().atMost(RELAYED).until(() -> connectorState(connector).equals("CONNECTED"));

    assertThat(http.send(post("api/emulators/" + down + "/stop"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    assertThat(app.sandbox().isRunning(down)).isFalse();
    await("the connector noticed the outage").atMost(RELAYED)
        .until(() -> connectorState(connector).equals("RECONNECTING"));
    assertThat(relayEvents).anyMatch(e -> e.get("type").asString().equals("emulator")
        && e.get("platform").asString().equals(down) && !e.get("running").asBoolean());

    // Messages posted elsewhere while it is down wait in the relay's queue.
    List<String> sent = new ArrayList<>();
    for (String other : bridged) {
      if (!other.equals(down)) {
        String text = "sent while " + down + " was down, from " + other + " " + System.nanoTime();
        app.control(other).post(Post.of(app.room(other, SandboxApp.COOP).channelId(),
            app.people(other).get(0).id(), text)).block();
        sent.add(text);
      }
    }

    assertThat(http.send(post("api/emulators/" + down + "/start"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    await("the connector is back").atMost(RELAYED).until(() -> connectorState(connector).equals("CONNECTED"));
    String room = app.room(down, SandboxApp.COOP).channelId();
    for (String text : sent) {
      await("\"" + text + "\" caught up").atMost(RELAYED).until(() -> history(down, room).stream()
          .filter(m -> m.text().contains(text)).count() == 1);
    }
    assertThat(history(down, room).stream().filter(m -> sent.stream().anyMatch(t -> m.text().contains(t))))
        .as("each message arrived exactly once").hasSize(sent.size());
  }

  @Test
  void announcementsGoOutFromTheirRoomAndNothingComesBack() {
    Set<String> bridged = app.bridgedPlatforms();
    Assumptions.assumeTrue(bridged.size() >= 2,
        "announcements test skipped: it needs two bridged platforms, and this build bridges " + bridged);
    String announcer = bridged.stream()
        .filter(p -> app.room(p, SandboxApp.ANNOUNCEMENTS).direction() == Direction.IN)
        .findFirst().orElseThrow(() -> new AssertionError("no announcements room is read by the relay"));
    assertThat(bridged).allSatisfy(p -> assertThat(app.room(p, SandboxApp.ANNOUNCEMENTS).direction())
        .isEqualTo(p.equals(announcer) ? Direction.IN : Direction.OUT));

    String news = "The general assembly is on the 12th";
    post(announcer, SandboxApp.ANNOUNCEMENTS, news);
    for (String p : bridged) {
      if (!p.equals(announcer)) {
        await("the announcement on " + p).atMost(RELAYED)
            .until(() -> count(p, SandboxApp.ANNOUNCEMENTS, news) == 1);
      }
    }

    String other = bridged.stream().filter(p -> !p.equals(announcer)).findFirst().orElseThrow();
    String answer = "Can we move it to the 13th?";
    HistoryEntry posted = post(other, SandboxApp.ANNOUNCEMENTS, answer);
    await("the relay read it and routed it nowhere").atMost(RELAYED).until(() -> relayEvents.stream().anyMatch(e ->
        e.get("type").asString().equals("dropped") && e.get("reason").asString().equals("NO_ROUTE")
            && e.get("from").get("message").asString().equals(posted.messageId())));
    for (String p : bridged) {
      assertThat(count(p, SandboxApp.ANNOUNCEMENTS, answer)).as(p).isEqualTo(p.equals(other) ? 1 : 0);
    }
  }

  @Test
  void unknownPlatformsAndActionsAreRefused() throws Exception {
    assertThat(http.send(post("api/emulators/myspace/stop"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(http.send(post("api/emulators/telegram/explode"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  private String connectorState(String connectorId) {
    String state = "";
    for (JsonNode e : relayEvents) {
      if (e.get("type").asString().equals("state") && e.get("connector").asString().equals(connectorId)) {
        state = e.get("state").asString();
      } else if (e.get("type").asString().equals("snapshot") && e.get("connectors").has(connectorId)) {
        state = e.get("connectors").get(connectorId).get("state").asString();
      }
    }
    return state;
  }

  private HistoryEntry post(String platform, String bridge, String text) {
    return app.control(platform).post(Post.of(app.room(platform, bridge).channelId(),
        app.people(platform).get(0).id(), text)).block();
  }

  private long count(String platform, String bridge, String text) {
    return history(platform, app.room(platform, bridge).channelId()).stream()
        .filter(m -> m.text().contains(text)).count();
  }

  private List<HistoryEntry> history(String platform, String channelId) {
    return app.control(platform).history(channelId).collectList().block();
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(app.pageUrl() + path)).build();
  }

  private HttpRequest post(String path) {
    return HttpRequest.newBuilder(URI.create(app.pageUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build();
  }
}
