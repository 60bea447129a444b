package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Discord emulator's REST API over real HTTP; every answer is checked against the OpenAPI spec. */
class DiscordRestIT {
  static final String TOKEN = "sandbox.bot-token.1";

  private RelaySandbox sandbox;
  private DiscordEmulator discord;
  private SandboxControl control;
  private DiscordRest rest;
  private SandboxUser alice;
  private SandboxChannel general;
  private String channel;

  @BeforeEach
  void start() {
    discord = DiscordEmulator.builder().bot(TOKEN, "Relay").customEmoji("party_blob").customEmoji("aardvark").rateLimits(false)
        .uploadLimit(4000).build();
    sandbox = RelaySandbox.builder().emulator(discord).build();
    sandbox.start().block();
    control = sandbox.control("discord");
    rest = new DiscordRest(discord.apiBaseUrl(), TOKEN);
    alice = control.createUser(NewUser.named("Alice").withAvatar("https://example.org/alice.png")).block();
    general = control.createChannel(NewChannel.named("General Chat")).block();
    channel = general.id();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private String messages() {
    return "/channels/" + channel + "/messages";
  }

  private JsonNode send(Object body) {
    DiscordRest.Response r = rest.post(messages(), body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void gatewayBotPointsAtTheEmulatorsOwnGateway() {
    assertThat(discord.apiBaseUrl()).isEqualTo(sandbox.baseUrl("discord") + "/api/v10");
    JsonNode g = rest.get("/gateway/bot").json();
    assertThat(g.get("url").asString()).isEqualTo(discord.gatewayUrl()).startsWith("ws://127.0.0.1:");
    assertThat(g.get("shards").asInt()).isEqualTo(1);
    assertThat(g.at("/session_start_limit/max_concurrency").asInt()).isEqualTo(1);
    assertThat(rest.withToken(null).get("/gateway").json().get("url").asString()).isEqualTo(discord.gatewayUrl());
    JsonNode me = rest.get("/users/@me").json();
    assertThat(me.get("id").asString()).isEqualTo(discord.botUserId(TOKEN));
    assertThat(me.get("bot").asBoolean()).isTrue();
  }

  @Test
  void requestsWithoutAValidBotTokenAre401() {
    for (DiscordRest client : List.of(rest.withToken(null), rest.withToken("not.the.token"))) {
      DiscordRest.Response r = client.post(messages(), DiscordRest.content("hi"));
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("message").asString()).isEqualTo("401: Unauthorized");
      assertThat(r.code()).isZero();
    }
    assertThat(discord.invalidRequests()).isEqualTo(2);
    assertThat(control.history(channel).collectList().block()).isEmpty();
  }

  @Test
  void unknownRoutesMethodsAndIdsAnswerDiscordsErrors() {
    assertThat(rest.get("/nothing/here").status()).isEqualTo(404);
    DiscordRest.Response wrongMethod = rest.send("PUT", messages(), null, null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("message").asString()).isEqualTo("405: Method Not Allowed");
    DiscordRest.Response unknownChannel = rest.post("/channels/123456789/messages", DiscordRest.content("hi"));
    assertThat(unknownChannel.status()).isEqualTo(404);
    assertThat(unknownChannel.code()).isEqualTo(10003);
    DiscordRest.Response notSnowflake = rest.get("/channels/general/messages");
    assertThat(notSnowflake.status()).isEqualTo(400);
    assertThat(notSnowflake.code()).isEqualTo(50035);
    assertThat(notSnowflake.json().at("/errors/channel_id/_errors/0/code").asString()).isEqualTo("NUMBER_TYPE_COERCE");
  }

  @Test
  void botMessagesCarryTheBotAuthorAndTheNonceAndReachTheHistory() {
    JsonNode m = send(Map.of("content", "**hello** <@" + alice.id() + ">", "nonce", "n-1"));
    assertThat(m.get("content").asString()).isEqualTo("**hello** <@" + alice.id() + ">");
    assertThat(m.get("channel_id").asString()).isEqualTo(channel);
    assertThat(m.at("/author/id").asString()).isEqualTo(discord.botUserId(TOKEN));
    assertThat(m.at("/author/bot").asBoolean()).isTrue();
    assertThat(m.get("nonce").asString()).isEqualTo("n-1");
    assertThat(m.get("type").asInt()).isZero();
    assertThat(m.get("edited_timestamp").isNull()).isTrue();
    assertThat(m.get("mentions")).hasSize(1);
    assertThat(m.at("/mentions/0/id").asString()).isEqualTo(alice.id());
    JsonNode fetched = rest.get(messages() + "/" + m.get("id").asString()).json();
    assertThat(fetched.get("content").asString()).isEqualTo(m.get("content").asString());
    assertThat(fetched.has("nonce")).as("Discord does not keep nonces").isFalse();
    HistoryEntry entry = control.history(channel).blockFirst();
    assertThat(entry.messageId()).isEqualTo(m.get("id").asString());
    assertThat(entry.author().kind()).isEqualTo(Author.Kind.BOT);
    assertThat(entry.author().shownName()).isEqualTo("Relay");
    assertThat(entry.text()).isEqualTo("**hello** <@" + alice.id() + ">");
  }

  @Test
  void enforcedNoncesReturnTheEarlierMessageInsteadOfADuplicate() {
    JsonNode first = send(Map.of("content", "once", "nonce", 42, "enforce_nonce", true));
    JsonNode again = send(Map.of("content", "once", "nonce", 42, "enforce_nonce", true));
    assertThat(again.get("id").asString()).isEqualTo(first.get("id").asString());
    JsonNode unenforced = send(Map.of("content", "once", "nonce", 42));
    assertThat(unenforced.get("id").asString()).isNotEqualTo(first.get("id").asString());
    assertThat(control.history(channel).collectList().block()).hasSize(2);
  }

  @Test
  void contentOverTwoThousandCharactersIsRefusedWithTheErrorsTree() {
    DiscordRest.Response r = rest.post(messages(), DiscordRest.content("x".repeat(2001)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo(50035);
    assertThat(r.json().get("message").asString()).isEqualTo("Invalid Form Body");
    assertThat(r.json().at("/errors/content/_errors/0/code").asString()).isEqualTo("BASE_TYPE_MAX_LENGTH");
    assertThat(send(DiscordRest.content("😀".repeat(2000))).get("content").asString()).hasSize(4000);
    DiscordRest.Response empty = rest.post(messages(), DiscordRest.content(""));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.code()).isEqualTo(50006);
    DiscordRest.Response edit = rest.patch(messages() + "/" + send(DiscordRest.content("short")).get("id").asString(),
        DiscordRest.content("y".repeat(2001)));
    assertThat(edit.code()).isEqualTo(50035);
  }

  @Test
  void editsSetEditedTimestampAndOnlyTheAuthorMayEdit() {
    String id = send(DiscordRest.content("draft")).get("id").asString();
    JsonNode edited = rest.patch(messages() + "/" + id, DiscordRest.content("final")).json();
    assertThat(edited.get("content").asString()).isEqualTo("final");
    assertThat(edited.get("edited_timestamp").isString()).isTrue();
    HistoryEntry human = control.post(Post.of(channel, alice.id(), "mine")).block();
    DiscordRest.Response r = rest.patch(messages() + "/" + human.messageId(), DiscordRest.content("hijacked"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo(50005);
    assertThat(control.history(channel).collectList().block())
        .extracting(HistoryEntry::text, HistoryEntry::edited)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("final", true), org.assertj.core.groups.Tuple.tuple("mine", false));
  }

  @Test
  void deletesAndBulkDeletesMarkTheHistoryAndHideTheMessages() {
    String a = send(DiscordRest.content("a")).get("id").asString();
    String b = send(DiscordRest.content("b")).get("id").asString();
    String c = send(DiscordRest.content("c")).get("id").asString();
    assertThat(rest.delete(messages() + "/" + a).status()).isEqualTo(204);
    DiscordRest.Response gone = rest.get(messages() + "/" + a);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.code()).isEqualTo(10008);
    assertThat(rest.post(messages() + "/bulk-delete", Map.of("messages", List.of(b))).code()).isEqualTo(50016);
    assertThat(rest.post(messages() + "/bulk-delete", Map.of("messages", List.of(b, c))).status()).isEqualTo(204);
    assertThat(rest.get(messages()).json()).isEmpty();
    assertThat(control.history(channel).collectList().block()).allMatch(HistoryEntry::deleted).hasSize(3);
  }

  @Test
  void listingPagesNewestFirst() {
    for (int i = 0; i < 5; i++) {
      send(DiscordRest.content("m" + i));
    }
    JsonNode all = rest.get(messages()).json();
    assertThat(all).extracting(n -> n.get("content").asString()).containsExactly("m4", "m3", "m2", "m1", "m0");
    String third = all.get(2).get("id").asString();
    assertThat(rest.get(messages() + "?limit=2").json()).extracting(n -> n.get("content").asString()).containsExactly("m4", "m3");
    assertThat(rest.get(messages() + "?before=" + third).json()).extracting(n -> n.get("content").asString()).containsExactly("m1", "m0");
    assertThat(rest.get(messages() + "?after=" + third + "&limit=1").json()).extracting(n -> n.get("content").asString()).containsExactly("m3");
    assertThat(rest.get(messages() + "?limit=101").status()).isEqualTo(400);
  }

  @Test
  void repliesCarryTheReferenceAndTheReferencedMessage() {
    HistoryEntry question = control.post(Post.of(channel, alice.id(), "question?")).block();
    JsonNode reply = send(Map.of("content", "answer", "message_reference",
        Map.of("message_id", question.messageId(), "fail_if_not_exists", false)));
    assertThat(reply.get("type").asInt()).isEqualTo(19);
    assertThat(reply.at("/message_reference/message_id").asString()).isEqualTo(question.messageId());
    assertThat(reply.at("/message_reference/channel_id").asString()).isEqualTo(channel);
    assertThat(reply.at("/referenced_message/content").asString()).isEqualTo("question?");
    assertThat(reply.get("mentions")).as("the replied-to author is pinged by default").hasSize(1);
    JsonNode quiet = send(Map.of("content", "answer", "message_reference", Map.of("message_id", question.messageId()),
        "allowed_mentions", Map.of("parse", List.of())));
    assertThat(quiet.get("mentions")).isEmpty();
    DiscordRest.Response missing = rest.post(messages(), Map.of("content", "x", "message_reference", Map.of("message_id", "1234")));
    assertThat(missing.code()).isEqualTo(50035);
    assertThat(missing.json().at("/errors/message_reference/_errors/0/code").asString())
        .isEqualTo("MESSAGE_REFERENCE_UNKNOWN_MESSAGE");
    JsonNode lenient = send(Map.of("content", "x", "message_reference", Map.of("message_id", "1234", "fail_if_not_exists", false)));
    assertThat(lenient.get("type").asInt()).isZero();
    assertThat(lenient.has("message_reference")).isFalse();
    assertThat(control.history(channel).collectList().block().get(1).replyTo()).isEqualTo(question.messageId());
  }

  @Test
  void allowedMentionsDecideWhoIsMentioned() {
    String text = "hey <@" + alice.id() + "> and @everyone";
    JsonNode all = send(DiscordRest.content(text));
    assertThat(all.get("mentions")).hasSize(1);
    assertThat(all.get("mention_everyone").asBoolean()).isTrue();
    JsonNode none = send(Map.of("content", text, "allowed_mentions", Map.of("parse", List.of())));
    assertThat(none.get("mentions")).isEmpty();
    assertThat(none.get("mention_everyone").asBoolean()).isFalse();
    JsonNode onlyAlice = send(Map.of("content", text, "allowed_mentions", Map.of("users", List.of(alice.id()))));
    assertThat(onlyAlice.get("mentions")).hasSize(1);
    assertThat(onlyAlice.get("mention_everyone").asBoolean()).isFalse();
    DiscordRest.Response conflict = rest.post(messages(), Map.of("content", text,
        "allowed_mentions", Map.of("parse", List.of("users"), "users", List.of(alice.id()))));
    assertThat(conflict.code()).isEqualTo(50035);
  }

  @Test
  void reactionsWithUnicodeAndCustomEmoji() {
    HistoryEntry m = control.post(Post.of(channel, alice.id(), "react to me")).block();
    String base = messages() + "/" + m.messageId() + "/reactions/";
    String thumbs = URLEncoder.encode("👍", StandardCharsets.UTF_8);
    assertThat(rest.put(base + thumbs + "/@me").status()).isEqualTo(204);
    String custom = discord.customEmoji("party_blob");
    assertThat(rest.put(base + URLEncoder.encode(custom, StandardCharsets.UTF_8) + "/@me").status()).isEqualTo(204);
    control.react(channel, m.messageId(), alice.id(), "👍").block();
    JsonNode message = rest.get(messages() + "/" + m.messageId()).json();
    assertThat(message.get("reactions")).hasSize(2);
    assertThat(message.at("/reactions/0/emoji/name").asString()).isEqualTo("👍");
    assertThat(message.at("/reactions/0/count").asInt()).isEqualTo(2);
    assertThat(message.at("/reactions/0/me").asBoolean()).isTrue();
    assertThat(message.at("/reactions/1/emoji/id").asString()).isEqualTo(custom.substring(custom.indexOf(':') + 1));
    assertThat(rest.get(base + thumbs).json()).hasSize(2);
    assertThat(rest.delete(base + thumbs + "/@me").status()).isEqualTo(204);
    assertThat(rest.delete(base + thumbs + "/" + alice.id()).status()).isEqualTo(204);
    DiscordRest.Response unknown = rest.put(base + "notanemoji/@me");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo(10014);
    assertThat(rest.put(base + "ghost%3A123/@me").code()).isEqualTo(10014);
    String aardvark = discord.customEmoji("aardvark");
    assertThat(rest.put(base + URLEncoder.encode(aardvark, StandardCharsets.UTF_8) + "/@me").status()).isEqualTo(204);
    assertThat(rest.get(messages() + "/" + m.messageId()).json().at("/reactions/1/emoji/name").asString())
        .as("a name starting with 'a' is not the animated prefix").isEqualTo("aardvark");
    assertThat(rest.delete(base + URLEncoder.encode(aardvark, StandardCharsets.UTF_8) + "/@me").status()).isEqualTo(204);
    assertThat(control.history(channel).blockFirst().reactions())
        .singleElement()
        .satisfies(r -> assertThat(r.emoji()).isEqualTo(custom));
  }

  @Test
  void filesUploadAsMultipartAndAreServedAtCdnUrls() {
    byte[] data = "hello file".getBytes(StandardCharsets.UTF_8);
    DiscordRest.Response r = rest.multipart("POST", messages(),
        Map.of("content", "with a file", "attachments", List.of(Map.of("id", 0, "description", "greeting"))),
        List.of(new DiscordRest.FilePart("files[0]", "hello world.txt", "text/plain", data)));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    JsonNode attachment = r.json().at("/attachments/0");
    assertThat(attachment.get("filename").asString()).isEqualTo("hello_world.txt");
    assertThat(attachment.get("size").asInt()).isEqualTo(data.length);
    assertThat(attachment.get("description").asString()).isEqualTo("greeting");
    assertThat(attachment.get("url").asString()).startsWith(sandbox.baseUrl("discord") + "/attachments/" + channel + "/")
        .contains("?ex=");
    HttpResponse<byte[]> download = rest.fetch(attachment.get("url").asString());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(data);
    assertThat(rest.fetch(attachment.get("proxy_url").asString()).body()).isEqualTo(data);
    HistoryEntry entry = control.history(channel).blockFirst();
    assertThat(control.file(entry.attachments().get(0).id()).block().data()).isEqualTo(data);
    DiscordRest.Response tooBig = rest.multipart("POST", messages(), Map.of(),
        List.of(new DiscordRest.FilePart("files[0]", "big.bin", "application/octet-stream", new byte[5000])));
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.code()).isEqualTo(40005);
  }

  @Test
  void peopleAttachFilesAndHaveAvatarsOnTheCdn() {
    control.post(Post.of(channel, alice.id(), "").withAttachment(new SandboxFile("a.txt", "text/plain", new byte[] {1, 2}))).block();
    JsonNode m = rest.get(messages()).json().get(0);
    assertThat(m.at("/attachments/0/content_type").asString()).isEqualTo("text/plain");
    assertThat(m.at("/author/global_name").asString()).isEqualTo("Alice");
    String avatar = m.at("/author/avatar").asString();
    HttpResponse<byte[]> redirect = rest.fetch(sandbox.baseUrl("discord") + "/avatars/" + alice.id() + "/" + avatar + ".png");
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location")).hasValue("https://example.org/alice.png");
  }

  @Test
  void threadsAreChannelsWhoseMessagesShowInTheParentsHistory() {
    HistoryEntry root = control.createThread(channel, alice.id(), "Planning").block();
    assertThat(root.threadId()).isEqualTo(root.messageId());
    JsonNode thread = rest.get("/channels/" + root.messageId()).json();
    assertThat(thread.get("type").asInt()).isEqualTo(11);
    assertThat(thread.get("parent_id").asString()).isEqualTo(channel);
    JsonNode inThread = rest.post("/channels/" + root.messageId() + "/messages", DiscordRest.content("in the thread")).json();
    assertThat(inThread.get("channel_id").asString()).isEqualTo(root.messageId());
    control.post(Post.of(channel, alice.id(), "me too").withThread(root.messageId())).block();
    List<HistoryEntry> history = control.history(channel).collectList().block();
    assertThat(history).extracting(HistoryEntry::text).containsExactly("Planning", "in the thread", "me too");
    assertThat(history).allMatch(e -> root.messageId().equals(e.threadId()));
    assertThat(control.history(root.messageId()).collectList().block()).hasSize(2);

    String starter = send(DiscordRest.content("start here")).get("id").asString();
    DiscordRest.Response fromMessage = rest.post(messages() + "/" + starter + "/threads", Map.of("name", "From a message"));
    assertThat(fromMessage.status()).isEqualTo(201);
    assertThat(fromMessage.json().get("id").asString()).isEqualTo(starter);
    DiscordRest.Response standalone = rest.post("/channels/" + channel + "/threads", Map.of("name", "Standalone", "type", 11));
    assertThat(standalone.status()).isEqualTo(201);
    JsonNode notice = rest.get(messages() + "?limit=1").json().get(0);
    assertThat(notice.get("type").asInt()).isEqualTo(18);
    assertThat(notice.at("/message_reference/channel_id").asString()).isEqualTo(standalone.json().get("id").asString());
  }

  @Test
  void controlApiRefusesWhatDiscordWouldRefuse() {
    assertThat(control.post(Post.of(channel, alice.id(), "x".repeat(2001))).onErrorResume(e -> reactor.core.publisher.Mono.empty()).block()).isNull();
    assertThat(control.createChannel(NewChannel.named("voice").ofType("voice")).onErrorResume(e -> reactor.core.publisher.Mono.empty()).block()).isNull();
    assertThat(general.name()).isEqualTo("general-chat");
    assertThat(control.users().collectList().block()).extracting(SandboxUser::bot).containsExactly(true, false);
  }
}
