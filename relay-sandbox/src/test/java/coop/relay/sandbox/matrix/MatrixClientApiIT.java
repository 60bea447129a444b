package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The emulated client-server API over real HTTP, every answer and event checked against the spec. */
class MatrixClientApiIT {
  static final String TOKEN = "syt_relay_secret";
  static final String V3 = "/_matrix/client/v3";

  private RelaySandbox sandbox;
  private MatrixEmulator matrix;
  private SandboxControl control;
  private MatrixClient bot;
  private MatrixClient alice;
  private SandboxUser aliceUser;
  private SandboxChannel room;

  @BeforeEach
  void start() {
    matrix = MatrixEmulator.builder().bot("relay", TOKEN, "Relay").rateLimits(false).build();
    sandbox = RelaySandbox.builder().emulator(matrix).build();
    sandbox.start().block();
    control = sandbox.control("matrix");
    bot = new MatrixClient(sandbox.baseUrl("matrix"), TOKEN);
    aliceUser = control.createUser(NewUser.named("Alice").withUsername("alice")).block();
    alice = new MatrixClient(sandbox.baseUrl("matrix"), matrix.login(aliceUser.id()).block());
    room = control.createChannel(NewChannel.named("Coop chat")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private static String room(String roomId) {
    return V3 + "/rooms/" + MatrixClient.seg(roomId);
  }

  private String send(MatrixClient client, String roomId, String txnId, Map<String, ?> content) {
    return client.put(room(roomId) + "/send/m.room.message/" + txnId, content).ok().get("event_id").asString();
  }

  @Test
  void versionsAndTokenOwner() {
    JsonNode versions = new MatrixClient(sandbox.baseUrl("matrix"), null).get("/_matrix/client/versions").ok();
    assertThat(versions.get("versions").toString()).contains("v1.11");

    JsonNode me = bot.get(V3 + "/account/whoami").ok();
    assertThat(me.get("user_id").asString()).isEqualTo("@relay:sandbox.local");
    assertThat(me.get("device_id").asString()).isNotBlank();

    MatrixClient.Response missing = bot.withToken(null).get(V3 + "/account/whoami");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.errcode()).isEqualTo("M_MISSING_TOKEN");
    MatrixClient.Response unknown = bot.withToken("syt_wrong").get(V3 + "/account/whoami");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
  }

  @Test
  void unknownRoutesAndMalformedBodiesGetStandardErrors() {
    MatrixClient.Response nowhere = bot.get(V3 + "/no/such/thing");
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.errcode()).isEqualTo("M_UNRECOGNIZED");
    MatrixClient.Response wrongMethod = bot.delete(V3 + "/sync");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errcode()).isEqualTo("M_UNRECOGNIZED");

    MatrixClient.Response notJson = bot.raw("PUT", room(room.id()) + "/send/m.room.message/t1",
        "{not json".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
    MatrixClient.Response array = bot.raw("PUT", room(room.id()) + "/send/m.room.message/t2",
        "[1,2]".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.errcode()).isEqualTo("M_BAD_JSON");

    MatrixClient.Response noRoom = bot.get(room("!nowhere:sandbox.local") + "/event/$nothing");
    assertThat(noRoom.status()).isEqualTo(404);
    assertThat(noRoom.errcode()).isEqualTo("M_NOT_FOUND");
  }

  @Test
  void aSendIsIdempotentPerDeviceAndTransactionId() {
    Map<String, Object> content = Map.of("msgtype", "m.text", "body", "hello");
    String first = send(bot, room.id(), "txn-1", content);
    String again = send(bot, room.id(), "txn-1", Map.of("msgtype", "m.text", "body", "a retry never posts twice"));
    assertThat(again).isEqualTo(first);
    assertThat(control.history(room.id()).collectList().block()).singleElement()
        .satisfies(e -> assertThat(e.text()).isEqualTo("hello"));

    String other = send(bot, room.id(), "txn-2", content);
    assertThat(other).isNotEqualTo(first);
    control.post(Post.of(room.id(), aliceUser.id(), "joining")).block();
    String alices = send(alice, room.id(), "txn-1", content);
    assertThat(alices).as("another device's transaction ids are its own").isNotEqualTo(first);

    JsonNode botView = bot.get(room(room.id()) + "/event/" + MatrixClient.seg(first)).ok();
    assertThat(botView.path("unsigned").path("transaction_id").asString()).isEqualTo("txn-1");
    JsonNode aliceView = alice.get(room(room.id()) + "/event/" + MatrixClient.seg(first)).ok();
    assertThat(aliceView.path("unsigned").has("transaction_id")).as("only the sending device sees it").isFalse();
  }

