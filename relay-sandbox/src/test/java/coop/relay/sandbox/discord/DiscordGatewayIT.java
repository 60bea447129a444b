package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Discord emulator's gateway over a real WebSocket, driven by a bare client. */
class DiscordGatewayIT {
  static final String TOKEN = "sandbox.bot-token.1";
  static final String NO_CONTENT_TOKEN = "sandbox.bot-token.2";
  // GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS | MESSAGE_CONTENT
  static final long INTENTS = 1 | (1 << 9) | (1 << 10) | (1 << 15);
  static final long WITHOUT_CONTENT = 1 | (1 << 9) | (1 << 10);

  private final DiscordSpec spec = DiscordSpec.load();
  private final List<GatewayClient> clients = new ArrayList<>();
  private RelaySandbox sandbox;
  private DiscordEmulator discord;
  private SandboxControl control;
  private SandboxUser alice;
  private SandboxChannel general;

  @BeforeEach
  void start() {
    discord = DiscordEmulator.builder()
        .bot(TOKEN, "Relay")
        .bot(NO_CONTENT_TOKEN, "Quiet", false)
        .heartbeatInterval(Duration.ofSeconds(30))
        .rateLimits(false)
        .build();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    control = sandbox.control("discord");
    alice = control.createUser(NewUser.named("Alice")).block();
    general = control.createChannel(NewChannel.named("general")).block();
  }

  @AfterEach
  void stop() {
    clients.forEach(GatewayClient::close);
    sandbox.close();
  }

  private GatewayClient connect(String url) {
    GatewayClient c = GatewayClient.connect(url);
    clients.add(c);
    return c;
  }

  private String gatewayUrl() {
    return new DiscordRest(discord.apiBaseUrl(), TOKEN).get("/gateway/bot").json().get("url").asString();
  }

  /** Connects, identifies and reads READY and GUILD_CREATE; returns the client and READY. */
  private record Session(GatewayClient client, JsonNode ready) {
    String id() {
      return ready.at("/d/session_id").asString();
    }
  }

  private Session identified(String token, long intents) {
    GatewayClient c = connect(gatewayUrl());
    JsonNode hello = c.expectOp(10);
    assertThat(hello.at("/d/heartbeat_interval").asLong()).isEqualTo(30_000);
    c.identify(token, intents);
    JsonNode ready = c.expectDispatch("READY");
    if ((intents & 1) != 0) {
      c.expectDispatch("GUILD_CREATE");
    }
    return new Session(c, ready);
  }

  private HistoryEntry post(String text) {
    return control.post(Post.of(general.id(), alice.id(), text)).block();
  }

  @Test
  void helloIdentifyReadyAndGuildCreate() {
    GatewayClient c = connect(gatewayUrl());
    JsonNode hello = c.expectOp(10);
    assertThat(hello.get("s").isNull()).isTrue();
    assertThat(hello.get("t").isNull()).isTrue();
    c.identify(TOKEN, INTENTS);
    JsonNode ready = c.expectDispatch("READY");
    assertThat(ready.get("s").asLong()).isEqualTo(1);
    assertThat(ready.at("/d/v").asInt()).isEqualTo(10);
    assertThat(ready.at("/d/session_id").asString()).hasSize(32);
    assertThat(ready.at("/d/resume_gateway_url").asString()).startsWith(sandbox.baseUrl("discord").replace("http", "ws"));
    assertThat(ready.at("/d/user/id").asString()).isEqualTo(discord.botUserId(TOKEN));
    assertThat(ready.at("/d/user/bot").asBoolean()).isTrue();
    assertThat(ready.at("/d/guilds/0/id").asString()).isEqualTo(discord.guildId());
    assertThat(ready.at("/d/guilds/0/unavailable").asBoolean()).isTrue();
    assertThat(spec.check("UserResponse", ready.at("/d/user"))).isEmpty();
    JsonNode guild = c.expectDispatch("GUILD_CREATE");
    assertThat(guild.get("s").asLong()).isEqualTo(2);
    assertThat(guild.at("/d/id").asString()).isEqualTo(discord.guildId());
    assertThat(guild.at("/d/channels/0/id").asString()).isEqualTo(general.id());
    assertThat(guild.at("/d/channels/0/name").asString()).isEqualTo("general");
  }

