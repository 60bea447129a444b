package coop.relay.discord;

import static coop.relay.discord.FakeDiscord.body;
import static coop.relay.discord.FakeDiscord.error;
import static coop.relay.discord.FakeDiscord.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** What the connector sends to Discord's REST API, over real HTTP, each request checked against the OpenAPI spec. */
class DiscordRestIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String CHANNEL = "111111111111111111";
  private static final Identity TESS = new Identity(new UserRef("tg", "42"), "Tess", "https://example.org/tess.png",
      false, null);

  private final FakeDiscord discord = new FakeDiscord();
  private final DiscordSpec.Recorder spec = DiscordSpec.load().interceptor("/api/v10");
  private int deliveries;

  DiscordRestIT() throws Exception {}

  @AfterEach
  void conformsAndCloses() {
    discord.close();
    assertThat(spec.violations()).as("requests that do not conform to Discord's OpenAPI spec").isEmpty();
  }

  private DiscordConnector.Builder builder() {
    return DiscordConnector.builder().id("dc").token(FakeDiscord.TOKEN).baseUrl(discord.baseUrl()).interceptor(spec);
  }

  private OutboundMessage outbound(DiscordConnector connector, RichText text, @Nullable MessageRef replyTo,
      @Nullable MessageRef threadRoot, List<OutboundAttachment> attachments) {
    deliveries++;
    return new OutboundMessage(ChannelRef.of("dc", CHANNEL), ChannelRef.of("tg", "-100").message("m" + deliveries),
        TESS, connector.render(text), attachments, replyTo, threadRoot, new OriginMarker("relay-1", "d" + deliveries));
  }

  private OutboundMessage outbound(DiscordConnector connector, String text) {
    return outbound(connector, RichText.of(text), null, null, List.of());
  }

  @Test
  void postsThroughANewWebhookUnderTheAuthorsNameAndPingsNobody() {
    DiscordConnector connector = builder().build();

    MessageRef ref = connector.post(outbound(connector, "hello @everyone")).block(TIMEOUT);

    List<RecordedRequest> created = discord.requests("POST", "/channels/" + CHANNEL + "/webhooks");
    assertThat(created).hasSize(1);
    assertThat(body(created.get(0)).path("name").asString()).isEqualTo("Relay");
    RecordedRequest executed = discord.requests("POST", "/webhooks/\\d+/[^/]+").get(0);
    assertThat(executed.getUrl().queryParameter("wait")).isEqualTo("true");
    assertThat(executed.getHeaders().get("Authorization")).as("webhook calls carry no bot token").isNull();
    JsonNode sent = body(executed);
    assertThat(sent.path("username").asString()).isEqualTo("Tess");
    assertThat(sent.path("avatar_url").asString()).isEqualTo("https://example.org/tess.png");
    assertThat(sent.path("content").asString()).isEqualTo("hello \\@everyone");
    assertThat(sent.path("allowed_mentions").toString()).isEqualTo("{\"parse\":[]}");
    assertThat(ref).isNotNull();
    assertThat(ref.channel()).isEqualTo(ChannelRef.of("dc", CHANNEL));
    assertThat(discord.requests("GET", "/users/@me").get(0).getHeaders().get("Authorization"))
        .isEqualTo("Bot " + FakeDiscord.TOKEN);
  }

  @Test
  void reusesTheBotsWebhookAndCreatesNone() {
    discord.on("GET", "/channels/\\d+/webhooks", request -> json("[{\"id\":\"5\",\"type\":1,\"token\":\"t-other\","
        + "\"name\":\"Someone's\",\"user\":{\"id\":\"123\",\"username\":\"x\"}},{\"id\":\"6\",\"type\":1,"
        + "\"token\":\"t-ours\",\"name\":\"Relay\",\"user\":{\"id\":\"" + FakeDiscord.BOT_ID + "\",\"username\":\"relay\"}}]"));
    DiscordConnector connector = builder().build();

    connector.post(outbound(connector, "one")).block(TIMEOUT);
    connector.post(outbound(connector, "two")).block(TIMEOUT);

    assertThat(discord.requests("POST", "/channels/\\d+/webhooks")).isEmpty();
    assertThat(discord.requests("GET", "/channels/\\d+/webhooks")).hasSize(1);
    assertThat(discord.requests("POST", "/webhooks/6/t-ours")).hasSize(2);
  }

  @Test
  void withoutManageWebhooksPostsAsTheBotWithTheNameInFrontAndTheMarkerInTheNonce() {
    discord.on("GET", "/channels/\\d+/webhooks", request -> error(403, 50013, "Missing Permissions"));
    DiscordConnector connector = builder().build();

    connector.post(outbound(connector, "first")).block(TIMEOUT);
    connector.post(outbound(connector, "second")).block(TIMEOUT);

    List<RecordedRequest> posts = discord.requests("POST", "/channels/" + CHANNEL + "/messages");
    assertThat(posts).hasSize(2);
    JsonNode first = body(posts.get(0));
    assertThat(first.path("content").asString()).isEqualTo("**Tess**: first");
    assertThat(first.path("nonce").asString()).isEqualTo("relay-1.d1");
    assertThat(first.path("enforce_nonce").asBoolean()).isTrue();
    assertThat(first.path("allowed_mentions").path("parse")).isEmpty();
    assertThat(discord.requests("GET", "/channels/\\d+/webhooks")).as("the denial is remembered").hasSize(1);
  }

  @Test
  void repliesAreBotMessagesWithAReferenceThatNeverFailsAndPingsNobody() {
    DiscordConnector connector = builder().build();
    MessageRef target = ChannelRef.of("dc", CHANNEL).message("222222222222222222");

    connector.post(outbound(connector, RichText.of("an answer"), target, null, List.of())).block(TIMEOUT);

    JsonNode sent = body(discord.requests("POST", "/channels/" + CHANNEL + "/messages").get(0));
    assertThat(sent.path("message_reference").path("message_id").asString()).isEqualTo("222222222222222222");
    assertThat(sent.path("message_reference").path("fail_if_not_exists").asBoolean(true)).isFalse();
    assertThat(sent.path("allowed_mentions").path("replied_user").asBoolean(true)).isFalse();
    assertThat(sent.path("content").asString()).isEqualTo("**Tess**: an answer");
  }

  @Test
  void onlyLinkedPeopleMayBePinged() {
    UserRef linked = new UserRef("tg", "7");
    DiscordConnector connector = builder().linkedIdentity(linked, "777777777777777777").build();
    RichText text = RichText.builder().text("hi ").mention(linked, "Linda").text(" and ")
        .mention(new UserRef("tg", "8"), "Otto").text(" and ").mention(new UserRef("dc", "555555555555555555"), "Dora")
        .build();

    connector.post(outbound(connector, text, null, null, List.of())).block(TIMEOUT);

    JsonNode sent = body(discord.requests("POST", "/webhooks/\\d+/[^/]+").get(0));
    assertThat(sent.path("content").asString())
        .isEqualTo("hi <@777777777777777777> and @Otto and <@555555555555555555>");
    assertThat(sent.path("allowed_mentions").toString())
        .isEqualTo("{\"parse\":[],\"users\":[\"777777777777777777\"]}");
  }

  @Test
  void textOver2000CharactersIsSplitAndDeletedTogether() {
    DiscordConnector connector = builder().build();
    String paragraph = "word ".repeat(300).strip();
    String text = paragraph + "\n" + paragraph + "\n" + paragraph;

    MessageRef ref = connector.post(outbound(connector, text)).block(TIMEOUT);
    connector.delete(ref).block(TIMEOUT);

    List<RecordedRequest> parts = discord.requests("POST", "/webhooks/\\d+/[^/]+");
    assertThat(parts).hasSize(3);
    assertThat(parts).allSatisfy(part -> assertThat(body(part).path("content").asString().length()).isLessThanOrEqualTo(2000));
    assertThat(discord.requests("DELETE", "/webhooks/\\d+/[^/]+/messages/\\d+")).hasSize(3);
  }

  @Test
  void editsAndDeletesGoThroughTheWebhookMessageEndpointsWithTheThread() {
    DiscordConnector connector = builder().build();
    MessageRef root = ChannelRef.of("dc", CHANNEL).message("333333333333333333");

    MessageRef copy = connector.post(outbound(connector, RichText.of("in a thread"), null, root, List.of()))
        .block(TIMEOUT);
    connector.edit(copy, outbound(connector, "edited")).block(TIMEOUT);
    connector.delete(copy).block(TIMEOUT);

    assertThat(discord.requests("POST", "/channels/" + CHANNEL + "/messages/333333333333333333/threads")).hasSize(1);
    RecordedRequest post = discord.requests("POST", "/webhooks/\\d+/[^/]+").get(0);
    assertThat(post.getUrl().queryParameter("thread_id")).isEqualTo("333333333333333333");
    RecordedRequest edit = discord.requests("PATCH", "/webhooks/\\d+/[^/]+/messages/" + copy.messageId()).get(0);
    assertThat(edit.getUrl().queryParameter("thread_id")).isEqualTo("333333333333333333");
    assertThat(body(edit).path("content").asString()).isEqualTo("edited");
    assertThat(discord.requests("DELETE", "/webhooks/\\d+/[^/]+/messages/" + copy.messageId())).hasSize(1);
  }

  @Test
  void deletingAMessageThatIsGoneSucceeds() {
    discord.on("GET", "/channels/\\d+/messages/\\d+", request -> error(404, 10008, "Unknown Message"));
    DiscordConnector connector = builder().build();

    connector.delete(ChannelRef.of("dc", CHANNEL).message("444444444444444444")).block(TIMEOUT);

    assertThat(discord.requests("GET", "/channels/" + CHANNEL + "/messages/444444444444444444")).hasSize(1);
  }

  @Test
  void reactionsEncodeUnicodeAndCustomEmojiAndAreSharedByPeople() {
    DiscordConnector connector = builder().build();
    MessageRef target = ChannelRef.of("dc", CHANNEL).message("555555555555555555");
    Emoji thumbs = Emoji.unicode("thumbsup", "\uD83D\uDC4D");
    Emoji custom = Emoji.custom("party", "https://cdn.discordapp.com/emojis/987654321.png");
    Identity otto = Identity.of(new UserRef("tg", "8"), "Otto");

    connector.addReaction(target, thumbs, TESS).block(TIMEOUT);
    connector.addReaction(target, thumbs, otto).block(TIMEOUT);
    connector.removeReaction(target, thumbs, TESS).block(TIMEOUT);
    connector.addReaction(target, custom, TESS).block(TIMEOUT);
    connector.removeReaction(target, thumbs, otto).block(TIMEOUT);

    List<RecordedRequest> puts = discord.requests("PUT", "/channels/\\d+/messages/\\d+/reactions/.*");
    assertThat(puts).extracting(r -> r.getUrl().encodedPath()).containsExactly(
        "/api/v10/channels/" + CHANNEL + "/messages/555555555555555555/reactions/%F0%9F%91%8D/@me",
        "/api/v10/channels/" + CHANNEL + "/messages/555555555555555555/reactions/party:987654321/@me");
    assertThat(discord.requests("DELETE", "/channels/\\d+/messages/\\d+/reactions/.*"))
        .as("removed once the last person took theirs back").hasSize(1);
    assertThatThrownBy(() -> connector.addReaction(target, Emoji.custom("slackparrot", "https://slack.example/p.png"),
        TESS).block(TIMEOUT)).isInstanceOf(DeliveryException.class).hasMessageContaining("cannot react");
  }

  @Test
  void filesWithinTheLimitAreUploadedAndLargerOnesLinked() {
    DiscordConnector connector = builder().maxAttachmentBytes(10).build();
    Attachment small = new Attachment("a1", "small.txt", "text/plain", 5, "https://files.example/small.txt",
        Attachment.Kind.FILE);
    Attachment big = new Attachment("a2", "big.bin", "application/octet-stream", 50, "https://files.example/big.bin",
        Attachment.Kind.FILE);
    List<OutboundAttachment> files = List.of(new OutboundAttachment(small, Mono.just("hello".getBytes())),
        new OutboundAttachment(big, Mono.error(new AssertionError("a linked file must not be downloaded"))));

    connector.post(outbound(connector, RichText.of("files"), null, null, files)).block(TIMEOUT);

    RecordedRequest upload = discord.requests("POST", "/webhooks/\\d+/[^/]+").get(0);
    String multipart = upload.getBody().utf8();
    assertThat(upload.getHeaders().get("Content-Type")).startsWith("multipart/form-data");
    assertThat(multipart).contains("name=\"files[0]\"; filename=\"small.txt\"").contains("hello")
        .contains("name=\"payload_json\"").contains("big.bin: <https://files.example/big.bin>")
        .contains("\"attachments\":[{\"id\":\"0\",\"filename\":\"small.txt\"}]");
  }

  @Test
  void aRejectedTokenIsCredentialsRejectedWithoutTheToken() {
    discord.on("GET", "/users/@me", request -> error(401, 0, "401: Unauthorized"));
    DiscordConnector connector = builder().build();

    assertThatThrownBy(() -> connector.post(outbound(connector, "x")).block(TIMEOUT))
        .isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("Reset Token")
        .hasMessageNotContaining(FakeDiscord.TOKEN);
  }

  @Test
  void anUnknownChannelFailsPermanently() {
    discord.on("GET", "/channels/\\d+/webhooks", request -> error(404, 10003, "Unknown Channel"));
    DiscordConnector connector = builder().build();

    assertThatThrownBy(() -> connector.post(outbound(connector, "x")).block(TIMEOUT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("Unknown Channel");
  }

  @Test
  void aRouteThatKeepsBeingRefusedStopsWithoutSendingMore() {
    discord.on("GET", "/channels/\\d+/webhooks", request -> error(403, 50013, "Missing Permissions"));
    discord.on("POST", "/channels/\\d+/messages", request -> error(403, 50013, "Missing Permissions"));
    DiscordConnector connector = builder().build();

    for (int i = 0; i < 7; i++) {
      assertThatThrownBy(() -> connector.post(outbound(connector, "x")).block(TIMEOUT))
          .isInstanceOf(DeliveryException.class);
    }

    assertThat(discord.requests("POST", "/channels/" + CHANNEL + "/messages")).hasSize(5);
    assertThatThrownBy(() -> connector.post(outbound(connector, "x")).block(TIMEOUT))
        .hasMessageContaining("stopped sending");
  }

  @Test
  void serverErrorsAreRetried() {
    int[] calls = {0};
    discord.on("POST", "/webhooks/\\d+/[^/]+", request -> ++calls[0] <= 2
        ? error(502, 0, "Bad Gateway") : json(discord.message("77", CHANNEL, "", "1")));
    DiscordConnector connector = builder().build();

    MessageRef ref = connector.post(outbound(connector, "retried")).block(TIMEOUT);

    assertThat(ref).isNotNull();
    assertThat(ref.messageId()).isEqualTo("77");
    assertThat(discord.requests("POST", "/webhooks/\\d+/[^/]+")).hasSize(3);
  }
}
