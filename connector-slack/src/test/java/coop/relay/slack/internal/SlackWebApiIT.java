package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.RateLimitedException;
import coop.relay.api.UserRef;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.slack.SlackConnector;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the connector sends to the Web API, and what Slack's answers mean for the relay. */
class SlackWebApiIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Identity ADA = new Identity(new UserRef("dc", "42"), "Ada", "https://example.org/ada.png",
      false, null);

  private FakeSlack slack;
  private SlackConnector connector;

  @BeforeEach
  void setUp() throws Exception {
    slack = new FakeSlack();
    connector = SlackConnector.builder().id("sl").baseUrl(slack.baseUrl()).botToken("xoxb-secret-token")
        .appToken("xapp-secret-token").build();
  }

  @AfterEach
  void tearDown() {
    connector.close().block(WAIT);
    slack.close();
  }

  @Test
  void aPostCarriesIdentityThreadMarkerAndNoUnfurling() {
    MessageRef thread = ChannelRef.of("sl", "C1").message("1700000000.000001");

    MessageRef ref = connector.post(message("C1", "hi *all*", null, thread)).block(WAIT);

    assertThat(ref.channel()).isEqualTo(ChannelRef.of("sl", "C1"));
    FakeSlack.Call call = slack.calls("chat.postMessage").get(0);
    assertThat(call.authorization()).isEqualTo("Bearer xoxb-secret-token");
    assertThat(call.parameters()).containsEntry("channel", "C1").containsEntry("text", "hi *all*")
        .containsEntry("username", "Ada").containsEntry("icon_url", "https://example.org/ada.png")
        .containsEntry("thread_ts", "1700000000.000001").containsEntry("unfurl_links", "false")
        .containsEntry("unfurl_media", "false").containsEntry("link_names", "false");
    assertThat(Json.mapper().readTree(call.parameters().get("metadata")).toString())
        .isEqualTo("{\"event_type\":\"relay_copy\",\"event_payload\":{\"origin\":\"relay-1.d-1\"}}");
    assertThat(call.parameters().get("text")).isEqualTo("hi *all*");
  }

  @Test
  void aReplyGoesIntoTheThreadOfItsTarget() {
    connector.post(message("C1", "reply", ChannelRef.of("sl", "C1").message("1700000000.000009"), null)).block(WAIT);

    assertThat(slack.calls("chat.postMessage").get(0).parameters()).containsEntry("thread_ts", "1700000000.000009");
  }

  @Test
  void aReplyToAMessageInsideAThreadGoesIntoThatThread() {
    MessageRef root = ChannelRef.of("sl", "C1").message("1700000000.000001");
    MessageRef inThread = connector.post(message("C1", "in the thread", null, root)).block(WAIT);

    connector.post(message("C1", "answer", inThread, null)).block(WAIT);

    assertThat(slack.calls("chat.postMessage")).extracting(c -> c.parameters().get("thread_ts"))
        .containsExactly("1700000000.000001", "1700000000.000001");
  }

  @Test
  void aLongTextIsSplitAndDeletedWhole() {
    String para = "word ".repeat(700).strip();
    MessageRef ref = connector.post(message("C1", para + "\n" + para, null, null)).block(WAIT);

    connector.delete(ref).block(WAIT);

    assertThat(slack.calls("chat.postMessage")).hasSize(2)
        .allSatisfy(c -> assertThat(c.parameters().get("text").length()).isLessThanOrEqualTo(4000));
    assertThat(slack.calls("chat.delete")).extracting(c -> c.parameters().get("ts")).hasSize(2).doesNotHaveDuplicates()
        .first().isEqualTo(ref.messageId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_auth", "account_inactive", "not_authed", "token_revoked"})
  void rejectedTokensAreBadCredentials(String error) {
    slack.fail("chat.postMessage", error);

    assertThatThrownBy(() -> connector.post(message("C1", "x", null, null)).block(WAIT))
        .isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining(error).hasMessageNotContaining("xoxb-secret-token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"channel_not_found", "not_in_channel", "is_archived"})
  void channelsTheBotCannotUseArePermanentFailuresNamingTheChannel(String error) {
    slack.fail("chat.postMessage", error);

    assertThatThrownBy(() -> connector.post(message("C0NOPE", "x", null, null)).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("C0NOPE").hasMessageContaining(error);
  }

  @Test
  void aMissingScopeNamesTheScope() {
    slack.enqueue("chat.postMessage", FakeSlack.json("{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"chat:write.customize\","
        + "\"provided\":\"chat:write\"}"));

    assertThatThrownBy(() -> connector.post(message("C1", "x", null, null)).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("chat:write.customize");
  }

  @Test
  void serverTroubleIsTransient() {
    slack.enqueue("chat.postMessage", new MockResponse.Builder().code(503).body("<html>down</html>").build());
    slack.fail("chat.update", "internal_error");
    slack.enqueue("chat.delete", new MockResponse.Builder().code(200).body("<html>not json</html>").build());
    MessageRef ref = ChannelRef.of("sl", "C1").message("1700000000.000001");

    assertThatThrownBy(() -> connector.post(message("C1", "x", null, null)).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThatThrownBy(() -> connector.edit(ref, message("C1", "x", null, null)).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThatThrownBy(() -> connector.delete(ref).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
  }

  @Test
  void aRateLimitIsWaitedOutAsSlackAsks() {
    slack.enqueue("chat.postMessage", new MockResponse.Builder().code(429).addHeader("Retry-After", "0").build());
    slack.enqueue("chat.postMessage", new MockResponse.Builder().code(200).addHeader("Retry-After", "0")
        .body("{\"ok\":false,\"error\":\"ratelimited\"}").build());

    MessageRef ref = connector.post(message("C1", "x", null, null)).block(WAIT);

    assertThat(ref).isNotNull();
    assertThat(slack.calls("chat.postMessage")).hasSize(3);
  }

  @Test
  void aStormOf429sEndsInARateLimitedExceptionWithSlacksWait() {
    for (int i = 0; i < 6; i++) {
      slack.enqueue("chat.postMessage", new MockResponse.Builder().code(429).addHeader("Retry-After", "0").build());
    }

    assertThatThrownBy(() -> connector.post(message("C1", "x", null, null)).block(WAIT))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ZERO));
    assertThat(slack.calls("chat.postMessage")).as("the first try and three retries").hasSize(4);
  }

  @Test
  void rateLimitInfoReadsRetryAfterFrom429AndFromRatelimitedAnswers() {
    SlackWebApi api = new SlackWebApi("sl", okhttp3.HttpUrl.get(slack.baseUrl()),
        coop.relay.support.Secret.of("xoxb-x", "t"), null, coop.relay.support.ReactiveHttpClient.create(),
        coop.relay.support.RateLimiter.builder().build(), reactor.core.scheduler.Schedulers.parallel());
    coop.relay.support.HttpHeaders wait7 = coop.relay.support.HttpHeaders.of("Retry-After", "7");

    assertThat(api.rateLimitInfo(new coop.relay.support.HttpResponse(429, wait7, new byte[0])).retryAfter())
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(api.rateLimitInfo(new coop.relay.support.HttpResponse(429, coop.relay.support.HttpHeaders.empty(),
        new byte[0])).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(api.rateLimitInfo(new coop.relay.support.HttpResponse(200, wait7,
        "{\"ok\":false,\"error\":\"ratelimited\"}".getBytes())).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(api.rateLimitInfo(new coop.relay.support.HttpResponse(200, wait7,
        "{\"ok\":true,\"text\":\"ratelimited\"}".getBytes())).isRateLimited()).isFalse();
  }

  @Test
  void deletingWhatIsGoneAndReactingTwiceAreNoFailures() {
    MessageRef ref = ChannelRef.of("sl", "C1").message("1700000000.000001");
    slack.fail("chat.delete", "message_not_found");
    slack.fail("reactions.add", "already_reacted");
    slack.fail("reactions.remove", "no_reaction");

    connector.delete(ref).block(WAIT);
    connector.addReaction(ref, Emoji.unicode("tada", "🎉"), ADA).block(WAIT);
    connector.removeReaction(ref, Emoji.unicode("tada", "🎉"), ADA).block(WAIT);

    assertThat(slack.calls("reactions.add").get(0).parameters())
        .isEqualTo(Map.of("channel", "C1", "timestamp", "1700000000.000001", "name", "tada"));
  }

  @Test
  void anEmojiWithoutASlackNameIsAPermanentFailure() {
    MessageRef ref = ChannelRef.of("sl", "C1").message("1700000000.000001");

    assertThatThrownBy(() -> connector.addReaction(ref, Emoji.unicode("", "🦩"), ADA).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse());
    assertThat(slack.calls("reactions.add")).isEmpty();
  }

  @Test
  void anEmptyEditKeepsAnInvisibleCharacterSoSlackAcceptsIt() {
    connector.edit(ChannelRef.of("sl", "C1").message("1700000000.000001"), message("C1", "", null, null)).block(WAIT);

    assertThat(slack.calls("chat.update").get(0).parameters().get("text")).isEqualTo("\u200B");
  }

  @Test
  void secretsStayOutOfMessagesAndToString() {
    slack.fail("chat.postMessage", "fatal_error");

    assertThat(connector.toString()).doesNotContain("secret-token");
    assertThatThrownBy(() -> connector.post(message("C1", "x", null, null)).block(WAIT))
        .hasMessageNotContaining("secret-token");
  }

  private OutboundMessage message(String channel, String text, MessageRef replyTo, MessageRef thread) {
    return new OutboundMessage(ChannelRef.of("sl", channel), ChannelRef.of("dc", "9").message("77"), ADA,
        new RenderedText(text, RichText.of(text)), List.of(), replyTo, thread,
        new OriginMarker("relay-1", "d-1"));
  }
}