  @Test
  void heartbeatsAreAcknowledgedUntilTheEmulatorIsToldToStop() {
    Session s = identified(TOKEN, INTENTS);
    s.client().heartbeat(2L);
    s.client().expectOp(11);
    discord.heartbeatAcks(false).block();
    s.client().heartbeat(2L);
    post("after the unanswered heartbeat");
    // The next payload is the dispatch: the heartbeat got no ACK.
    s.client().expectDispatch("MESSAGE_CREATE");
    discord.heartbeatAcks(true).block();
    s.client().heartbeat(3L);
    s.client().expectOp(11);
    assertThat(discord.requestHeartbeat().block()).isEqualTo(1);
    s.client().expectOp(1);
  }

  @Test
  void peopleActingThroughTheControlApiProduceNumberedDispatches() {
    Session s = identified(TOKEN, INTENTS);
    HistoryEntry m = post("**bold** hi <@" + discord.botUserId(TOKEN) + ">");
    JsonNode created = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(created.get("s").asLong()).isEqualTo(3);
    JsonNode d = created.get("d");
    assertThat(d.get("id").asString()).isEqualTo(m.messageId());
    assertThat(d.get("content").asString()).isEqualTo("**bold** hi <@" + discord.botUserId(TOKEN) + ">");
    assertThat(d.get("guild_id").asString()).isEqualTo(discord.guildId());
    assertThat(d.at("/author/id").asString()).isEqualTo(alice.id());
    assertThat(d.has("member")).isTrue();
    assertThat(d.at("/mentions/0/id").asString()).isEqualTo(discord.botUserId(TOKEN));
    assertThat(spec.check("MessageResponse", d)).isEmpty();

    control.edit(general.id(), m.messageId(), alice.id(), "edited").block();
    JsonNode updated = s.client().expectDispatch("MESSAGE_UPDATE");
    assertThat(updated.get("s").asLong()).isEqualTo(4);
    assertThat(updated.at("/d/content").asString()).isEqualTo("edited");
    assertThat(updated.at("/d/edited_timestamp").isString()).isTrue();

    control.react(general.id(), m.messageId(), alice.id(), "👍").block();
    JsonNode added = s.client().expectDispatch("MESSAGE_REACTION_ADD");
    assertThat(added.at("/d/emoji/name").asString()).isEqualTo("👍");
    assertThat(added.at("/d/emoji/id").isNull()).isTrue();
    assertThat(added.at("/d/user_id").asString()).isEqualTo(alice.id());
    assertThat(added.at("/d/message_author_id").asString()).isEqualTo(alice.id());
    control.unreact(general.id(), m.messageId(), alice.id(), "👍").block();
    assertThat(s.client().expectDispatch("MESSAGE_REACTION_REMOVE").at("/d/message_id").asString()).isEqualTo(m.messageId());

    HistoryEntry reply = control.post(Post.of(general.id(), alice.id(), "re").withReplyTo(m.messageId())).block();
    JsonNode replyEvent = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(replyEvent.at("/d/type").asInt()).isEqualTo(19);
    assertThat(replyEvent.at("/d/message_reference/message_id").asString()).isEqualTo(m.messageId());
    assertThat(replyEvent.at("/d/referenced_message/content").asString()).isEqualTo("edited");

    HistoryEntry root = control.createThread(general.id(), alice.id(), "A thread").block();
    s.client().expectDispatch("MESSAGE_CREATE");
    JsonNode thread = s.client().expectDispatch("THREAD_CREATE");
    assertThat(thread.at("/d/id").asString()).isEqualTo(root.messageId());
    assertThat(thread.at("/d/type").asInt()).isEqualTo(11);
    assertThat(thread.at("/d/parent_id").asString()).isEqualTo(general.id());
    assertThat(thread.at("/d/newly_created").asBoolean()).isTrue();
    assertThat(s.client().expectDispatch("MESSAGE_UPDATE").at("/d/thread/id").asString()).isEqualTo(root.messageId());
    control.post(Post.of(general.id(), alice.id(), "inside").withThread(root.messageId())).block();
    assertThat(s.client().expectDispatch("MESSAGE_CREATE").at("/d/channel_id").asString()).isEqualTo(root.messageId());

    control.delete(general.id(), reply.messageId(), alice.id()).block();
    JsonNode deleted = s.client().expectDispatch("MESSAGE_DELETE");
    assertThat(deleted.at("/d/id").asString()).isEqualTo(reply.messageId());
    assertThat(deleted.at("/d/channel_id").asString()).isEqualTo(general.id());
  }

