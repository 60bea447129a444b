package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.support.BoundedMap;
import coop.relay.support.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Decoding room events: relations, echoes, redactions of reactions, reply fallbacks, names, malformed events. */
class EventDecoderTest {
  private static final String ROOM = "!room:example.org";

  private final MemberDirectory members = new MemberDirectory(100);
  private final EventDecoder decoder = new EventDecoder("mx", "relay-1", user -> user.equals("@bot:example.org"),
      members, new BoundedMap<>(100), new HtmlParser("mx"));

  private InboundEvent decode(String json) {
    JsonNode node = Json.mapper().readTree(json);
    return decoder.decode(ROOM, Json.convertOrSkip(node, RawEvent.class, "test").orElseThrow());
  }

  private static String event(String id, String sender, String type, String content) {
    return "{\"type\":\"" + type + "\",\"event_id\":\"" + id + "\",\"sender\":\"" + sender
        + "\",\"origin_server_ts\":1700000000000,\"content\":" + content + "}";
  }

  @Test
  void replyKeepsItsTargetAndLosesItsFallback() {
    MessageCreated reply = (MessageCreated) decode(event("$r", "@alice:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"> <@bob:example.org> question\\n\\nanswer\","
            + "\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$q\"}}}"));

    assertThat(reply.message().text()).isEqualTo(RichText.of("answer"));
    assertThat(reply.message().replyTo().target().messageId()).isEqualTo("$q");
  }

  @Test
  void threadMessageNamesItsRootAndFallingBackIsNoReply() {
    MessageCreated inThread = (MessageCreated) decode(event("$t", "@alice:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"in thread\",\"m.relates_to\":{\"rel_type\":\"m.thread\","
            + "\"event_id\":\"$root\",\"is_falling_back\":true,\"m.in_reply_to\":{\"event_id\":\"$latest\"}}}"));

    assertThat(inThread.message().threadRoot().messageId()).isEqualTo("$root");
    assertThat(inThread.message().replyTo()).isNull();
  }

  @Test
  void editCarriesTheNewContentNotTheFallback() {
    MessageEdited edit = (MessageEdited) decode(event("$e", "@alice:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"* new\",\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"new\","
            + "\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"<b>new</b>\"},"
            + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$orig\"}}"));

    assertThat(edit.target().messageId()).isEqualTo("$orig");
    assertThat(edit.eventId()).isEqualTo("$e");
    assertThat(edit.text()).isEqualTo(RichText.builder().styled(Style.BOLD, "new").build());
  }

  @Test
  void redactionOfAKnownReactionIsReactionRemovedAndOfAnythingElseMessageDeleted() {
    ReactionAdded added = (ReactionAdded) decode(event("$re", "@alice:example.org", "m.reaction",
        "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$msg\",\"key\":\"\uD83D\uDC4D\"}}"));
    InboundEvent removed = decode(event("$red1", "@alice:example.org", "m.room.redaction", "{\"redacts\":\"$re\"}"));
    InboundEvent deleted = decode(event("$red2", "@alice:example.org", "m.room.redaction", "{\"redacts\":\"$msg\"}"));

    assertThat(added.emoji().name()).isEqualTo("+1");
    assertThat(removed).isInstanceOfSatisfying(ReactionRemoved.class, r -> {
      assertThat(r.target().messageId()).isEqualTo("$msg");
      assertThat(r.emoji().unicode()).isEqualTo("\uD83D\uDC4D");
    });
    assertThat(deleted).isInstanceOfSatisfying(MessageDeleted.class, d -> assertThat(d.target().messageId()).isEqualTo("$msg"));
  }

  @Test
  void redactionInAnOldRoomVersionNamesTheEventOutsideTheContent() {
    InboundEvent deleted = decode("{\"type\":\"m.room.redaction\",\"event_id\":\"$red\",\"sender\":\"@a:x\","
        + "\"origin_server_ts\":1,\"redacts\":\"$gone\",\"content\":{}}");

    assertThat(deleted).isInstanceOfSatisfying(MessageDeleted.class, d -> assertThat(d.target().messageId()).isEqualTo("$gone"));
  }

