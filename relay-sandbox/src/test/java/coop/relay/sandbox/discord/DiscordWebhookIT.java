package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Channel webhooks of the Discord emulator: creation, permissions, execution, edits and deletes. */
class DiscordWebhookIT {
  static final String TOKEN = "sandbox.bot-token.1";

  private RelaySandbox sandbox;
  private DiscordEmulator discord;
  private SandboxControl control;
  private DiscordRest bot;
  private DiscordRest anonymous;
  private SandboxUser alice;
  private SandboxChannel general;

  @BeforeEach
  void start() {
    discord = DiscordEmulator.builder().bot(TOKEN, "Relay").rateLimits(false).build();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    control = sandbox.control("discord");
    bot = new DiscordRest(discord.apiBaseUrl(), TOKEN);
    anonymous = bot.withToken(null);
    alice = control.createUser(NewUser.named("Alice")).block();
    general = control.createChannel(NewChannel.named("general")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private JsonNode createWebhook(String name) {
    DiscordRest.Response r = bot.post("/channels/" + general.id() + "/webhooks", Map.of("name", name));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.json();
  }

  private static String path(JsonNode hook) {
    return "/webhooks/" + hook.get("id").asString() + "/" + hook.get("token").asString();
  }

  @Test
  void createListAndFetchChannelWebhooks() {
    JsonNode hook = createWebhook("Relay bridge");
    assertThat(hook.get("type").asInt()).isEqualTo(1);
    assertThat(hook.get("channel_id").asString()).isEqualTo(general.id());
    assertThat(hook.get("guild_id").asString()).isEqualTo(discord.guildId());
    assertThat(hook.get("token").asString()).isNotBlank();
    assertThat(hook.get("url").asString())
        .isEqualTo(sandbox.baseUrl("discord") + "/api/webhooks/" + hook.get("id").asString() + "/" + hook.get("token").asString());
    assertThat(hook.at("/user/id").asString()).isEqualTo(discord.botUserId(TOKEN));
    assertThat(bot.get("/channels/" + general.id() + "/webhooks").json())
        .extracting(n -> n.get("id").asString())
        .containsExactly(hook.get("id").asString());
    assertThat(anonymous.get(path(hook)).json().get("name").asString()).isEqualTo("Relay bridge");
    assertThat(bot.get("/webhooks/" + hook.get("id").asString()).json().get("name").asString()).isEqualTo("Relay bridge");
  }

  @Test
  void webhookNamesFollowDiscordsRules() {
    for (String bad : List.of("My Discord bridge", "clyde", "x".repeat(81), " ")) {
      DiscordRest.Response r = bot.post("/channels/" + general.id() + "/webhooks", Map.of("name", bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.code()).isEqualTo(50035);
      assertThat(r.json().at("/errors/name/_errors/0/code").asString()).isNotBlank();
    }
  }

  @Test
  void withoutManageWebhooksCreatingAndListingAre403() {
    discord.manageWebhooks(general.id(), false).block();
    DiscordRest.Response create = bot.post("/channels/" + general.id() + "/webhooks", Map.of("name", "Bridge"));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.json().get("message").asString()).isEqualTo("Missing Permissions");
    assertThat(create.code()).isEqualTo(50013);
    assertThat(bot.get("/channels/" + general.id() + "/webhooks").code()).isEqualTo(50013);
    JsonNode channel = bot.get("/channels/" + general.id()).json();
    assertThat(channel.at("/permission_overwrites/0/deny").asString()).isEqualTo(Long.toString(1L << 29));
    discord.manageWebhooks(general.id(), true).block();
    assertThat(createWebhook("Bridge").get("name").asString()).isEqualTo("Bridge");
  }

  @Test
  void executeWithWaitReturnsThePuppetedMessage() {
    JsonNode hook = createWebhook("Bridge");
    DiscordRest.Response r = anonymous.post(path(hook) + "?wait=true", Map.of(
        "content", "hello from **Telegram**", "username", "Bob (Telegram)", "avatar_url", "https://example.org/bob.png",
        "allowed_mentions", Map.of("parse", List.of())));
    assertThat(r.status()).isEqualTo(200);
    JsonNode m = r.json();
    assertThat(m.get("webhook_id").asString()).isEqualTo(hook.get("id").asString());
    assertThat(m.at("/author/username").asString()).isEqualTo("Bob (Telegram)");
    assertThat(m.at("/author/bot").asBoolean()).isTrue();
    assertThat(m.get("channel_id").asString()).isEqualTo(general.id());
    HistoryEntry entry = control.history(general.id()).blockFirst();
    assertThat(entry.author().kind()).isEqualTo(Author.Kind.WEBHOOK);
    assertThat(entry.author().id()).isEqualTo(hook.get("id").asString());
    assertThat(entry.author().displayName()).isEqualTo("Bridge");
    assertThat(entry.author().shownName()).isEqualTo("Bob (Telegram)");
    assertThat(entry.author().shownAvatarUrl()).isEqualTo("https://example.org/bob.png");

    DiscordRest.Response noWait = anonymous.post(path(hook), Map.of("content", "fire and forget"));
    assertThat(noWait.status()).isEqualTo(204);
    assertThat(control.history(general.id()).collectList().block()).hasSize(2);
    JsonNode plain = anonymous.post(path(hook) + "?wait=true", DiscordRest.content("default name")).json();
    assertThat(plain.at("/author/username").asString()).isEqualTo("Bridge");
  }

  @Test
  void badUsernamesTokensAndIdsAreRefused() {
    JsonNode hook = createWebhook("Bridge");
    DiscordRest.Response name = anonymous.post(path(hook) + "?wait=true", Map.of("content", "x", "username", "discord mod"));
    assertThat(name.code()).isEqualTo(50035);
    assertThat(name.json().at("/errors/username/_errors/0/code").asString()).isEqualTo("USERNAME_INVALID_CONTAINS");
    DiscordRest.Response token = anonymous.post("/webhooks/" + hook.get("id").asString() + "/wrong-token", DiscordRest.content("x"));
    assertThat(token.status()).isEqualTo(401);
    assertThat(token.code()).isEqualTo(50027);
    DiscordRest.Response unknown = anonymous.post("/webhooks/42/whatever", DiscordRest.content("x"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo(10015);
    DiscordRest.Response tooLong = anonymous.post(path(hook), DiscordRest.content("x".repeat(2001)));
    assertThat(tooLong.code()).isEqualTo(50035);
    assertThat(control.history(general.id()).collectList().block()).isEmpty();
  }

  @Test
  void executeIntoAThreadOfTheWebhooksChannel() {
    JsonNode hook = createWebhook("Bridge");
    HistoryEntry root = control.createThread(general.id(), alice.id(), "Thread").block();
    JsonNode m = anonymous.post(path(hook) + "?wait=true&thread_id=" + root.messageId(), DiscordRest.content("in thread")).json();
    assertThat(m.get("channel_id").asString()).isEqualTo(root.messageId());
    SandboxChannel other = control.createChannel(NewChannel.named("other")).block();
    HistoryEntry foreign = control.createThread(other.id(), alice.id(), "Elsewhere").block();
    assertThat(anonymous.post(path(hook) + "?wait=true&thread_id=" + foreign.messageId(), DiscordRest.content("x")).code())
        .isEqualTo(10003);
    // Thread messages are addressed with thread_id when edited, as on Discord.
    String id = m.get("id").asString();
    assertThat(anonymous.patch(path(hook) + "/messages/" + id, DiscordRest.content("y")).code()).isEqualTo(10008);
    assertThat(anonymous.patch(path(hook) + "/messages/" + id + "?thread_id=" + root.messageId(), DiscordRest.content("y"))
        .json().get("content").asString()).isEqualTo("y");
  }

  @Test
  void webhookMessagesAreEditedAndDeletedThroughTheWebhook() {
    JsonNode hook = createWebhook("Bridge");
    String id = anonymous.post(path(hook) + "?wait=true", DiscordRest.content("first")).json().get("id").asString();
    JsonNode edited = anonymous.patch(path(hook) + "/messages/" + id, DiscordRest.content("second")).json();
    assertThat(edited.get("content").asString()).isEqualTo("second");
    assertThat(edited.get("edited_timestamp").isString()).isTrue();
    assertThat(anonymous.get(path(hook) + "/messages/" + id).json().get("content").asString()).isEqualTo("second");
    DiscordRest.Response viaBot = bot.patch("/channels/" + general.id() + "/messages/" + id, DiscordRest.content("bot"));
    assertThat(viaBot.code()).as("the bot is not the webhook message's author").isEqualTo(50005);
    assertThat(anonymous.delete(path(hook) + "/messages/" + id).status()).isEqualTo(204);
    assertThat(anonymous.get(path(hook) + "/messages/" + id).code()).isEqualTo(10008);
    HistoryEntry entry = control.history(general.id()).blockFirst();
    assertThat(entry.text()).isEqualTo("second");
    assertThat(entry.edited()).isTrue();
    assertThat(entry.deleted()).isTrue();
  }

  @Test
  void multipartExecutionWithFilesAndPayloadJson() throws Exception {
    JsonNode hook = createWebhook("Bridge");
    byte[] data = "report".getBytes(StandardCharsets.UTF_8);
    DiscordRest.Response r = anonymous.multipart("POST", path(hook) + "?wait=true",
        Map.of("content", "see attached", "username", "Carol"),
        List.of(new DiscordRest.FilePart("files[0]", "report.txt", "text/plain", data)));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    assertThat(r.json().at("/author/username").asString()).isEqualTo("Carol");
    String url = r.json().at("/attachments/0/url").asString();
    HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.body()).isEqualTo(data);
  }

  @Test
  void deletingAWebhookMakesItUnknown() {
    JsonNode hook = createWebhook("Bridge");
    assertThat(anonymous.delete(path(hook)).status()).isEqualTo(204);
    assertThat(anonymous.post(path(hook), DiscordRest.content("x")).code()).isEqualTo(10015);
    JsonNode second = createWebhook("Second");
    assertThat(bot.delete("/webhooks/" + second.get("id").asString()).status()).isEqualTo(204);
    assertThat(bot.get("/channels/" + general.id() + "/webhooks").json()).isEmpty();
  }
}