  @Test
  void restChangesByBotsAndWebhooksAreDispatchedToo() {
    Session s = identified(TOKEN, INTENTS);
    DiscordRest rest = new DiscordRest(discord.apiBaseUrl(), TOKEN);
    String messages = "/channels/" + general.id() + "/messages";
    JsonNode sent = rest.post(messages, Map.of("content", "from the bot", "nonce", "abc123")).json();
    JsonNode created = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(created.at("/d/id").asString()).isEqualTo(sent.get("id").asString());
    assertThat(created.at("/d/author/bot").asBoolean()).isTrue();
    assertThat(created.at("/d/nonce").asString()).isEqualTo("abc123");

    JsonNode hook = rest.post("/channels/" + general.id() + "/webhooks", Map.of("name", "Bridge")).json();
    rest.withToken(null).post("/webhooks/" + hook.get("id").asString() + "/" + hook.get("token").asString() + "?wait=true",
        Map.of("content", "puppet", "username", "Bob (Telegram)", "avatar_url", "https://example.org/bob.png"));
    JsonNode viaHook = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(viaHook.at("/d/webhook_id").asString()).isEqualTo(hook.get("id").asString());
    assertThat(viaHook.at("/d/author/username").asString()).isEqualTo("Bob (Telegram)");
    assertThat(viaHook.at("/d/author/id").asString()).isEqualTo(hook.get("id").asString());
    assertThat(viaHook.at("/d/author/avatar").isString()).isTrue();

    String a = rest.post(messages, DiscordRest.content("a")).json().get("id").asString();
    s.client().expectDispatch("MESSAGE_CREATE");
    String b = rest.post(messages, DiscordRest.content("b")).json().get("id").asString();
    s.client().expectDispatch("MESSAGE_CREATE");
    rest.post(messages + "/bulk-delete", Map.of("messages", List.of(a, b)));
    JsonNode bulk = s.client().expectDispatch("MESSAGE_DELETE_BULK");
    assertThat(bulk.at("/d/ids")).extracting(JsonNode::asString).containsExactly(a, b);
  }

  @Test
  void withoutTheMessageContentIntentContentIsEmptyUnlessTheBotIsMentioned() {
    Session s = identified(TOKEN, WITHOUT_CONTENT);
    post("secret");
    JsonNode plain = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(plain.at("/d/content").asString()).isEmpty();
    post("hey <@" + discord.botUserId(TOKEN) + ">");
    assertThat(s.client().expectDispatch("MESSAGE_CREATE").at("/d/content").asString()).startsWith("hey");
  }

  @Test
  void aPrivilegedIntentTheApplicationHasNotEnabledCloses4014() {
    GatewayClient c = connect(gatewayUrl());
    c.expectOp(10);
    c.identify(NO_CONTENT_TOKEN, INTENTS);
    assertThat(c.awaitClose().code()).isEqualTo(4014);
    Session allowed = identified(NO_CONTENT_TOKEN, WITHOUT_CONTENT);
    assertThat(allowed.ready().at("/d/user/username").asString()).isEqualTo("Quiet");
  }