  @Test
  void ownEventsAndThisRelaysMarkedEventsAreDroppedOtherRelaysKeepTheirMarker() {
    assertThat(decode(event("$own", "@bot:example.org", "m.room.message", "{\"msgtype\":\"m.text\",\"body\":\"x\"}")))
        .isNull();
    assertThat(decode(event("$ours", "@ghost:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"x\",\"coop.relay.origin\":\"relay-1.d7\"}"))).isNull();

    MessageCreated other = (MessageCreated) decode(event("$theirs", "@ghost:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"x\",\"coop.relay.origin\":\"relay-2.d9\"}"));

    assertThat(other.message().origin().relayId()).isEqualTo("relay-2");
  }

  @Test
  void senderNameComesFromTheRoomMembershipElseTheLocalpart() {
    decode("{\"type\":\"m.room.member\",\"event_id\":\"$m\",\"sender\":\"@alice:example.org\",\"state_key\":"
        + "\"@alice:example.org\",\"origin_server_ts\":1,\"content\":{\"membership\":\"join\",\"displayname\":\"Alice A\","
        + "\"avatar_url\":\"mxc://example.org/pic\"}}");

    MessageCreated named = (MessageCreated) decode(event("$1", "@alice:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"hi\"}"));
    MessageCreated unnamed = (MessageCreated) decode(event("$2", "@carol:example.org", "m.room.message",
        "{\"msgtype\":\"m.text\",\"body\":\"hi\"}"));

    assertThat(named.message().author().displayName()).isEqualTo("Alice A");
    assertThat(named.message().author().avatarUrl()).as("mxc avatars are no public links").isNull();
    assertThat(unnamed.message().author().displayName()).isEqualTo("carol");
  }

  @Test
  void mediaWithACaptionKeepsBothAndEncryptedMediaIsOnlyItsBody() {
    MessageCreated captioned = (MessageCreated) decode(event("$img", "@a:x", "m.room.message",
        "{\"msgtype\":\"m.image\",\"body\":\"look at this\",\"filename\":\"cat.png\",\"url\":\"mxc://x/cat\","
            + "\"info\":{\"mimetype\":\"image/png\",\"size\":42}}"));
    MessageCreated encrypted = (MessageCreated) decode(event("$enc", "@a:x", "m.room.message",
        "{\"msgtype\":\"m.file\",\"body\":\"secret.pdf\",\"file\":{\"url\":\"mxc://x/enc\"}}"));

    assertThat(captioned.message().text()).isEqualTo(RichText.of("look at this"));
    assertThat(captioned.message().attachments()).singleElement()
        .satisfies(a -> assertThat(a.fileName()).isEqualTo("cat.png"));
    assertThat(encrypted.message().attachments()).isEmpty();
    assertThat(encrypted.message().text()).isEqualTo(RichText.of("secret.pdf"));
  }

  @Test
  void malformedEventsAreSkipped() {
    assertThat(decode(event("$1", "@a:x", "m.room.message", "{\"msgtype\":\"m.text\"}"))).isNull();
    assertThat(decode(event("$2", "@a:x", "m.room.message", "\"not an object\""))).isNull();
    assertThat(decode(event("$3", "@a:x", "m.reaction", "{\"m.relates_to\":{\"rel_type\":\"m.annotation\"}}"))).isNull();
    assertThat(decode(event("$4", "@a:x", "m.room.redaction", "{}"))).isNull();
    assertThat(decode("{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"no id\"}}")).isNull();
  }

  @Test
  void alreadyRedactedEventsAreNotRelayed() {
    assertThat(decode("{\"type\":\"m.room.message\",\"event_id\":\"$x\",\"sender\":\"@a:x\",\"origin_server_ts\":1,"
        + "\"content\":{},\"unsigned\":{\"redacted_because\":{\"type\":\"m.room.redaction\"}}}")).isNull();
  }
}
