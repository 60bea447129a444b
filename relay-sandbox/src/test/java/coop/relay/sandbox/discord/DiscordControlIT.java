package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Discord emulator through the shared control API, in-process and over HTTP, its Discord-only
 * control routes, and an outage of its server that clients resume across.
 */
class DiscordControlIT {
  static final String TOKEN = "sandbox.bot-token.1";
  static final long INTENTS = 1 | (1 << 9) | (1 << 10) | (1 << 15);

  private RelaySandbox sandbox;
  private DiscordEmulator discord;
  private SandboxControl remote;
  private SandboxUser alice;
  private SandboxChannel general;

  @BeforeEach
  void start() {
    discord = DiscordEmulator.builder().bot(TOKEN, "Relay").heartbeatInterval(Duration.ofSeconds(30)).build();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    remote = SandboxControl.remote(sandbox.baseUrl("discord")).block();
    alice = remote.createUser(NewUser.named("Alice Smith")).block();
    general = remote.createChannel(NewChannel.named("general")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void theRemoteControlApiDrivesTheEmulatorAndFollowsItsChanges() {
    assertThat(remote.platform()).isEqualTo("discord");
    assertThat(alice.username()).isEqualTo("alicesmith");
    List<SandboxEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    var subscription = remote.changesAfter(0).subscribe(seen::add);
    try {
      HistoryEntry m = remote.post(Post.of(general.id(), alice.id(), "hi __there__")).block();
      remote.react(general.id(), m.messageId(), alice.id(), "🎉").block();
      new DiscordRest(discord.apiBaseUrl(), TOKEN).post("/channels/" + general.id() + "/messages", DiscordRest.content("bot says"));
      remote.edit(general.id(), m.messageId(), alice.id(), "hi **there**").block();
      remote.delete(general.id(), m.messageId(), alice.id()).block();
      await().until(() -> seen.size() >= 7);
      assertThat(seen).extracting(SandboxEvent::type).containsExactly(
          SandboxEvent.Type.USER_CREATED, SandboxEvent.Type.CHANNEL_CREATED, SandboxEvent.Type.MESSAGE_CREATED,
          SandboxEvent.Type.REACTIONS_CHANGED, SandboxEvent.Type.MESSAGE_CREATED, SandboxEvent.Type.MESSAGE_EDITED,
          SandboxEvent.Type.MESSAGE_DELETED);
      assertThat(seen).extracting(SandboxEvent::platform).containsOnly("discord");
    } finally {
      subscription.dispose();
    }
    List<HistoryEntry> history = remote.history(general.id()).collectList().block();
    assertThat(history).extracting(HistoryEntry::text).containsExactly("hi **there**", "bot says");
    assertThat(history.get(0).deleted()).isTrue();
    JsonNode raw = DiscordRest.JSON.readTree(history.get(1).raw());
    assertThat(raw.at("/author/bot").asBoolean()).isTrue();
    assertThat(DiscordSpec.load().check("MessageResponse", raw)).isEmpty();
  }

  @Test
  void theControlApiAnswersWithSandboxErrors() {
    assertThat(error(() -> remote.post(Post.of("1", alice.id(), "x")).block())).isEqualTo(SandboxException.Reason.NOT_FOUND);
    assertThat(error(() -> remote.post(Post.of(general.id(), alice.id(), "x".repeat(2001))).block()))
        .isEqualTo(SandboxException.Reason.INVALID);
    HistoryEntry m = remote.post(Post.of(general.id(), alice.id(), "x")).block();
    SandboxUser bob = remote.createUser(NewUser.named("Bob")).block();
    assertThat(error(() -> remote.edit(general.id(), m.messageId(), bob.id(), "y").block()))
        .isEqualTo(SandboxException.Reason.CONFLICT);
    assertThat(error(() -> remote.react(general.id(), m.messageId(), bob.id(), "not emoji").block()))
        .isEqualTo(SandboxException.Reason.INVALID);
    String botId = discord.botUserId(TOKEN);
    assertThat(error(() -> remote.post(Post.of(general.id(), botId, "x")).block())).isEqualTo(SandboxException.Reason.INVALID);
  }

  private static SandboxException.Reason error(Runnable action) {
    try {
      action.run();
    } catch (SandboxException e) {
      return e.reason();
    }
    throw new AssertionError("expected a SandboxException");
  }

  @Test
  void discordOnlyControlRoutesOverHttp() throws Exception {
    GatewayClient c = GatewayClient.connect(discord.gatewayUrl());
    try {
      c.expectOp(10);
      c.identify(TOKEN, INTENTS);
      c.expectDispatch("READY");
      c.expectDispatch("GUILD_CREATE");
      String base = sandbox.baseUrl("discord") + "/_sandbox/discord";
      assertThat(postJson(base + "/channels/" + general.id() + "/malformed-dispatch", "").get("sessions").asInt())
          .isEqualTo(1);
      JsonNode broken = c.expectDispatch("MESSAGE_CREATE");
      assertThat(broken.at("/d/channel_id").isArray()).as("a malformed dispatch: %s", broken).isTrue();
      assertThat(broken.get("s").asLong()).isEqualTo(3);
      HttpResponse<String> unknown = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "/channels/123456789012345678/malformed-dispatch"))
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(DiscordRest.JSON.readTree(unknown.body()).get("error").asString()).isEqualTo("NOT_FOUND");
      assertThat(postJson(base + "/gateway/reconnect", "{}").get("connections").asInt()).isEqualTo(1);
      c.expectOp(7);
      postJson(base + "/gateway/invalid-session", "{\"resumable\":true}");
      assertThat(c.expectOp(9).get("d").asBoolean()).isTrue();
      JsonNode status = DiscordRest.JSON.readTree(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "/gateway")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(status.get("resumableSessions").asInt()).isEqualTo(1);
      postJson(base + "/channels/" + general.id() + "/permissions", "{\"manageWebhooks\":false}");
      assertThat(new DiscordRest(discord.apiBaseUrl(), TOKEN)
          .post("/channels/" + general.id() + "/webhooks", Map.of("name", "Bridge")).code()).isEqualTo(50013);
      postJson(base + "/gateway/close", "{\"code\":4000}");
      assertThat(c.awaitClose().code()).isEqualTo(4000);
    } finally {
      c.close();
    }
  }

