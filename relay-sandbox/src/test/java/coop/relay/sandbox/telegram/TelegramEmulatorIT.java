package coop.relay.sandbox.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Telegram emulator over real HTTP, every answer checked against the Bot API spec. */
class TelegramEmulatorIT {
  static final String TOKEN = "123456:sandbox-secret";

  private final BotApiSpec spec = BotApiSpec.load();
  private RelaySandbox sandbox;
  private TelegramEmulator telegram;
  private SandboxControl control;
  private BotClient bot;
  private SandboxUser alice;
  private SandboxChannel group;

  @BeforeEach
  void start() {
    telegram = TelegramEmulator.builder().bot(TOKEN, "relay_bot", "Relay").rateLimits(false)
        .sizeLimits(4000, 3000, 2000).build();
    sandbox = RelaySandbox.builder().emulator(telegram).build();
    sandbox.start().block();
    control = sandbox.control("telegram");
    bot = new BotClient(sandbox.baseUrl("telegram"), TOKEN);
    alice = control.createUser(NewUser.named("Alice").withUsername("alice_tg")).block();
    group = control.createChannel(NewChannel.named("Coop chat")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HistoryEntry post(String text) {
    return control.post(Post.of(group.id(), alice.id(), text)).block();
  }

  private JsonNode updates(Map<String, ?> params) {
    return bot.call("getUpdates", params).result();
  }

  private JsonNode send(String text) {
    return bot.call("sendMessage", Map.of("chat_id", group.id(), "text", text)).result();
  }

  @Test
  void getMeAnswersTheBotAndTokensAndMethodsAreChecked() {
    JsonNode me = bot.call("getMe", Map.of()).result();
    assertThat(me.get("id").asLong()).isEqualTo(123456);
    assertThat(me.get("is_bot").asBoolean()).isTrue();
    assertThat(me.get("username").asString()).isEqualTo("relay_bot");
    assertThat(bot.query("GETME", Map.of()).result().get("id").asLong()).isEqualTo(123456);

    BotClient.Response wrongToken = bot.withToken("123456:wrong-secret").call("getMe", Map.of());
    assertThat(wrongToken.status()).isEqualTo(401);
    assertThat(wrongToken.description()).isEqualTo("Unauthorized");

    BotClient.Response malformed = bot.withToken("not-a-token").call("getMe", Map.of());
    assertThat(malformed.status()).isEqualTo(404);
    assertThat(malformed.description()).isEqualTo("Not Found");

    BotClient.Response unknown = bot.call("getAnswerToEverything", Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.description()).isEqualTo("Not Found");
  }

  @Test
  void acceptsParametersAsQueryFormJsonAndMultipart() {
    assertThat(bot.query("sendMessage", Map.of("chat_id", group.id(), "text", "from the query")).result()
        .get("text").asString()).isEqualTo("from the query");
    assertThat(bot.form("sendMessage", Map.of("chat_id", group.id(), "text", "from a form")).result()
        .get("text").asString()).isEqualTo("from a form");
    assertThat(bot.call("sendMessage", Map.of("chat_id", Long.parseLong(group.id()), "text", "from JSON")).result()
        .get("text").asString()).isEqualTo("from JSON");
    JsonNode viaMultipart = bot.multipart("sendDocument", Map.of("chat_id", group.id(), "caption", "from multipart"),
        "document", "a.txt", "text/plain", "content".getBytes(StandardCharsets.UTF_8)).result();
    assertThat(viaMultipart.get("caption").asString()).isEqualTo("from multipart");

    long first = viaMultipart.get("message_id").asLong() - 3;
    JsonNode reply = bot.form("sendMessage", Map.of("chat_id", group.id(), "text", "answer",
        "reply_parameters", "{\"message_id\":" + first + "}")).result();
    assertThat(reply.get("reply_to_message").get("message_id").asLong()).isEqualTo(first);
    assertThat(control.history(group.id()).collectList().block()).hasSize(5);
  }

  @Test
  void longPollHoldsTheRequestUntilAPersonPosts() throws Exception {
    CompletableFuture<BotClient.Response> poll = bot.async("getUpdates", Map.of("timeout", 20));
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> !poll.isDone());

    post("hello <b>world</b>");

    JsonNode updates = poll.get(10, TimeUnit.SECONDS).result();
    assertThat(updates).hasSize(1);
    JsonNode message = updates.get(0).get("message");
    assertThat(message.get("text").asString()).isEqualTo("hello world");
    assertThat(message.get("from").get("id").asString()).isEqualTo(alice.id());
    assertThat(message.get("from").get("username").asString()).isEqualTo("alice_tg");
    assertThat(message.get("chat").get("type").asString()).isEqualTo("supergroup");
    assertThat(message.get("entities").get(0).get("type").asString()).isEqualTo("bold");
    assertThat(message.get("entities").get(0).get("offset").asInt()).isEqualTo(6);
    assertThat(message.get("entities").get(0).get("length").asInt()).isEqualTo(5);
  }

  @Test
  void shortPollAnswersAtOnceWithNothing() {
    assertThat(updates(Map.of())).isEmpty();
  }

  @Test
  void offsetConfirmsAndForgetsUpdates() {
    post("one");
    post("two");
    post("three");
    JsonNode all = updates(Map.of());
    assertThat(all).hasSize(3);
    long u1 = all.get(0).get("update_id").asLong();
    assertThat(all.get(1).get("update_id").asLong()).isEqualTo(u1 + 1);
    assertThat(all.get(2).get("update_id").asLong()).isEqualTo(u1 + 2);

    assertThat(texts(updates(Map.of("offset", u1 + 1)))).containsExactly("two", "three");
    assertThat(texts(updates(Map.of()))).as("unconfirmed updates come again").containsExactly("two", "three");
    assertThat(texts(updates(Map.of("offset", u1 + 1, "limit", 1)))).containsExactly("two");
    assertThat(updates(Map.of("offset", u1 + 3))).isEmpty();
    assertThat(updates(Map.of())).as("confirmed updates are forgotten").isEmpty();

    post("four");
    post("five");
    post("six");
    assertThat(texts(updates(Map.of("offset", -1)))).containsExactly("six");
    assertThat(texts(updates(Map.of()))).as("a negative offset forgets the older ones").containsExactly("six");
  }

  private static List<String> texts(JsonNode updates) {
    List<String> out = new ArrayList<>();
    updates.forEach(u -> out.add(u.get("message").get("text").asString()));
    return out;
  }

  @Test
  void botsDoNotSeeTheirOwnMessagesAndReactionsNeedToBeAskedFor() {
    long mine = send("from the bot").get("message_id").asLong();
    control.react(group.id(), Long.toString(mine), alice.id(), "👍").block();
    assertThat(updates(Map.of())).as("no own message, no reaction unless asked").isEmpty();

    assertThat(updates(Map.of("allowed_updates", List.of("message", "message_reaction")))).isEmpty();
    control.unreact(group.id(), Long.toString(mine), alice.id(), "👍").block();
    control.react(group.id(), Long.toString(mine), alice.id(), "❤️").block();

    JsonNode updates = updates(Map.of());
    assertThat(updates).hasSize(2);
    JsonNode removed = updates.get(0).get("message_reaction");
    assertThat(removed.get("old_reaction").get(0).get("emoji").asString()).isEqualTo("👍");
    assertThat(removed.get("new_reaction")).isEmpty();
    assertThat(removed.get("user").get("id").asString()).isEqualTo(alice.id());
    JsonNode added = updates.get(1).get("message_reaction");
    assertThat(added.get("new_reaction").get(0).get("emoji").asString()).isEqualTo("❤");
    assertThat(control.history(group.id()).blockLast().reactions()).singleElement()
        .satisfies(r -> assertThat(r.userIds()).containsExactly(alice.id()));
  }

  @Test
  void editsBecomeEditedMessagesAndChannelPostsChannelPosts() {
    HistoryEntry original = post("first version");
    control.edit(group.id(), original.messageId(), alice.id(), "second <i>version</i>").block();
    SandboxChannel news = control.createChannel(NewChannel.named("News").ofType("channel")).block();
    control.post(Post.of(news.id(), alice.id(), "announcement")).block();

    JsonNode updates = updates(Map.of());
    assertThat(updates).hasSize(3);
    JsonNode edited = updates.get(1).get("edited_message");
    assertThat(edited.get("text").asString()).isEqualTo("second version");
    assertThat(edited.has("edit_date")).isTrue();
    JsonNode channelPost = updates.get(2).get("channel_post");
    assertThat(channelPost.get("sender_chat").get("id").asString()).isEqualTo(news.id());
    assertThat(channelPost.has("from")).isFalse();

    HistoryEntry entry = control.history(news.id()).blockLast();
    assertThat(entry.author().id()).isEqualTo(alice.id());
    assertThat(entry.author().shownName()).isEqualTo("News");
    assertThat(control.history(group.id()).blockFirst().edited()).isTrue();
  }

  @Test
  void htmlBecomesEntitiesWithUtf16OffsetsAndBadHtmlIsRefused() {
    JsonNode m = bot.call("sendMessage", Map.of("chat_id", group.id(), "parse_mode", "HTML",
        "text", "😀 <b>bold</b> &amp; <a href=\"https://relay.coop/\">link</a> "
            + "<pre><code class=\"language-java\">int x;</code></pre>")).result();
    assertThat(m.get("text").asString()).isEqualTo("😀 bold & link int x;");
    JsonNode entities = m.get("entities");
    assertThat(entities.get(0).get("type").asString()).isEqualTo("bold");
    assertThat(entities.get(0).get("offset").asInt()).isEqualTo(3);
    assertThat(entities.get(0).get("length").asInt()).isEqualTo(4);
    assertThat(entities.get(1).get("type").asString()).isEqualTo("text_link");
    assertThat(entities.get(1).get("offset").asInt()).isEqualTo(10);
    assertThat(entities.get(1).get("url").asString()).isEqualTo("https://relay.coop/");
    assertThat(entities.get(2).get("type").asString()).isEqualTo("pre");
    assertThat(entities.get(2).get("language").asString()).isEqualTo("java");

    BotClient.Response unclosed = bot.call("sendMessage", Map.of("chat_id", group.id(), "parse_mode", "HTML", "text", "<b>bold"));
    assertThat(unclosed.status()).isEqualTo(400);
    assertThat(unclosed.description())
        .isEqualTo("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
    BotClient.Response unsupported = bot.call("sendMessage", Map.of("chat_id", group.id(), "parse_mode", "HTML", "text", "é<br>"));
    assertThat(unsupported.description())
        .isEqualTo("Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 2");
  }

  @Test
  void textIsLimitedTo4096CharactersAfterEntityParsing() {
    String max = "a".repeat(4096);
    assertThat(send(max).get("text").asString()).hasSize(4096);
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "parse_mode", "HTML", "text", "<b>" + max + "</b>"))
        .status()).as("tags do not count").isEqualTo(200);
    BotClient.Response tooLong = bot.call("sendMessage", Map.of("chat_id", group.id(), "text", max + "a"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.description()).isEqualTo("Bad Request: message is too long");
    assertThat(bot.query("sendMessage", Map.of("chat_id", group.id(), "text", "ü".repeat(4096))).status())
        .as("a long GET query is accepted").isEqualTo(200);
  }