  @Test
  void closeCodesForBadClients() {
    assertClosedWith(c -> c.identify("wrong.token.value", INTENTS), 4004);
    assertClosedWith(c -> c.identify(TOKEN, 1L << 40), 4013);
    assertClosedWith(c -> c.sendText("{\"op\":3,\"d\":{}}"), 4003);
    assertClosedWith(c -> c.sendText("{\"op\":99,\"d\":null}"), 4001);
    assertClosedWith(c -> c.sendText("not json"), 4002);
    assertClosedWith(c -> {
      c.identify(TOKEN, INTENTS);
      c.expectDispatch("READY");
      c.identify(TOKEN, INTENTS);
    }, 4005);
    assertClosedWith(c -> c.sendText("{\"op\":2,\"d\":{\"token\":\"" + TOKEN + "\",\"intents\":1,"
        + "\"properties\":{\"os\":\"linux\",\"browser\":\"t\",\"device\":\"t\"},\"shard\":[1,1]}}"), 4010);
    assertClosedWith(c -> {
      // Discord allows 120 gateway payloads per minute; the 121st closes the connection.
      for (int i = 0; i < 121 && !c.isClosed(); i++) {
        c.heartbeat(null);
      }
    }, 4008);
    GatewayClient badVersion = GatewayClient.connect(gatewayUrl(), "/?v=6&encoding=json");
    clients.add(badVersion);
    assertThat(badVersion.awaitClose().code()).isEqualTo(4012);
  }

  private void assertClosedWith(java.util.function.Consumer<GatewayClient> action, int code) {
    GatewayClient c = connect(gatewayUrl());
    c.expectOp(10);
    action.accept(c);
    assertThat(c.awaitClose().code()).isEqualTo(code);
  }

  @Test
  void resumeAfterADroppedConnectionReplaysWhatWasMissed() {
    Session s = identified(TOKEN, INTENTS);
    post("seen");
    long lastSeen = s.client().expectDispatch("MESSAGE_CREATE").get("s").asLong();
    assertThat(discord.dropGateway().block()).isEqualTo(1);
    assertThat(s.client().awaitClose().code()).as("no close frame on a dropped connection").isNotIn(1000, 1001);
    await().until(() -> discord.gatewayStatus().block().resumableSessions() == 1);
    HistoryEntry missed1 = post("missed one");
    HistoryEntry missed2 = post("missed two");

    GatewayClient again = connect(s.ready().at("/d/resume_gateway_url").asString());
    again.expectOp(10);
    again.resume(TOKEN, s.id(), lastSeen);
    JsonNode first = again.expectDispatch("MESSAGE_CREATE");
    JsonNode second = again.expectDispatch("MESSAGE_CREATE");
    assertThat(first.get("s").asLong()).isEqualTo(lastSeen + 1);
    assertThat(second.get("s").asLong()).isEqualTo(lastSeen + 2);
    assertThat(first.at("/d/id").asString()).isEqualTo(missed1.messageId());
    assertThat(second.at("/d/id").asString()).isEqualTo(missed2.messageId());
    assertThat(again.expectDispatch("RESUMED").get("s").asLong()).isEqualTo(lastSeen + 3);
    post("live again");
    assertThat(again.expectDispatch("MESSAGE_CREATE").get("s").asLong()).isEqualTo(lastSeen + 4);
  }

  @Test
  void aMalformedDispatchIsNumberedAndReplayedLikeAnyOther() {
    Session s = identified(TOKEN, INTENTS);
    assertThat(discord.injectMalformedDispatch(general.id()).block()).isEqualTo(1);
    JsonNode broken = s.client().expectDispatch("MESSAGE_CREATE");
    assertThat(broken.get("s").asLong()).isEqualTo(3);
    assertThat(broken.at("/d/id").isNumber()).as("id is a number, not a snowflake string").isTrue();
    assertThat(broken.at("/d/channel_id").isArray()).isTrue();
    assertThat(broken.at("/d/content").isObject()).isTrue();
    HistoryEntry after = post("after the broken one");
    assertThat(s.client().expectDispatch("MESSAGE_CREATE").get("s").asLong()).isEqualTo(4);
    assertThat(control.history(general.id()).map(HistoryEntry::messageId).collectList().block())
        .as("the broken dispatch is no message of the channel").containsExactly(after.messageId());

    // A Resume from before it replays it with its number, then what followed.
    discord.dropGateway().block();
    s.client().awaitClose();
    await().until(() -> discord.gatewayStatus().block().resumableSessions() == 1);
    GatewayClient again = connect(s.ready().at("/d/resume_gateway_url").asString());
    again.expectOp(10);
    again.resume(TOKEN, s.id(), 2);
    JsonNode replayed = again.expectDispatch("MESSAGE_CREATE");
    assertThat(replayed.get("s").asLong()).isEqualTo(3);
    assertThat(replayed.get("d")).isEqualTo(broken.get("d"));
    assertThat(again.expectDispatch("MESSAGE_CREATE").at("/d/id").asString()).isEqualTo(after.messageId());
    again.expectDispatch("RESUMED");
  }

