package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.text.RichText;
import coop.relay.matrix.SpecCheck;
import coop.relay.support.BoundedMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The contents the connector sends, each checked against the spec's event schema and read back by the decoder. */
class OutboundContentTest {
  private static final SpecCheck SPEC = SpecCheck.load();
  private static final ChannelRef ROOM = ChannelRef.of("mx", "!room:example.org");
  private static final OriginMarker ORIGIN = new OriginMarker("relay", "d1");

  private final HtmlRenderer renderer = new HtmlRenderer("mx");
  private final RichText formatted = RichText.builder().text("Hi ").mention(new UserRef("mx", "@alice:example.org"),
      "Alice").text(", see ").bold("this").build();

  @Test
  void textWithFormattingHasAFaithfulBodyHtmlMentionsAndTheMarker() {
    ObjectNode content = OutboundContent.text(formatted, renderer.render(formatted), renderer.mentionedUsers(formatted),
        ROOM.message("$q"), null, ORIGIN);

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", content))).isEmpty();
    assertThat(content.path("body").asString()).isEqualTo("Hi @Alice, see this");
    assertThat(content.path("format").asString()).isEqualTo("org.matrix.custom.html");
    assertThat(content.path("m.mentions").path("user_ids").get(0).asString()).isEqualTo("@alice:example.org");
    assertThat(content.path("m.relates_to").path("m.in_reply_to").path("event_id").asString()).isEqualTo("$q");
    assertThat(content.path(EventDecoder.ORIGIN_KEY).asString()).isEqualTo("relay.d1");
  }

  @Test
  void plainTextHasNoHtmlAndMentionsNobody() {
    RichText plain = RichText.of("@room everyone look <here>");
    ObjectNode content = OutboundContent.text(plain, renderer.render(plain), Set.of(), null, null, ORIGIN);

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", content))).isEmpty();
    assertThat(content.has("formatted_body")).isFalse();
    assertThat(content.path("m.mentions").isObject()).isTrue();
    assertThat(content.path("m.mentions").size()).as("an empty m.mentions pings nobody").isZero();
  }

  @Test
  void threadMessageFallsBackToAReplyToTheRoot() {
    ObjectNode content = OutboundContent.text(RichText.of("t"), "t", Set.of(), null, ROOM.message("$root"), ORIGIN);

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", content))).isEmpty();
    assertThat(content.path("m.relates_to").path("rel_type").asString()).isEqualTo("m.thread");
    assertThat(content.path("m.relates_to").path("is_falling_back").asBoolean()).isTrue();
    assertThat(content.path("m.relates_to").path("m.in_reply_to").path("event_id").asString()).isEqualTo("$root");
  }

  @Test
  void editHasTheStarFallbackAndTheNewContent() {
    ObjectNode content = OutboundContent.edit(formatted, renderer.render(formatted), renderer.mentionedUsers(formatted),
        ROOM.message("$orig"), ORIGIN);

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", content))).isEmpty();
    assertThat(content.path("body").asString()).isEqualTo("* Hi @Alice, see this");
    assertThat(content.path("formatted_body").asString()).startsWith("* ");
    assertThat(content.path("m.new_content").path("body").asString()).isEqualTo("Hi @Alice, see this");
    assertThat(content.path("m.mentions").size()).as("an edit pings nobody again").isZero();
    assertThat(content.path("m.relates_to").path("rel_type").asString()).isEqualTo("m.replace");
  }

  @Test
  void mediaAndReactionMatchTheirSchemas() {
    Attachment file = new Attachment("f1", "cat.png", "image/png", 42, null, Attachment.Kind.IMAGE);
    ObjectNode media = OutboundContent.media(file, "mxc://example.org/cat", 42, null, null, ORIGIN);
    ObjectNode reaction = OutboundContent.reaction(ROOM.message("$m"), "\uD83D\uDC4D");

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", media))).isEmpty();
    assertThat(media.path("msgtype").asString()).isEqualTo("m.image");
    assertThat(SPEC.checkEvent(SpecCheck.event("m.reaction", reaction))).isEmpty();
  }

  @Test
  void whatTheConnectorSendsDecodesBackToTheSameText() {
    ObjectNode content = OutboundContent.text(formatted, renderer.render(formatted), renderer.mentionedUsers(formatted),
        null, null, new OriginMarker("other-relay", "d2"));
    EventDecoder decoder = new EventDecoder("mx", "relay", u -> false, new MemberDirectory(10), new BoundedMap<>(10),
        new HtmlParser("mx"));
    ObjectNode event = SpecCheck.event("m.room.message", content);

    var decoded = (coop.relay.api.event.MessageCreated) decoder.decode(ROOM.channelId(),
        coop.relay.support.Json.convertOrSkip(event, RawEvent.class, "test").orElseThrow());

    assertThat(decoded.message().text()).isEqualTo(formatted);
  }

  @Test
  void theSpecCheckCatchesAContentWithoutABody() {
    ObjectNode content = OutboundContent.text(RichText.of("x"), "x", Set.of(), null, null, ORIGIN);
    content.remove("body");

    assertThat(SPEC.checkEvent(SpecCheck.event("m.room.message", content))).isNotEmpty();
  }

}