  @Test
  void roomsMembershipAndState() {
    JsonNode created = bot.post(V3 + "/createRoom", Map.of("name", "Garden", "room_alias_name", "garden",
        "preset", "private_chat")).ok();
    String roomId = created.get("room_id").asString();
    assertThat(roomId).startsWith("!").endsWith(":sandbox.local");

    MatrixClient.Response notInvited = alice.post(V3 + "/join/" + MatrixClient.seg("#garden:sandbox.local"), Map.of());
    assertThat(notInvited.status()).isEqualTo(403);
    assertThat(notInvited.errcode()).isEqualTo("M_FORBIDDEN");

    bot.post(room(roomId) + "/invite", Map.of("user_id", aliceUser.id())).ok();
    assertThat(alice.post(V3 + "/join/" + MatrixClient.seg("#garden:sandbox.local"), Map.of()).ok().get("room_id").asString())
        .isEqualTo(roomId);
    assertThat(bot.get(V3 + "/directory/room/" + MatrixClient.seg("#garden:sandbox.local")).ok().get("room_id").asString())
        .isEqualTo(roomId);

    JsonNode joined = bot.get(room(roomId) + "/joined_members").ok().get("joined");
    assertThat(joined.propertyNames()).containsExactlyInAnyOrder("@relay:sandbox.local", aliceUser.id());
    assertThat(joined.get(aliceUser.id()).get("display_name").asString()).isEqualTo("Alice");
    assertThat(alice.get(V3 + "/joined_rooms").ok().get("joined_rooms").toString()).contains(roomId);

    assertThat(bot.get(room(roomId) + "/state/m.room.name/").ok().get("name").asString()).isEqualTo("Garden");
    JsonNode powerLevels = bot.get(room(roomId) + "/state/m.room.power_levels").ok();
    assertThat(powerLevels.get("users").get("@relay:sandbox.local").asInt()).isEqualTo(100);
    JsonNode state = bot.get(room(roomId) + "/state").ok();
    List<String> types = new ArrayList<>();
    state.forEach(e -> types.add(e.get("type").asString()));
    assertThat(types).contains("m.room.create", "m.room.member", "m.room.power_levels", "m.room.join_rules", "m.room.name");

    MatrixClient.Response renameByAlice = alice.put(room(roomId) + "/state/m.room.name/", Map.of("name", "Mine"));
    assertThat(renameByAlice.status()).as("state needs power level 50").isEqualTo(403);
    bot.put(room(roomId) + "/state/m.room.name/", Map.of("name", "Vegetable garden")).ok();
    assertThat(bot.get(room(roomId) + "/state/m.room.name").ok().get("name").asString()).isEqualTo("Vegetable garden");

    alice.post(room(roomId) + "/leave", Map.of()).ok();
    MatrixClient.Response afterLeaving = alice.put(room(roomId) + "/send/m.room.message/x", Map.of("msgtype", "m.text", "body", "hi"));
    assertThat(afterLeaving.status()).isEqualTo(403);
    assertThat(afterLeaving.errcode()).isEqualTo("M_FORBIDDEN");
  }

