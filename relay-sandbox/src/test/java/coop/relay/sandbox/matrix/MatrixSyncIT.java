package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /sync} and {@code /messages}: since/next_batch, long polls, limited timelines, gaps, filters. */
class MatrixSyncIT {
  static final String TOKEN = "syt_sync_bot";
  static final String V3 = "/_matrix/client/v3";

  private RelaySandbox sandbox;
  private MatrixEmulator matrix;
  private SandboxControl control;
  private MatrixClient bot;
  private SandboxUser alice;
  private SandboxChannel room;

  @BeforeEach
  void start() {
    matrix = MatrixEmulator.builder().bot("syncer", TOKEN).rateLimits(false).build();
    sandbox = RelaySandbox.builder().emulator(matrix).build();
    sandbox.start().block();
    control = sandbox.control("matrix");
    bot = new MatrixClient(sandbox.baseUrl("matrix"), TOKEN);
    alice = control.createUser(NewUser.named("Alice")).block();
    room = control.createChannel(NewChannel.named("Sync room")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private String post(String text) {
    return control.post(Post.of(room.id(), alice.id(), text)).block().messageId();
  }

  private JsonNode sync(String query) {
    return bot.get(V3 + "/sync" + query).ok();
  }

  private static String enc(String s) {
    return MatrixClient.seg(s);
  }

  private JsonNode timeline(JsonNode sync) {
    return sync.path("rooms").path("join").path(room.id()).path("timeline");
  }

  private static List<String> bodies(JsonNode events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> {
      if (e.path("type").asString().equals("m.room.message")) {
        out.add(e.path("content").path("body").asString());
      }
    });
    return out;
  }

  @Test
  void incrementalSyncsReturnEachEventExactlyOnce() {
    JsonNode initial = sync("");
    assertThat(initial.get("next_batch").asString()).isNotBlank();
    JsonNode state = initial.path("rooms").path("join").path(room.id());
    assertThat(state.path("summary").path("m.joined_member_count").asInt()).isEqualTo(1);
    List<String> types = new ArrayList<>();
    state.path("state").path("events").forEach(e -> types.add(e.get("type").asString()));
    state.path("timeline").path("events").forEach(e -> types.add(e.get("type").asString()));
    assertThat(types).contains("m.room.create", "m.room.power_levels", "m.room.name");

    String since = initial.get("next_batch").asString();
    post("one");
    post("two");
    post("three");
    JsonNode next = sync("?since=" + since);
    assertThat(bodies(timeline(next).get("events"))).containsExactly("one", "two", "three");
    assertThat(timeline(next).get("limited").asBoolean()).isFalse();
    List<String> memberships = new ArrayList<>();
    timeline(next).get("events").forEach(e -> {
      if (e.get("type").asString().equals("m.room.member")) {
        memberships.add(e.get("content").get("membership").asString());
      }
    });
    assertThat(memberships).as("alice was invited and joined before her first post").containsExactly("invite", "join");

    JsonNode empty = sync("?since=" + next.get("next_batch").asString());
    assertThat(empty.has("rooms")).isFalse();
    assertThat(empty.get("next_batch").asString()).isEqualTo(next.get("next_batch").asString());
    assertThat(bodies(timeline(sync("?since=" + since)).get("events"))).as("a token can be replayed")
        .containsExactly("one", "two", "three");
  }

  @Test
  void aLongPollIsAnsweredByTheNextEvent() throws Exception {
    post("already a member");
    String since = sync("").get("next_batch").asString();
    CompletableFuture<MatrixClient.Response> poll = bot.async("GET", V3 + "/sync?timeout=20000&since=" + since, null);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> !poll.isDone());

    post("wake up");

    JsonNode answer = poll.get(10, TimeUnit.SECONDS).ok();
    assertThat(bodies(timeline(answer).get("events"))).containsExactly("wake up");
  }

  @Test
  void aLongPollWithNothingNewEndsEmptyAtItsTimeout() {
    String since = sync("").get("next_batch").asString();
    JsonNode answer = sync("?timeout=200&since=" + since);
    assertThat(answer.has("rooms")).isFalse();
    assertThat(answer.get("next_batch").asString()).isEqualTo(since);
  }

