package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxReaction;
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

/** The Web API over real HTTP, every answer checked against the Web API spec or the samples. */
class SlackWebApiIT {
  static final String BOT = "xoxb-1-relay";
  static final String APP = "xapp-1-relay";

  private RelaySandbox sandbox;
  private SlackEmulator slack;
  private SandboxControl control;
  private WebApiClient bot;
  private SandboxUser alice;
  private SandboxChannel general;

  @BeforeEach
  void start() {
    slack = SlackEmulator.builder()
        .app("relay", a -> a.botToken(BOT).appToken(APP).signingSecret("secret"))
        .app("other", a -> a.botToken("xoxb-2-other").customize(false))
        .rateLimits(false)
        .build();
    sandbox = RelaySandbox.builder().emulator(slack).build();
    sandbox.start().block();
    control = sandbox.control("slack");
    bot = new WebApiClient(sandbox.baseUrl("slack") + "/api", BOT);
    alice = control.createUser(NewUser.named("Alice Liddell").withAvatar("https://example.org/alice.png")).block();
    general = control.createChannel(NewChannel.named("General")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private JsonNode post(Map<String, String> params) {
    return bot.form("chat.postMessage", params).ok();
  }

  @Test
  void authTestNamesTheBotAndTokensAreChecked() {
    JsonNode me = bot.form("auth.test", Map.of()).ok();
    SlackEmulator.App relay = slack.app("relay");
    assertThat(me.get("user_id").asString()).isEqualTo(relay.botUserId());
    assertThat(me.get("bot_id").asString()).isEqualTo(relay.botId());
    assertThat(me.get("team_id").asString()).isEqualTo("T0SANDBOX1");

    assertThat(bot.withToken(null).form("auth.test", Map.of()).error()).isEqualTo("not_authed");
    assertThat(bot.withToken("xoxb-1-wrong").form("auth.test", Map.of()).error()).isEqualTo("invalid_auth");
    assertThat(bot.withToken(APP).form("auth.test", Map.of()).error()).isEqualTo("not_allowed_token_type");
    assertThat(bot.form("apps.connections.open", Map.of()).error()).isEqualTo("not_allowed_token_type");

    // A token in a form body works; one in the query string does not, as for apps since 2021.
    WebApiClient anonymous = bot.withToken(null);
    assertThat(anonymous.form("auth.test", Map.of("token", BOT)).ok().get("user_id").asString()).isEqualTo(relay.botUserId());
    HttpRequest query = anonymous.request("auth.test?token=" + BOT).GET().build();
    assertThat(anonymous.send("auth.test", query).error()).isEqualTo("not_authed");

    slack.deactivate("relay").block();
    assertThat(bot.form("auth.test", Map.of()).error()).isEqualTo("account_inactive");
  }

  @Test
  void unknownMethodsAnswer404AndBadBodiesSlacksErrors() throws Exception {
    WebApiClient.Response unknown = bot.form("chat.postMessages", Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("unknown_method");

    HttpRequest badJson = bot.request("chat.postMessage").header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":")).build();
    assertThat(bot.send("chat.postMessage", badJson).error()).isEqualTo("invalid_json");
    HttpRequest array = bot.request("chat.postMessage").header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString("[1]")).build();
    assertThat(bot.send("chat.postMessage", array).error()).isEqualTo("json_not_object");
    HttpRequest plain = bot.request("chat.postMessage").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("channel=x")).build();
    assertThat(bot.send("chat.postMessage", plain).error()).isEqualTo("invalid_post_type");

    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl("slack") + "/nothing-here")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(404);
  }

  @Test
  void usersInfoShowsProfilesOfPeopleAndBots() {
    JsonNode user = bot.form("users.info", Map.of("user", alice.id())).ok().get("user");
    assertThat(user.get("real_name").asString()).isEqualTo("Alice Liddell");
    assertThat(user.get("profile").get("display_name").asString()).isEqualTo("Alice Liddell");
    assertThat(user.get("profile").get("image_72").asString()).isEqualTo("https://example.org/alice.png");
    assertThat(user.get("is_bot").asBoolean()).isFalse();

    JsonNode botUser = bot.json("users.info", Map.of("user", slack.app("other").botUserId())).ok().get("user");
    assertThat(botUser.get("is_bot").asBoolean()).isTrue();
    assertThat(botUser.get("profile").get("bot_id").asString()).isEqualTo(slack.app("other").botId());
    assertThat(botUser.get("profile").get("image_72").asString()).startsWith("https://");

    assertThat(bot.form("users.info", Map.of("user", "U0NOBODY00")).error()).isEqualTo("user_not_found");
  }

  @Test
  void conversationsInfoAndMembership() {
    JsonNode channel = bot.form("conversations.info", Map.of("channel", general.id(), "include_num_members", "true"))
        .ok().get("channel");
    assertThat(channel.get("name").asString()).isEqualTo("general");
    assertThat(channel.get("is_member").asBoolean()).isTrue();
    assertThat(channel.get("is_private").asBoolean()).isFalse();
    assertThat(channel.get("num_members").asInt()).isEqualTo(3);
    assertThat(bot.form("conversations.info", Map.of("channel", "C0NOWHERE0")).error()).isEqualTo("channel_not_found");

    slack.leave("relay", general.id()).block();
    assertThat(bot.form("conversations.info", Map.of("channel", general.id())).ok().get("channel").get("is_member").asBoolean())
        .isFalse();
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "hi")).error()).isEqualTo("not_in_channel");

    SandboxChannel secret = control.createChannel(NewChannel.named("Board").ofType("private_channel")).block();
    slack.leave("relay", secret.id()).block();
    assertThat(bot.form("chat.postMessage", Map.of("channel", secret.id(), "text", "hi")).error()).isEqualTo("channel_not_found");
  }

  @Test
  void postMessageInFormAndJsonWithThreadsAndMetadata() {
    JsonNode root = post(Map.of("channel", general.id(), "text", "*hello* <@" + alice.id() + ">"));
    assertThat(root.get("channel").asString()).isEqualTo(general.id());
    JsonNode message = root.get("message");
    assertThat(message.get("text").asString()).isEqualTo("*hello* <@" + alice.id() + ">");
    assertThat(message.get("bot_id").asString()).isEqualTo(slack.app("relay").botId());
    assertThat(message.get("user").asString()).isEqualTo(slack.app("relay").botUserId());
    assertThat(message.get("app_id").asString()).isEqualTo(slack.app("relay").appId());
    String ts = root.get("ts").asString();
    assertThat(ts).matches("\\d{10}\\.\\d{6}");

    JsonNode reply = bot.json("chat.postMessage", Map.of(
        "channel", general.id(), "text", "in the thread", "thread_ts", ts,
        "metadata", Map.of("event_type", "relay_origin", "event_payload", Map.of("bridge", "coop")))).ok();
    assertThat(reply.get("message").get("thread_ts").asString()).isEqualTo(ts);
    assertThat(reply.get("message").get("parent_user_id").asString()).isEqualTo(slack.app("relay").botUserId());
    assertThat(reply.get("message").get("metadata").get("event_payload").get("bridge").asString()).isEqualTo("coop");

    JsonNode broadcast = post(Map.of("channel", general.id(), "text", "also to the channel", "thread_ts", ts, "reply_broadcast", "true"));
    assertThat(broadcast.get("message").get("subtype").asString()).isEqualTo("thread_broadcast");
    assertThat(broadcast.get("message").get("root").get("ts").asString()).isEqualTo(ts);

    // A form carries metadata JSON-encoded.
    JsonNode formMeta = post(Map.of("channel", general.id(), "text", "m",
        "metadata", "{\"event_type\":\"relay_origin\",\"event_payload\":{\"id\":\"1\"}}"));
    assertThat(formMeta.get("message").get("metadata").get("event_type").asString()).isEqualTo("relay_origin");
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "m", "metadata", "{\"event_payload\":{}}"))
        .error()).isEqualTo("invalid_metadata_format");

    List<HistoryEntry> history = control.history(general.id()).collectList().block();
    assertThat(history).hasSize(4);
    assertThat(history.get(1).threadId()).isEqualTo(ts);
    assertThat(history.get(1).author().kind()).isEqualTo(Author.Kind.BOT);
    assertThat(history.get(1).raw()).contains("relay_origin");

    JsonNode replies = bot.form("conversations.replies", Map.of("channel", general.id(), "ts", ts)).ok();
    assertThat(replies.get("messages")).hasSize(3);
    assertThat(replies.get("messages").get(0).get("reply_count").asInt()).isEqualTo(2);
    JsonNode channelHistory = bot.form("conversations.history", Map.of("channel", general.id())).ok();
    assertThat(channelHistory.get("messages")).hasSize(3);
    assertThat(channelHistory.get("messages").get(0).get("ts").asString()).isEqualTo(formMeta.get("ts").asString());
  }

  @Test
  void jsonWithoutCharsetGetsSlacksWarning() {
    HttpRequest request = bot.request("chat.postMessage").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + general.id() + "\",\"text\":\"hi\"}")).build();
    JsonNode answer = bot.send("chat.postMessage", request).ok();
    assertThat(answer.get("warning").asString()).isEqualTo("missing_charset");
    assertThat(answer.get("response_metadata").get("warnings").get(0).asString()).isEqualTo("missing_charset");
  }

  @Test
  void usernameAndIconsNeedTheCustomizeScope() {
    JsonNode puppet = post(Map.of("channel", general.id(), "text", "from Discord",
        "username", "Bob (Discord)", "icon_url", "https://example.org/bob.png"));
    assertThat(puppet.get("message").get("subtype").asString()).isEqualTo("bot_message");
    assertThat(puppet.get("message").get("username").asString()).isEqualTo("Bob (Discord)");
    assertThat(puppet.get("message").get("icons").get("image_64").asString()).isEqualTo("https://example.org/bob.png");
    assertThat(puppet.get("message").has("user")).isFalse();

    WebApiClient other = bot.withToken("xoxb-2-other");
    JsonNode plain = other.form("chat.postMessage", Map.of("channel", general.id(), "text", "x", "username", "Someone")).ok();
    assertThat(plain.get("message").has("subtype")).isFalse();

    HistoryEntry shown = control.history(general.id()).blockFirst();
    assertThat(shown.author().kind()).isEqualTo(Author.Kind.WEBHOOK);
    assertThat(shown.author().shownName()).isEqualTo("Bob (Discord)");
    assertThat(shown.author().shownAvatarUrl()).isEqualTo("https://example.org/bob.png");
    assertThat(shown.author().displayName()).isEqualTo("relay");
  }

  @Test
  void postMessageErrors() {
    assertThat(bot.form("chat.postMessage", Map.of("text", "nowhere")).error()).isEqualTo("channel_not_found");
    assertThat(bot.form("chat.postMessage", Map.of("channel", "C0NOWHERE0", "text", "x")).error()).isEqualTo("channel_not_found");
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "text", " ")).error()).isEqualTo("no_text");
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "x".repeat(40_001))).error()).isEqualTo("msg_too_long");
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "x", "thread_ts", "1700000000.000001")).error())
        .isEqualTo("thread_not_found");
    assertThat(bot.form("chat.postMessage", Map.of("channel", general.id(), "blocks", "[{\"text\":1}]")).error()).isEqualTo("invalid_blocks");
    // Blocks alone are content; Slack gives each a block_id.
    JsonNode withBlocks = bot.form("chat.postMessage", Map.of("channel", general.id(),
        "blocks", "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]")).ok();
    assertThat(withBlocks.get("message").get("blocks").get(0).get("block_id").asString()).isNotEmpty();
    // By name too, as Slack allows.
    assertThat(post(Map.of("channel", "#general", "text", "by name")).get("channel").asString()).isEqualTo(general.id());
  }

  @Test
  void updateAndDeleteOnlyTheAppsOwnMessages() {
    String ts = post(Map.of("channel", general.id(), "text", "first")).get("ts").asString();
    JsonNode updated = bot.form("chat.update", Map.of("channel", general.id(), "ts", ts, "text", "second")).ok();
    assertThat(updated.get("text").asString()).isEqualTo("second");
    assertThat(updated.get("message").get("edited").get("user").asString()).isEqualTo(slack.app("relay").botUserId());
    HistoryEntry entry = control.history(general.id()).blockFirst();
    assertThat(entry.text()).isEqualTo("second");
    assertThat(entry.edited()).isTrue();

    HistoryEntry human = control.post(Post.of(general.id(), alice.id(), "mine")).block();
    assertThat(bot.form("chat.update", Map.of("channel", general.id(), "ts", human.messageId(), "text", "x")).error())
        .isEqualTo("cant_update_message");
    assertThat(bot.form("chat.delete", Map.of("channel", general.id(), "ts", human.messageId())).error())
        .isEqualTo("cant_delete_message");
    assertThat(bot.form("chat.update", Map.of("channel", general.id(), "ts", "1700000000.000001", "text", "x")).error())
        .isEqualTo("message_not_found");
    assertThat(bot.form("chat.update", Map.of("channel", general.id(), "ts", ts, "text", "")).error()).isEqualTo("no_text");

    JsonNode deleted = bot.form("chat.delete", Map.of("channel", general.id(), "ts", ts)).ok();
    assertThat(deleted.get("ts").asString()).isEqualTo(ts);
    assertThat(control.history(general.id()).blockFirst().deleted()).isTrue();
    assertThat(bot.form("chat.delete", Map.of("channel", general.id(), "ts", ts)).error()).isEqualTo("message_not_found");
  }

  @Test
  void reactionsByNameWithoutColons() {
    HistoryEntry human = control.post(Post.of(general.id(), alice.id(), "react to me")).block();
    Map<String, String> thumbs = Map.of("channel", general.id(), "timestamp", human.messageId(), "name", "thumbsup");
    bot.form("reactions.add", thumbs).ok();
    assertThat(bot.form("reactions.add", thumbs).error()).isEqualTo("already_reacted");
    bot.json("reactions.add", Map.of("channel", general.id(), "timestamp", human.messageId(), "name", "+1::skin-tone-3")).ok();
    assertThat(bot.form("reactions.add", Map.of("channel", general.id(), "timestamp", human.messageId(), "name", ":tada:")).error())
        .isEqualTo("invalid_name");
    assertThat(bot.form("reactions.add", Map.of("channel", general.id(), "timestamp", human.messageId(), "name", "no_such_emoji")).error())
        .isEqualTo("invalid_name");
    assertThat(bot.form("reactions.add", Map.of("channel", general.id(), "timestamp", "1700000000.000001", "name", "tada")).error())
        .isEqualTo("message_not_found");

    control.react(general.id(), human.messageId(), alice.id(), "👍").block();
    List<SandboxReaction> reactions = control.history(general.id()).blockFirst().reactions();
    assertThat(reactions).extracting(SandboxReaction::emoji).containsExactly("👍", "👍🏼");
    assertThat(reactions.get(0).userIds()).containsExactly(slack.app("relay").botUserId(), alice.id());
    assertThat(control.history(general.id()).blockFirst().raw()).contains("\"name\":\"+1\"");

    bot.form("reactions.remove", Map.of("channel", general.id(), "timestamp", human.messageId(), "name", "+1")).ok();
    assertThat(bot.form("reactions.remove", Map.of("channel", general.id(), "timestamp", human.messageId(), "name", "+1")).error())
        .isEqualTo("no_reaction");
    assertThatThrownBy(() -> control.react(general.id(), human.messageId(), alice.id(), "👍").block())
        .isInstanceOf(SandboxException.class);
  }

  @Test
  void filesUploadInThreeStepsAndDownloadWithTheToken() throws Exception {
    byte[] content = "hello file".getBytes(StandardCharsets.UTF_8);
    String root = post(Map.of("channel", general.id(), "text", "files below")).get("ts").asString();
    JsonNode url = bot.form("files.getUploadURLExternal", Map.of("filename", "notes.txt", "length", Integer.toString(content.length))).ok();
    String fileId = url.get("file_id").asString();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create(url.get("upload_url").asString()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(uploaded.statusCode()).isEqualTo(200);
    assertThat(uploaded.body()).isEqualTo("OK - " + content.length);

    JsonNode completed = bot.json("files.completeUploadExternal", Map.of(
        "files", List.of(Map.of("id", fileId, "title", "Notes")), "channel_id", general.id(),
        "initial_comment", "see *this*", "thread_ts", root)).ok();
    JsonNode file = completed.get("files").get(0);
    assertThat(file.get("id").asString()).isEqualTo(fileId);
    assertThat(file.get("title").asString()).isEqualTo("Notes");
    assertThat(file.get("size").asInt()).isEqualTo(content.length);

    HistoryEntry shared = control.history(general.id()).collectList().block().get(1);
    assertThat(shared.text()).isEqualTo("see *this*");
    assertThat(shared.threadId()).isEqualTo(root);
    assertThat(shared.attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("notes.txt");
      assertThat(a.mediaType()).isEqualTo("text/plain");
    });
    assertThat(control.file(fileId).block().data()).isEqualTo(content);

    String privateUrl = file.get("url_private").asString();
    HttpResponse<byte[]> withToken = http.send(HttpRequest.newBuilder(URI.create(privateUrl))
        .header("Authorization", "Bearer " + BOT).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(withToken.body()).isEqualTo(content);
    HttpResponse<String> withoutToken = http.send(HttpRequest.newBuilder(URI.create(privateUrl)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(withoutToken.statusCode()).isEqualTo(200);
    assertThat(withoutToken.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");

    // An upload URL works once; completing twice or an unknown file fails.
    assertThat(http.send(HttpRequest.newBuilder(URI.create(url.get("upload_url").asString()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(bot.json("files.completeUploadExternal", Map.of("files", List.of(Map.of("id", fileId)))).error()).isEqualTo("file_not_found");
    assertThat(bot.form("files.getUploadURLExternal", Map.of("filename", "x.txt")).error()).isEqualTo("invalid_arguments");
  }

  @Test
  void peoplesFilesBecomeFileShareMessages() {
    HistoryEntry shared = control.post(Post.of(general.id(), alice.id(), "a picture")
        .withAttachment(new coop.relay.sandbox.SandboxFile("cat.png", "image/png", new byte[] {1, 2, 3}))).block();
    JsonNode raw = SlackSpec.JSON.readTree(shared.raw());
    assertThat(raw.get("subtype").asString()).isEqualTo("file_share");
    assertThat(raw.get("files").get(0).get("mimetype").asString()).isEqualTo("image/png");
    assertThat(shared.attachments()).singleElement().satisfies(a -> assertThat(a.url()).endsWith("/_sandbox/files/" + a.id()));
    JsonNode history = bot.form("conversations.history", Map.of("channel", general.id())).ok();
    assertThat(history.get("messages").get(0).get("files").get(0).get("name").asString()).isEqualTo("cat.png");
  }

  @Test
  void slackControlsAreServedUnderTheSandboxPrefix() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = sandbox.baseUrl("slack") + "/_sandbox/slack";
    HttpResponse<String> apps = http.send(HttpRequest.newBuilder(URI.create(base + "/apps")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(apps.statusCode()).isEqualTo(200);
    assertThat(SlackSpec.JSON.readTree(apps.body()).get(0).get("appId").asString()).isEqualTo(slack.app("relay").appId());

    HistoryEntry root = control.post(Post.of(general.id(), alice.id(), "root")).block();
    String broadcast = "{\"channelId\":\"" + general.id() + "\",\"threadTs\":\"" + root.messageId()
        + "\",\"userId\":\"" + alice.id() + "\",\"text\":\"for all\"}";
    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/broadcast"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(broadcast)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(SlackSpec.JSON.readTree(posted.body()).get("threadId").asString()).isEqualTo(root.messageId());

    HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(URI.create(base + "/apps/relay/refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refreshed.statusCode()).isEqualTo(204);
    HttpResponse<String> unknownApp = http.send(HttpRequest.newBuilder(URI.create(base + "/apps/nope/drop"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknownApp.statusCode()).isEqualTo(404);
    HttpResponse<String> badUrl = http.send(HttpRequest.newBuilder(URI.create(base + "/apps/relay/request-url"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:1/nothing\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badUrl.statusCode()).isEqualTo(400);
    assertThat(badUrl.body()).contains("challenge");
  }

  @Test
  void remoteControlDrivesTheEmulatorOverHttp() {
    SandboxControl remote = SandboxControl.remote(sandbox.baseUrl("slack")).block();
    assertThat(remote.platform()).isEqualTo("slack");
    HistoryEntry posted = remote.post(Post.of(general.id(), alice.id(), "over http")).block();
    HistoryEntry reply = remote.post(Post.of(general.id(), alice.id(), "an answer").withReplyTo(posted.messageId())).block();
    assertThat(reply.threadId()).isEqualTo(posted.messageId());
    assertThat(reply.replyTo()).isNull();
    remote.react(general.id(), posted.messageId(), alice.id(), "🎉").block();
    HistoryEntry me = remote.post(Post.of(general.id(), alice.id(), "/me waves")).block();
    assertThat(me.text()).isEqualTo("waves");
    assertThat(me.raw()).contains("\"subtype\":\"me_message\"");
    assertThat(remote.history(general.id()).collectList().block())
        .extracting(HistoryEntry::text).containsExactly("over http", "an answer", "waves");
    assertThat(remote.history(general.id()).blockFirst().reactions()).extracting(SandboxReaction::emoji).containsExactly("🎉");
  }
}