  @Test
  void profileChangesReachEveryJoinedRoom() {
    control.post(Post.of(room.id(), aliceUser.id(), "hi")).block();
    alice.put(V3 + "/profile/" + MatrixClient.seg(aliceUser.id()) + "/displayname", Map.of("displayname", "Alice B.")).ok();
    assertThat(bot.get(V3 + "/profile/" + MatrixClient.seg(aliceUser.id())).ok().get("displayname").asString()).isEqualTo("Alice B.");
    assertThat(bot.get(V3 + "/profile/" + MatrixClient.seg(aliceUser.id()) + "/displayname").ok().get("displayname").asString())
        .isEqualTo("Alice B.");
    JsonNode member = bot.get(room(room.id()) + "/state/m.room.member/" + MatrixClient.seg(aliceUser.id()) + "?format=event").ok();
    assertThat(member.get("content").get("displayname").asString()).isEqualTo("Alice B.");
    assertThat(member.get("unsigned").get("prev_content").get("displayname").asString()).isEqualTo("Alice");

    MatrixClient.Response httpAvatar = alice.put(V3 + "/profile/" + MatrixClient.seg(aliceUser.id()) + "/avatar_url",
        Map.of("avatar_url", "https://example.org/a.png"));
    assertThat(httpAvatar.status()).isEqualTo(400);
    MatrixClient.Response someoneElse = alice.put(V3 + "/profile/%40relay%3Asandbox.local/displayname", Map.of("displayname", "x"));
    assertThat(someoneElse.status()).isEqualTo(403);
    assertThat(bot.get(V3 + "/profile/%40nobody%3Asandbox.local").status()).isEqualTo(404);
  }

  @Test
  void relationsAreStoredAsPlainEventsAndShapeTheHistory() {
    HistoryEntry question = control.post(Post.of(room.id(), aliceUser.id(), "Who brings <b>bread</b>?")).block();
    String answer = send(bot, room.id(), "r1", Map.of("msgtype", "m.text", "body", "I do",
        "m.relates_to", Map.of("m.in_reply_to", Map.of("event_id", question.messageId()))));
    bot.put(room(room.id()) + "/send/m.room.message/r2", Map.of("msgtype", "m.text", "body", "* I do, twice",
        "m.new_content", Map.of("msgtype", "m.text", "body", "I do, twice"),
        "m.relates_to", Map.of("rel_type", "m.replace", "event_id", answer))).ok();
    bot.put(room(room.id()) + "/send/m.reaction/r3",
        Map.of("m.relates_to", Map.of("rel_type", "m.annotation", "event_id", question.messageId(), "key", "👍"))).ok();
    MatrixClient.Response duplicate = bot.put(room(room.id()) + "/send/m.reaction/r4",
        Map.of("m.relates_to", Map.of("rel_type", "m.annotation", "event_id", question.messageId(), "key", "👍")));
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.errcode()).isEqualTo("M_DUPLICATE_ANNOTATION");
    send(bot, room.id(), "r5", Map.of("msgtype", "m.text", "body", "in the thread",
        "m.relates_to", Map.of("rel_type", "m.thread", "event_id", question.messageId(), "is_falling_back", true,
            "m.in_reply_to", Map.of("event_id", question.messageId()))));
    // An edit of someone else's message is not a valid replacement and changes nothing.
    send(bot, room.id(), "r6", Map.of("msgtype", "m.text", "body", "* hijacked",
        "m.new_content", Map.of("msgtype", "m.text", "body", "hijacked"),
        "m.relates_to", Map.of("rel_type", "m.replace", "event_id", question.messageId())));

    List<HistoryEntry> history = control.history(room.id()).collectList().block();
    assertThat(history).extracting(HistoryEntry::text).containsExactly("Who brings bread?", "I do, twice", "in the thread");
    assertThat(history.get(0).formatted()).isEqualTo("Who brings <b>bread</b>?");
    assertThat(history.get(0).edited()).isFalse();
    assertThat(history.get(0).reactions()).singleElement().satisfies(r -> {
      assertThat(r.emoji()).isEqualTo("👍");
      assertThat(r.userIds()).containsExactly("@relay:sandbox.local");
    });
    assertThat(history.get(1).replyTo()).isEqualTo(question.messageId());
    assertThat(history.get(1).edited()).isTrue();
    assertThat(history.get(2).threadId()).isEqualTo(question.messageId());
    assertThat(history.get(2).replyTo()).as("a thread's fallback reply is no reply").isNull();