  @Test
  void badRequestsAnswerTelegramsDescriptions() {
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "  ")).description())
        .isEqualTo("Bad Request: message text is empty");
    assertThat(bot.call("sendMessage", Map.of("chat_id", "-1009", "text", "x")).description())
        .isEqualTo("Bad Request: chat not found");
    assertThat(bot.call("sendMessage", Map.of("text", "x")).description()).isEqualTo("Bad Request: chat_id is empty");
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x", "parse_mode", "BBCode")).description())
        .isEqualTo("Bad Request: unsupported parse_mode");
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x",
        "reply_parameters", Map.of("message_id", 999))).description())
        .isEqualTo("Bad Request: message to be replied not found");
    JsonNode orphan = bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x",
        "reply_parameters", Map.of("message_id", 999, "allow_sending_without_reply", true))).result();
    assertThat(orphan.has("reply_to_message")).isFalse();
  }

  @Test
  void injectedFaultsAnswerInTelegramsShape() {
    control.injectFault(Fault.rateLimited("sendMessage", 1, Duration.ofSeconds(3))).block();
    BotClient.Response limited = bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x"));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.description()).isEqualTo("Too Many Requests: retry after 3");
    assertThat(limited.body().get("parameters").get("retry_after").asInt()).isEqualTo(3);
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x")).status()).isEqualTo(200);

    control.injectFault(Fault.serverError("*", 1, 500)).block();
    BotClient.Response internal = bot.call("getMe", Map.of());
    assertThat(internal.status()).isEqualTo(500);
    assertThat(internal.description()).isEqualTo("Internal Server Error");

    control.injectFault(Fault.serverError("getMe", 1, 502)).block();
    HttpResponse<String> gateway = bot.raw("getMe", Map.of()).join();
    assertThat(gateway.statusCode()).isEqualTo(502);
    assertThat(gateway.body()).contains("502 Bad Gateway");

    control.injectFault(Fault.dropConnection("getUpdates", 1)).block();
    CompletableFuture<HttpResponse<String>> dropped = bot.raw("getUpdates", Map.of());
    assertThat(dropped).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IOException.class);
    assertThat(bot.call("getUpdates", Map.of()).status()).isEqualTo(200);

    control.injectFault(Fault.rateLimited("sendMessage", 5, Duration.ofSeconds(1))).block();
    control.clearFaults().block();
    assertThat(bot.call("sendMessage", Map.of("chat_id", group.id(), "text", "x")).status()).isEqualTo(200);
  }

  @Test
  void aNewerPollTerminatesTheWaitingOne() throws Exception {
    CompletableFuture<BotClient.Response> first = bot.async("getUpdates", Map.of("timeout", 20));
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(3)).until(() -> !first.isDone());
    CompletableFuture<BotClient.Response> second = bot.async("getUpdates", Map.of("timeout", 20));

    BotClient.Response terminated = first.get(10, TimeUnit.SECONDS);
    assertThat(terminated.status()).isEqualTo(409);
    assertThat(terminated.description())
        .isEqualTo("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    post("for the second poll");
    assertThat(texts(second.get(10, TimeUnit.SECONDS).result())).containsExactly("for the second poll");
  }

  @Test
  void uploadsCanBeFetchedBackThroughGetFile() throws Exception {
    byte[] content = "minutes of the meeting".getBytes(StandardCharsets.UTF_8);
    JsonNode doc = bot.multipart("sendDocument", Map.of("chat_id", group.id()), "document", "minutes.txt", "text/plain", content)
        .result().get("document");
    assertThat(doc.get("file_name").asString()).isEqualTo("minutes.txt");
    assertThat(doc.get("mime_type").asString()).isEqualTo("text/plain");
    assertThat(doc.get("file_size").asInt()).isEqualTo(content.length);

    JsonNode file = bot.call("getFile", Map.of("file_id", doc.get("file_id").asString())).result();
    HttpResponse<byte[]> download = bot.get(bot.fileUrl(file.get("file_path").asString()));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(content);
    assertThat(bot.get(bot.fileUrl("documents/nothing.txt")).statusCode()).isEqualTo(404);

    JsonNode again = bot.call("sendDocument", Map.of("chat_id", group.id(), "document", doc.get("file_id").asString())).result();
    assertThat(again.get("document").get("file_id").asString()).isEqualTo(doc.get("file_id").asString());

    JsonNode photo = bot.multipart("sendPhoto", Map.of("chat_id", group.id(), "caption", "<b>us</b>", "parse_mode", "HTML"),
        "photo", "us.png", "image/png", png(40, 30)).result();
    assertThat(photo.get("photo").get(0).get("width").asInt()).isEqualTo(40);
    assertThat(photo.get("photo").get(0).get("height").asInt()).isEqualTo(30);
    assertThat(photo.get("caption_entities").get(0).get("type").asString()).isEqualTo("bold");

    assertThat(bot.multipart("sendPhoto", Map.of("chat_id", group.id()), "photo", "x.png", "image/png", content).description())
        .isEqualTo("Bad Request: IMAGE_PROCESS_FAILED");
    BotClient.Response tooLarge = bot.multipart("sendDocument", Map.of("chat_id", group.id()), "document", "big.bin",
        "application/octet-stream", new byte[5000]);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.description()).isEqualTo("Request Entity Too Large");
    JsonNode big = bot.multipart("sendDocument", Map.of("chat_id", group.id()), "document", "big.bin",
        "application/octet-stream", new byte[2500]).result().get("document");
    assertThat(bot.call("getFile", Map.of("file_id", big.get("file_id").asString())).description())
        .isEqualTo("Bad Request: file is too big");
  }

  @Test
  void peoplesAttachmentsReachTheBot() {
    control.post(Post.of(group.id(), alice.id(), "see <i>attached</i>")
        .withAttachment(new SandboxFile("plan.pdf", "application/pdf", new byte[] {1, 2, 3}))).block();
    control.post(Post.of(group.id(), alice.id(), "").withAttachment(new SandboxFile("p.png", "image/png", png(8, 6)))).block();

    JsonNode updates = updates(Map.of());
    JsonNode doc = updates.get(0).get("message");
    assertThat(doc.get("caption").asString()).isEqualTo("see attached");
    assertThat(doc.get("document").get("file_name").asString()).isEqualTo("plan.pdf");
    JsonNode file = bot.call("getFile", Map.of("file_id", doc.get("document").get("file_id").asString())).result();
    assertThat(bot.get(bot.fileUrl(file.get("file_path").asString())).body()).containsExactly(1, 2, 3);
    assertThat(updates.get(1).get("message").get("photo").get(0).get("width").asInt()).isEqualTo(8);

    HistoryEntry entry = control.history(group.id()).blockFirst();
    assertThat(entry.attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("plan.pdf");
      assertThat(a.url()).startsWith(sandbox.baseUrl("telegram") + "/_sandbox/files/");
      assertThat(control.file(a.id()).block().data()).containsExactly(1, 2, 3);
    });
  }

  @Test
  void anUpgradedGroupAnswersWithItsNewId() {
    SandboxChannel basic = control.createChannel(NewChannel.named("Old group").ofType("group")).block();
    assertThat(bot.call("sendMessage", Map.of("chat_id", basic.id(), "text", "before")).status()).isEqualTo(200);

    SandboxChannel upgraded = telegram.migrateToSupergroup(basic.id(), alice.id()).block();

    BotClient.Response moved = bot.call("sendMessage", Map.of("chat_id", basic.id(), "text", "after"));
    assertThat(moved.status()).isEqualTo(400);
    assertThat(moved.description()).isEqualTo("Bad Request: group chat was upgraded to a supergroup chat");
    assertThat(moved.body().get("parameters").get("migrate_to_chat_id").asString()).isEqualTo(upgraded.id());
    assertThat(upgraded.id()).startsWith("-100");
    assertThat(bot.call("sendMessage", Map.of("chat_id", upgraded.id(), "text", "after")).status()).isEqualTo(200);

    JsonNode updates = updates(Map.of());
    assertThat(updates.get(0).get("message").get("migrate_to_chat_id").asString()).isEqualTo(upgraded.id());
    assertThat(updates.get(1).get("message").get("migrate_from_chat_id").asString()).isEqualTo(basic.id());
    assertThat(control.channels().collectList().block())
        .anySatisfy(c -> assertThat(c.replacedBy()).isEqualTo(upgraded.id()));
  }

  @Test
  void migrationIsAlsoAControlActionOverHttp() throws Exception {
    SandboxChannel basic = control.createChannel(NewChannel.named("Old").ofType("group")).block();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, HttpResponse<String>> migrate = body -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sandbox.baseUrl("telegram") + "/_sandbox/telegram/migrate"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    HttpResponse<String> done = migrate.apply("{\"channelId\":\"" + basic.id() + "\",\"userId\":\"" + alice.id() + "\"}");
    assertThat(done.statusCode()).isEqualTo(200);
    SandboxChannel upgraded = BotClient.JSON.readValue(done.body(), SandboxChannel.class);
    assertThat(upgraded.type()).isEqualTo("supergroup");
    assertThat(control.channels().collectList().block()).contains(new SandboxChannel(basic.id(), "Old", "group", upgraded.id()));

    HttpResponse<String> again = migrate.apply("{\"channelId\":\"" + upgraded.id() + "\",\"userId\":\"" + alice.id() + "\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("\"error\":\"CONFLICT\"").contains("only a basic group");
  }

  @Test
  void forumTopicsCarryThreadIds() {
    SandboxChannel forum = control.createChannel(NewChannel.named("Forum").ofType("forum")).block();
    HistoryEntry topic = control.createThread(forum.id(), alice.id(), "Planning").block();
    HistoryEntry inTopic = control.post(Post.of(forum.id(), alice.id(), "agenda?").withThread(topic.messageId())).block();
    assertThat(inTopic.threadId()).isEqualTo(topic.messageId());
    assertThat(inTopic.replyTo()).as("the implicit topic reply is no reply").isNull();

    JsonNode updates = updates(Map.of());
    assertThat(updates.get(0).get("message").get("forum_topic_created").get("name").asString()).isEqualTo("Planning");
    JsonNode message = updates.get(1).get("message");
    assertThat(message.get("message_thread_id").asString()).isEqualTo(topic.messageId());
    assertThat(message.get("is_topic_message").asBoolean()).isTrue();
    assertThat(message.get("reply_to_message").get("message_id").asString()).isEqualTo(topic.messageId());
    assertThat(message.get("chat").get("is_forum").asBoolean()).isTrue();

    JsonNode answer = bot.call("sendMessage", Map.of("chat_id", forum.id(), "text", "here",
        "message_thread_id", Long.parseLong(topic.messageId()),
        "reply_parameters", Map.of("message_id", Long.parseLong(inTopic.messageId())))).result();
    assertThat(answer.get("message_thread_id").asString()).isEqualTo(topic.messageId());
    assertThat(answer.get("reply_to_message").get("message_id").asString()).isEqualTo(inTopic.messageId());
    assertThat(bot.call("sendMessage", Map.of("chat_id", forum.id(), "text", "lost", "message_thread_id", 999)).description())
        .isEqualTo("Bad Request: message thread not found");
  }

  @Test
  void botsEditDeleteAndReactToMessages() {
    long id = send("draft").get("message_id").asLong();
    JsonNode edited = bot.call("editMessageText", Map.of("chat_id", group.id(), "message_id", id,
        "text", "<s>draft</s> final", "parse_mode", "HTML")).result();
    assertThat(edited.get("text").asString()).isEqualTo("draft final");
    assertThat(edited.has("edit_date")).isTrue();
    assertThat(bot.call("editMessageText", Map.of("chat_id", group.id(), "message_id", id,
        "text", "<s>draft</s> final", "parse_mode", "HTML")).description())
        .startsWith("Bad Request: message is not modified");

    HistoryEntry hers = post("hers");
    assertThat(bot.call("editMessageText", Map.of("chat_id", group.id(), "message_id", Long.parseLong(hers.messageId()),
        "text", "mine now")).description()).isEqualTo("Bad Request: message can't be edited");

    assertThat(bot.call("setMessageReaction", Map.of("chat_id", group.id(), "message_id", Long.parseLong(hers.messageId()),
        "reaction", List.of(Map.of("type", "emoji", "emoji", "👍")))).result().asBoolean()).isTrue();
    assertThat(bot.call("setMessageReaction", Map.of("chat_id", group.id(), "message_id", Long.parseLong(hers.messageId()),
        "reaction", List.of(Map.of("type", "emoji", "emoji", "🦆")))).description()).isEqualTo("Bad Request: REACTION_INVALID");
    assertThat(control.history(group.id()).blockLast().reactions()).singleElement().satisfies(r -> {
      assertThat(r.emoji()).isEqualTo("👍");
      assertThat(r.userIds()).containsExactly("123456");
    });

    assertThat(bot.call("deleteMessage", Map.of("chat_id", group.id(), "message_id", id)).result().asBoolean()).isTrue();
    assertThat(bot.call("deleteMessage", Map.of("chat_id", group.id(), "message_id", id)).description())
        .isEqualTo("Bad Request: message to delete not found");
    HistoryEntry deleted = control.history(group.id()).blockFirst();
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.edited()).isTrue();
    assertThat(deleted.author().kind()).isEqualTo(coop.relay.sandbox.Author.Kind.BOT);
  }

  @Test
  void getChatDescribesChatsAndCaptionsAreEditedApart() {
    JsonNode chat = bot.call("getChat", Map.of("chat_id", group.id())).result();
    assertThat(chat.get("title").asString()).isEqualTo("Coop chat");
    assertThat(chat.get("type").asString()).isEqualTo("supergroup");
    assertThat(bot.call("getChat", Map.of("chat_id", "-1")).description()).isEqualTo("Bad Request: chat not found");

    long photo = bot.multipart("sendPhoto", Map.of("chat_id", group.id(), "caption", "old"), "photo", "p.png", "image/png",
        png(4, 4)).result().get("message_id").asLong();
    assertThat(bot.call("editMessageText", Map.of("chat_id", group.id(), "message_id", photo, "text", "new")).description())
        .isEqualTo("Bad Request: there is no text in the message to edit");
    JsonNode edited = bot.call("editMessageCaption", Map.of("chat_id", group.id(), "message_id", photo,
        "caption", "<i>new</i>", "parse_mode", "HTML")).result();
    assertThat(edited.get("caption").asString()).isEqualTo("new");
    assertThat(edited.get("caption_entities").get(0).get("type").asString()).isEqualTo("italic");
    long text = send("plain").get("message_id").asLong();
    assertThat(bot.call("editMessageCaption", Map.of("chat_id", group.id(), "message_id", text, "caption", "c")).description())
        .isEqualTo("Bad Request: there is no caption in the message to edit");
  }

  @Test
  void historyRawObjectsAreBotApiMessages() {
    SandboxChannel forum = control.createChannel(NewChannel.named("Forum").ofType("forum")).block();
    HistoryEntry topic = control.createThread(forum.id(), alice.id(), "Topic").block();
    control.post(Post.of(forum.id(), alice.id(), "<b>hi</b> @alice_tg #tag https://relay.coop").withThread(topic.messageId())).block();
    bot.call("sendMessage", Map.of("chat_id", forum.id(), "text", "x", "link_preview_options", Map.of("is_disabled", true)));
    post("hello");
    for (String chat : List.of(forum.id(), group.id())) {
      for (HistoryEntry e : control.history(chat).collectList().block()) {
        assertThat(spec.check("Message", BotClient.JSON.readTree(e.raw()))).as(e.raw()).isEmpty();
      }
    }
    HistoryEntry rich = control.history(forum.id()).collectList().block().get(1);
    assertThat(rich.text()).isEqualTo("hi @alice_tg #tag https://relay.coop");
    assertThat(rich.formatted()).isEqualTo("<b>hi</b> @alice_tg #tag https://relay.coop");
    JsonNode entities = BotClient.JSON.readTree(rich.raw()).get("entities");
    List<String> types = new ArrayList<>();
    entities.forEach(en -> types.add(en.get("type").asString()));
    assertThat(types).containsExactly("bold", "mention", "hashtag", "url");
  }

  static byte[] png(int width, int height) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