  private static JsonNode postJson(String url, String body) throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return DiscordRest.JSON.readTree(res.body());
  }

  @Test
  void aClientResumesAcrossAnOutageOfTheEmulatorAndMissesNothing() {
    GatewayClient c = GatewayClient.connect(discord.gatewayUrl());
    String sessionId;
    String resumeUrl;
    try {
      c.expectOp(10);
      c.identify(TOKEN, INTENTS);
      JsonNode ready = c.expectDispatch("READY");
      sessionId = ready.at("/d/session_id").asString();
      resumeUrl = ready.at("/d/resume_gateway_url").asString();
      c.expectDispatch("GUILD_CREATE");
      sandbox.stop("discord").block();
      c.awaitClose();
    } finally {
      c.close();
    }
    HistoryEntry whileDown = discord.control().post(Post.of(general.id(), alice.id(), "while you were away")).block();
    sandbox.start("discord").block();
    GatewayClient again = GatewayClient.connect(resumeUrl);
    try {
      again.expectOp(10);
      again.resume(TOKEN, sessionId, 2);
      JsonNode missed = again.expectDispatch("MESSAGE_CREATE");
      assertThat(missed.get("s").asLong()).isEqualTo(3);
      assertThat(missed.at("/d/id").asString()).isEqualTo(whileDown.messageId());
      again.expectDispatch("RESUMED");
    } finally {
      again.close();
    }
  }
}