    JsonNode original = bot.get(room(room.id()) + "/event/" + MatrixClient.seg(answer)).ok();
    assertThat(original.get("content").get("body").asString()).as("servers leave the original intact").isEqualTo("I do");
    assertThat(original.get("unsigned").get("m.relations").get("m.replace").get("content").get("m.new_content").get("body").asString())
        .isEqualTo("I do, twice");
  }

  @Test
  void redactionStripsTheEventAndNeedsPower() {
    String mine = send(bot, room.id(), "m1", Map.of("msgtype", "m.text", "body", "oops", "com.example.extra", "x"));
    HistoryEntry alices = control.post(Post.of(room.id(), aliceUser.id(), "mine")).block();
    MatrixClient.Response notAllowed = alice.put(room(room.id()) + "/redact/" + MatrixClient.seg(mine) + "/d1", Map.of());
    assertThat(notAllowed.status()).as("redacting others' events needs power level 50").isEqualTo(403);

    JsonNode redaction = bot.put(room(room.id()) + "/redact/" + MatrixClient.seg(mine) + "/d1", Map.of("reason", "typo")).ok();
    assertThat(bot.put(room(room.id()) + "/redact/" + MatrixClient.seg(mine) + "/d1", Map.of("reason", "typo")).ok())
        .as("idempotent").isEqualTo(redaction);
    JsonNode redacted = bot.get(room(room.id()) + "/event/" + MatrixClient.seg(mine)).ok();
    assertThat(redacted.get("content").isEmpty()).isTrue();
    assertThat(redacted.get("unsigned").get("redacted_because").get("content").get("reason").asString()).isEqualTo("typo");
    assertThat(redacted.get("unsigned").get("redacted_because").get("content").get("redacts").asString()).isEqualTo(mine);

    bot.put(room(room.id()) + "/send/m.room.redaction/d2", Map.of("redacts", alices.messageId())).ok();
    List<HistoryEntry> history = control.history(room.id()).collectList().block();
    assertThat(history).allSatisfy(e -> {
      assertThat(e.deleted()).isTrue();
      assertThat(e.text()).isEmpty();
    });
  }

  @Test
  void controlActionsArriveAsTheEventsAClientWouldSend() {
    HistoryEntry post = control.post(Post.of(room.id(), aliceUser.id(),
        "Hi <a href=\"https://matrix.to/#/@relay:sandbox.local\">Relay</a> &amp; <i>all</i>")).block();
    control.edit(room.id(), post.messageId(), aliceUser.id(), "Hi everyone").block();
    control.react(room.id(), post.messageId(), aliceUser.id(), "🎉").block();
    HistoryEntry root = control.createThread(room.id(), aliceUser.id(), "Planning").block();
    control.post(Post.of(room.id(), aliceUser.id(), "first step").withThread(root.messageId())).block();
    control.delete(room.id(), root.messageId(), aliceUser.id()).block();

    JsonNode chunk = bot.get(room(room.id()) + "/messages?dir=f&limit=100").ok().get("chunk");
    List<JsonNode> fromAlice = new ArrayList<>();
    chunk.forEach(e -> {
      if (e.get("sender").asString().equals(aliceUser.id()) && !e.get("type").asString().equals("m.room.member")) {
        fromAlice.add(e);
      }
    });
    assertThat(fromAlice).extracting(e -> e.get("type").asString())
        .containsExactly("m.room.message", "m.room.message", "m.reaction", "m.room.message", "m.room.message", "m.room.redaction");
    JsonNode message = fromAlice.get(0).get("content");
    assertThat(message.get("body").asString()).isEqualTo("Hi Relay & all");
    assertThat(message.get("format").asString()).isEqualTo("org.matrix.custom.html");
    assertThat(message.get("m.mentions").get("user_ids").get(0).asString()).isEqualTo("@relay:sandbox.local");
    JsonNode edit = fromAlice.get(1).get("content");
    assertThat(edit.get("body").asString()).isEqualTo("* Hi everyone");
    assertThat(edit.get("m.new_content").get("body").asString()).isEqualTo("Hi everyone");
    assertThat(edit.get("m.relates_to").get("rel_type").asString()).isEqualTo("m.replace");
    assertThat(fromAlice.get(2).get("content").get("m.relates_to").get("key").asString()).isEqualTo("🎉");
    JsonNode inThread = fromAlice.get(4).get("content").get("m.relates_to");
    assertThat(inThread.get("rel_type").asString()).isEqualTo("m.thread");
    assertThat(inThread.get("event_id").asString()).isEqualTo(root.messageId());
    assertThat(fromAlice.get(5).get("content").get("redacts").asString()).isEqualTo(root.messageId());
  }
}