  @Test
  void aLimitedTimelineLeavesAGapThatMessagesFillsExactly() {
    String filter = enc("{\"room\":{\"timeline\":{\"limit\":3}}}");
    String since = sync("?filter=" + filter).get("next_batch").asString();
    post("warm-up");
    since = sync("?filter=" + filter + "&since=" + since).get("next_batch").asString();
    for (int i = 1; i <= 8; i++) {
      post("m" + i);
    }
    JsonNode next = sync("?filter=" + filter + "&since=" + since);
    JsonNode timeline = timeline(next);
    assertThat(timeline.get("limited").asBoolean()).isTrue();
    assertThat(bodies(timeline.get("events"))).containsExactly("m6", "m7", "m8");
    String prevBatch = timeline.get("prev_batch").asString();

    JsonNode forward = bot.get(V3 + "/rooms/" + enc(room.id()) + "/messages?dir=f&limit=50&from=" + since + "&to=" + prevBatch).ok();
    assertThat(bodies(forward.get("chunk"))).containsExactly("m1", "m2", "m3", "m4", "m5");
    JsonNode backward = bot.get(V3 + "/rooms/" + enc(room.id()) + "/messages?dir=b&limit=50&from=" + prevBatch + "&to=" + since).ok();
    assertThat(bodies(backward.get("chunk"))).containsExactly("m5", "m4", "m3", "m2", "m1");
    assertThat(backward.has("end")).as("nothing more before since").isFalse();

    // Paging backwards two at a time walks the same gap.
    List<String> paged = new ArrayList<>();
    String from = prevBatch;
    for (int page = 0; page < 10 && from != null; page++) {
      JsonNode p = bot.get(V3 + "/rooms/" + enc(room.id()) + "/messages?dir=b&limit=2&from=" + from + "&to=" + since).ok();
      paged.addAll(bodies(p.get("chunk")));
      from = p.has("end") ? p.get("end").asString() : null;
    }
    assertThat(paged).containsExactly("m5", "m4", "m3", "m2", "m1");
  }

  @Test
  void aLimitedSyncCarriesTheStateChangesOfTheGap() {
    String filter = enc("{\"room\":{\"timeline\":{\"limit\":2}}}");
    String since = sync("?filter=" + filter).get("next_batch").asString();
    bot.put(V3 + "/rooms/" + enc(room.id()) + "/state/m.room.name/", Map.of("name", "Renamed")).ok();
    for (int i = 0; i < 4; i++) {
      post("after rename " + i);
    }
    JsonNode joined = sync("?filter=" + filter + "&since=" + since).path("rooms").path("join").path(room.id());
    assertThat(joined.path("timeline").path("limited").asBoolean()).isTrue();
    List<String> stateTypes = new ArrayList<>();
    joined.path("state").path("events").forEach(e -> stateTypes.add(e.get("type").asString()));
    assertThat(stateTypes).contains("m.room.name", "m.room.member");
    joined.path("state").path("events").forEach(e -> {
      if (e.get("type").asString().equals("m.room.name")) {
        assertThat(e.get("content").get("name").asString()).isEqualTo("Renamed");
      }
    });
  }

