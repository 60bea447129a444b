package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.slack.SlackConnector;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Every Web API request the connector makes, in every operation, validates against Slack's OpenAPI
 * spec (or the documented parameters of the newer methods): a validating OkHttp interceptor sits in
 * the connector's client while it connects, receives, posts with identity, thread, files and a
 * link fallback, edits, deletes, reacts and downloads.
 */
class WebApiConformanceIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Identity ADA = new Identity(new UserRef("dc", "42"), "Ada", "https://example.org/ada.png",
      false, null);

  private FakeSlack slack;
  private SlackWebApiSpec spec;
  private SlackConnector connector;

  @BeforeEach
  void setUp() throws Exception {
    slack = new FakeSlack();
    spec = new SlackWebApiSpec(HttpUrl.get(slack.baseUrl()));
    connector = SlackConnector.builder().id("sl").baseUrl(slack.baseUrl())
        .botToken("xoxb-test").appToken("xapp-test")
        .okHttpClient(new OkHttpClient.Builder().addInterceptor(spec).build())
        .maxAttachmentBytes(100)
        .build();
  }

  @AfterEach
  void tearDown() {
    connector.close().block(WAIT);
    slack.close();
  }

  @Test
  void everyRequestOfEveryOperationMatchesTheSpec() {
    try (InboundRecorder inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay-1", new InMemoryCursorStore().scoped("sl"), Set.of("C1"))))) {
      inbound.awaitState(ConnectorState.CONNECTED, WAIT);
      FakeSlack.Socket socket = slack.awaitSocket(1);
      socket.envelope("e1", Callbacks.fileShare("Ev1", "C1", "U1", "1700000001.000100", "F9",
          slack.baseUrl().replace("/api", "/files/F9")), 0);
      MessageCreated created = inbound.await(MessageCreated.class, m -> true, WAIT);

      MessageRef posted = connector.post(outbound(List.of(
          new OutboundAttachment(attachment("small.txt", 5), Mono.just("hello".getBytes())),
          new OutboundAttachment(attachment("big.bin", 1000), Mono.just(new byte[1000]))),
          ChannelRef.of("sl", "C1").message("1700000001.000100"))).block(WAIT);
      connector.edit(posted, outbound(List.of(), null)).block(WAIT);
      connector.addReaction(posted, Emoji.unicode("thumbsup", "👍"), ADA).block(WAIT);
      connector.removeReaction(posted, Emoji.unicode("thumbsup", "👍"), ADA).block(WAIT);
      connector.delete(posted).block(WAIT);
      byte[] seen = connector.download(created.message().attachments().get(0)).block(WAIT);
      byte[] unseen = connector.download(attachment("other.png", 10)).block(WAIT);

      assertThat(seen).isEqualTo("file-bytes".getBytes());
      assertThat(unseen).isEqualTo("file-bytes".getBytes());
    }

    assertThat(spec.checkedMethods()).contains("auth.test", "apps.connections.open", "users.info", "chat.postMessage",
        "chat.update", "chat.delete", "reactions.add", "reactions.remove", "files.getUploadURLExternal",
        "files.completeUploadExternal", "files.info");
    assertThat(spec.violations()).isEmpty();
  }

  @Test
  void theValidatorCatchesRequestsThatDoNotMatch() throws Exception {
    HttpUrl base = HttpUrl.get(slack.baseUrl());
    Request missingChannel = new Request.Builder().url(base.newBuilder().addPathSegment("chat.postMessage").build())
        .header("Authorization", "Bearer x")
        .post(new okhttp3.FormBody.Builder().add("text", "hi").add("unfurl_links", "maybe").add("colour", "red").build())
        .build();
    Request wrongVerb = new Request.Builder().url(base.newBuilder().addPathSegment("users.info")
        .addQueryParameter("user", "U1").build()).post(new okhttp3.FormBody.Builder().build()).build();
    Request badMetadata = new Request.Builder().url(base.newBuilder().addPathSegment("chat.update").build())
        .header("Authorization", "Bearer x")
        .post(new okhttp3.FormBody.Builder().add("channel", "C1").add("ts", "1.2").add("metadata", "{\"x\":1}").build())
        .build();

    assertThat(spec.check("chat.postMessage", missingChannel)).hasSize(3);
    assertThat(spec.check("users.info", wrongVerb)).anyMatch(v -> v.contains("not allowed"))
        .anyMatch(v -> v.contains("bearer"));
    assertThat(spec.check("chat.update", badMetadata)).anyMatch(v -> v.startsWith("metadata"));
  }

  private OutboundMessage outbound(List<OutboundAttachment> attachments, MessageRef thread) {
    return new OutboundMessage(ChannelRef.of("sl", "C1"), ChannelRef.of("dc", "9").message("77"), ADA,
        connector.render(RichText.builder().bold("hi").text(" there").build()), attachments, null, thread,
        new OriginMarker("relay-1", "d-1"));
  }

  private static Attachment attachment(String name, long size) {
    return new Attachment("id-" + name, name, "application/octet-stream", size, "https://example.org/" + name,
        Attachment.Kind.FILE);
  }
}
