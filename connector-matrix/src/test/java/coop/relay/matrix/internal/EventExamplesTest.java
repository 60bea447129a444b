package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.ReactionAdded;
import coop.relay.matrix.SpecCheck;
import coop.relay.support.BoundedMap;
import coop.relay.support.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every example of {@code event-schemas/examples} of a type the connector reads, its {@code $ref}
 * chain resolved and merged, decodes into the event it describes; what is expected is read from the
 * example itself.
 */
class EventExamplesTest {
  private static final SpecCheck SPEC = SpecCheck.load();

  static Stream<Path> examples() {
    List<Path> read = SPEC.examples().stream()
        .filter(p -> {
          String name = p.getFileName().toString();
          return name.startsWith("m.room.message") || name.startsWith("m.room.member") || name.startsWith("m.sticker")
              || name.startsWith("m.reaction") || name.startsWith("m.room.redaction");
        })
        .toList();
    assertThat(read).as("examples of the types the connector reads").hasSizeGreaterThanOrEqualTo(15);
    return read.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleDecodes(Path file) {
    JsonNode example = SPEC.example(file);
    assertThat(example.path("type").isString()).as("the merged example has a type").isTrue();
    MemberDirectory members = new MemberDirectory(100);
    EventDecoder decoder = new EventDecoder("mx", "relay", user -> false, members, new BoundedMap<>(100),
        new HtmlParser("mx"));
    RawEvent event = Json.convertOrSkip(example, RawEvent.class, file.toString()).orElseThrow();
    String room = example.path("room_id").asString();
    JsonNode content = example.path("content");

    InboundEvent decoded = decoder.decode(room, event);

    String type = example.path("type").asString();
    String eventId = example.path("event_id").asString();
    switch (type) {
      case "m.room.member" -> {
        assertThat(decoded).isNull();
        assertThat(members.knows(room, example.path("state_key").asString())).as("membership recorded").isTrue();
        assertThat(members.get(room, example.path("state_key").asString()).displayName())
            .isEqualTo(EventDecoder.text(content, "displayname"));
      }
      case "m.reaction" -> {
        assertThat(decoded).isInstanceOf(ReactionAdded.class);
        ReactionAdded reaction = (ReactionAdded) decoded;
        assertThat(reaction.target().messageId()).isEqualTo(content.path("m.relates_to").path("event_id").asString());
        assertThat(reaction.emoji().unicode()).isEqualTo(content.path("m.relates_to").path("key").asString());
        assertThat(reaction.user().user().userId()).isEqualTo(example.path("sender").asString());
      }
      case "m.room.redaction" -> {
        assertThat(decoded).isInstanceOf(MessageDeleted.class);
        String redacts = content.path("redacts").asString(example.path("redacts").asString(null));
        assertThat(((MessageDeleted) decoded).target().messageId()).isEqualTo(redacts);
        assertThat(((MessageDeleted) decoded).eventId()).isEqualTo(eventId);
      }
      default -> assertMessage(decoded, example, content);
    }
  }

  private static void assertMessage(InboundEvent decoded, JsonNode example, JsonNode content) {
    String msgtype = example.path("type").asString().equals("m.sticker") ? "m.sticker" : content.path("msgtype").asString();
    assertThat(decoded).as("a %s message", msgtype).isInstanceOf(MessageCreated.class);
    MessageCreated created = (MessageCreated) decoded;
    assertThat(created.message().ref().messageId()).isEqualTo(example.path("event_id").asString());
    assertThat(created.message().ref().channel().channelId()).isEqualTo(example.path("room_id").asString());
    assertThat(created.message().author().user().userId()).isEqualTo(example.path("sender").asString());
    assertThat(created.message().timestamp().toEpochMilli()).isEqualTo(example.path("origin_server_ts").asLong());
    String url = content.path("url").asString(null);
    boolean media = List.of("m.image", "m.file", "m.video", "m.audio", "m.sticker").contains(msgtype);
    if (media && url != null) {
      assertThat(created.message().attachments()).hasSize(1);
      Attachment attachment = created.message().attachments().get(0);
      assertThat(attachment.id()).isEqualTo(url);
      assertThat(attachment.mediaType()).isEqualTo(content.path("info").path("mimetype").asString("application/octet-stream"));
      assertThat(attachment.sizeBytes()).isEqualTo(content.path("info").path("size").asLong(-1));
      assertThat(attachment.url()).as("an mxc URI is no public link").isNull();
    } else {
      assertThat(created.message().attachments()).isEmpty();
      String expected = "org.matrix.custom.html".equals(content.path("format").asString(null))
          ? new HtmlParser("mx").parse(content.path("formatted_body").asString()).plainText()
          : content.path("body").asString();
      if (msgtype.equals("m.emote")) {
        expected = "* " + MemberDirectory.localpart(example.path("sender").asString()) + " " + expected;
      }
      assertThat(created.message().text().plainText()).isEqualTo(expected);
    }
  }
}