  @Test
  void storedAndInlineFiltersSelectEventTypes() {
    JsonNode created = bot.post(V3 + "/user/" + enc("@syncer:sandbox.local") + "/filter",
        Map.of("room", Map.of("timeline", Map.of("types", List.of("m.room.message")), "state", Map.of("types", List.of("m.room.name"))))).ok();
    String filterId = created.get("filter_id").asString();
    assertThat(filterId).doesNotStartWith("{");
    assertThat(bot.get(V3 + "/user/" + enc("@syncer:sandbox.local") + "/filter/" + filterId).ok()
        .get("room").get("timeline").get("types").get(0).asString()).isEqualTo("m.room.message");
    MatrixClient.Response foreign = bot.post(V3 + "/user/" + enc(alice.id()) + "/filter", Map.of());
    assertThat(foreign.status()).isEqualTo(403);

    String since = sync("").get("next_batch").asString();
    String target = post("react to me");
    control.react(room.id(), target, alice.id(), "👍").block();
    JsonNode onlyMessages = sync("?filter=" + filterId + "&since=" + since);
    assertThat(timeline(onlyMessages).get("events")).allSatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("m.room.message"));
    JsonNode noReactions = sync("?filter=" + enc("{\"room\":{\"timeline\":{\"not_types\":[\"m.reaction\",\"m.room.member\"]}}}") + "&since=" + since);
    assertThat(timeline(noReactions).get("events")).extracting(e -> e.get("type").asString()).containsExactly("m.room.message");
    JsonNode wildcard = sync("?filter=" + enc("{\"room\":{\"timeline\":{\"types\":[\"m.reac*\"]}}}") + "&since=" + since);
    assertThat(timeline(wildcard).get("events")).extracting(e -> e.get("type").asString()).containsExactly("m.reaction");

    JsonNode initialFiltered = sync("?filter=" + filterId);
    JsonNode stateEvents = initialFiltered.path("rooms").path("join").path(room.id()).path("state").path("events");
    assertThat(stateEvents).extracting(e -> e.get("type").asString()).containsOnly("m.room.name");
    MatrixClient.Response unknownFilter = bot.get(V3 + "/sync?filter=999");
    assertThat(unknownFilter.status()).isEqualTo(404);
  }

  @Test
  void invitesAndLeavesHaveTheirOwnSections() {
    String aliceToken = matrix.login(alice.id()).block();
    MatrixClient aliceClient = bot.withToken(aliceToken);
    String roomId = bot.post(V3 + "/createRoom", Map.of("name", "Invite only")).ok().get("room_id").asString();
    String since = aliceClient.get(V3 + "/sync").ok().get("next_batch").asString();
    bot.post(V3 + "/rooms/" + enc(roomId) + "/invite", Map.of("user_id", alice.id())).ok();

    JsonNode invited = aliceClient.get(V3 + "/sync?since=" + since).ok();
    JsonNode inviteState = invited.path("rooms").path("invite").path(roomId).path("invite_state").path("events");
    assertThat(inviteState).extracting(e -> e.get("type").asString()).contains("m.room.name", "m.room.member");
    since = invited.get("next_batch").asString();

    aliceClient.post(V3 + "/rooms/" + enc(roomId) + "/join", Map.of()).ok();
    JsonNode joined = aliceClient.get(V3 + "/sync?since=" + since).ok();
    assertThat(joined.path("rooms").path("join").has(roomId)).isTrue();
    since = joined.get("next_batch").asString();

    aliceClient.post(V3 + "/rooms/" + enc(roomId) + "/leave", Map.of()).ok();
    JsonNode left = aliceClient.get(V3 + "/sync?since=" + since).ok();
    JsonNode leaveTimeline = left.path("rooms").path("leave").path(roomId).path("timeline").path("events");
    assertThat(leaveTimeline).extracting(e -> e.get("content").get("membership").asString()).containsExactly("leave");
    MatrixClient.Response history = aliceClient.get(V3 + "/rooms/" + enc(roomId) + "/messages?dir=b");
    assertThat(history.status()).as("a former member still reads up to their leaving").isEqualTo(200);
  }

  @Test
  void badTokensAndParametersAreRefused() {
    assertThat(bot.get(V3 + "/sync?since=garbage").errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(bot.get(V3 + "/rooms/" + enc(room.id()) + "/messages").errcode()).isEqualTo("M_MISSING_PARAM");
    assertThat(bot.get(V3 + "/sync?filter=" + enc("{\"room\":{\"timeline\":{\"limit\":0}}}")).errcode()).isEqualTo("M_BAD_JSON");
    MatrixClient stranger = bot.withToken(matrix.login(alice.id()).block());
    assertThat(stranger.get(V3 + "/rooms/" + enc(room.id()) + "/messages?dir=b").status()).isEqualTo(403);
  }
}