  @Test
  void aMalformedDispatchNeedsAKnownChannelAndTheMessagesIntent() {
    assertThat(catchThrowableOfType(SandboxException.class,
        () -> discord.injectMalformedDispatch("123456789012345678").block()).reason())
        .isEqualTo(SandboxException.Reason.NOT_FOUND);
    Session withoutMessages = identified(TOKEN, 1);
    assertThat(discord.injectMalformedDispatch(general.id()).block()).as("sessions that numbered it").isZero();
    post("a message the session does not hear either");
    withoutMessages.client().heartbeat(2L);
    withoutMessages.client().expectOp(11); // nothing came before the ACK
  }

  @Test
  void resumingAnUnknownSessionOrAFutureSequenceFails() {
    Session s = identified(TOKEN, INTENTS);
    GatewayClient other = connect(s.ready().at("/d/resume_gateway_url").asString());
    other.expectOp(10);
    other.resume(TOKEN, "0123456789abcdef0123456789abcdef", 1);
    assertThat(other.expectOp(9).get("d").asBoolean()).isFalse();
    s.client().close();
    await().until(() -> discord.gatewayStatus().block().resumableSessions() == 1);
    GatewayClient future = connect(gatewayUrl());
    future.expectOp(10);
    future.resume(TOKEN, s.id(), 999);
    assertThat(future.awaitClose().code()).isEqualTo(4007);
  }

  @Test
  void reconnectAndInvalidSessionOnDemand() {
    Session s = identified(TOKEN, INTENTS);
    assertThat(discord.reconnectGateway().block()).isEqualTo(1);
    s.client().expectOp(7);

    assertThat(discord.invalidateSessions(true).block()).isEqualTo(1);
    assertThat(s.client().expectOp(9).get("d").asBoolean()).isTrue();
    // Resumable: the session continues on the same connection.
    s.client().resume(TOKEN, s.id(), 2);
    s.client().expectDispatch("RESUMED");

    assertThat(discord.invalidateSessions(false).block()).isEqualTo(1);
    assertThat(s.client().expectOp(9).get("d").asBoolean()).isFalse();
    s.client().resume(TOKEN, s.id(), 3);
    assertThat(s.client().expectOp(9).get("d").asBoolean()).as("the session is gone").isFalse();
    s.client().identify(TOKEN, INTENTS);
    JsonNode ready = s.client().expectDispatch("READY");
    assertThat(ready.get("s").asLong()).isEqualTo(1);
    assertThat(ready.at("/d/session_id").asString()).isNotEqualTo(s.id());
  }

  @Test
  void aClientThatStopsHeartbeatingIsClosedWith4009() {
    discord = DiscordEmulator.builder().bot(TOKEN, "Relay").heartbeatInterval(Duration.ofMillis(200)).build();
    sandbox.close();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    GatewayClient c = connect(discord.gatewayUrl());
    assertThat(c.expectOp(10).at("/d/heartbeat_interval").asLong()).isEqualTo(200);
    c.identify(TOKEN, INTENTS);
    c.expectDispatch("READY");
    assertThat(c.awaitClose().code()).isEqualTo(4009);
  }

  @Test
  void serverSideClosesWithACode() {
    Session s = identified(TOKEN, INTENTS);
    assertThat(discord.closeGateway(4000).block()).isEqualTo(1);
    GatewayClient.Closed closed = s.client().awaitClose();
    assertThat(closed.code()).isEqualTo(4000);
    await().until(() -> discord.gatewayStatus().block().resumableSessions() == 1);
  }
}
