package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageEdited;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  private final Map<String, String> downloads = new HashMap<>();
  private final EventDecoder decoder = new EventDecoder("sl", "relay-1",
      new SelfIdentity("UBOT", "BBOT", "ABOT", "T1"), MrkdwnParser.withoutNames("sl"), downloads::put);

  private Decoded decode(String event) {
    return decoder.decode(WireReader.readCallback(Callbacks.callback("Ev1", event).getBytes()));
  }

  @Test
  void aThreadReplyNamesItsRootAndABroadcastToo() {
    MessageCreated reply = (MessageCreated) ((Decoded.Relayed) decode("{\"type\":\"message\",\"channel\":\"C1\","
        + "\"user\":\"U1\",\"text\":\"re\",\"ts\":\"1700000002.000100\",\"thread_ts\":\"1700000001.000100\"}")).event();
    MessageCreated broadcast = (MessageCreated) ((Decoded.Relayed) decode("{\"type\":\"message\",\"subtype\":"
        + "\"thread_broadcast\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"also\",\"ts\":\"1700000003.000100\","
        + "\"thread_ts\":\"1700000001.000100\"}")).event();
    MessageCreated root = (MessageCreated) ((Decoded.Relayed) decode("{\"type\":\"message\",\"channel\":\"C1\","
        + "\"user\":\"U1\",\"text\":\"root\",\"ts\":\"1700000001.000100\",\"thread_ts\":\"1700000001.000100\"}")).event();

    assertThat(reply.message().threadRoot().messageId()).isEqualTo("1700000001.000100");
    assertThat(broadcast.message().threadRoot().messageId()).isEqualTo("1700000001.000100");
    assertThat(root.message().threadRoot()).isNull();
  }

  @Test
  void aBotsMessageShowsItsNameAndIcon() {
    Decoded.Relayed relayed = (Decoded.Relayed) decode("{\"type\":\"message\",\"subtype\":\"bot_message\","
        + "\"channel\":\"C1\",\"bot_id\":\"B9\",\"username\":\"CI\",\"icons\":{\"image_48\":\"https://x/48.png\","
        + "\"image_72\":\"https://x/72.png\"},\"text\":\"green\",\"ts\":\"1700000001.000100\"}");

    MessageCreated created = (MessageCreated) relayed.event();
    assertThat(created.message().author().displayName()).isEqualTo("CI");
    assertThat(created.message().author().avatarUrl()).isEqualTo("https://x/72.png");
    assertThat(created.message().author().bot()).isTrue();
    assertThat(relayed.userId()).as("nothing to look up").isNull();
  }

  @Test
  void linkPreviewsAndThreadNoticesAreNoEdits() {
    assertThat(decode("{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C1\",\"message\":{"
        + "\"type\":\"message\",\"user\":\"U1\",\"text\":\"see <https://x.org>\",\"ts\":\"1700000001.000100\","
        + "\"attachments\":[{\"title\":\"X\"}]},\"previous_message\":{\"type\":\"message\",\"user\":\"U1\",\"text\":"
        + "\"see <https://x.org>\",\"ts\":\"1700000001.000100\"},\"event_ts\":\"1700000002.000100\"}"))
        .isInstanceOf(Decoded.Ignored.class);
    assertThat(decode("{\"type\":\"message\",\"subtype\":\"message_replied\",\"channel\":\"C1\",\"message\":{"
        + "\"type\":\"message\",\"user\":\"U1\",\"text\":\"root\",\"ts\":\"1700000001.000100\"}}"))
        .isInstanceOf(Decoded.Ignored.class);
  }

  @Test
  void anEditCarriesItsTimeInItsIdSoTwoEditsAreTwoEvents() {
    String edit = "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C1\",\"message\":{"
        + "\"type\":\"message\",\"user\":\"U1\",\"text\":\"%s\",\"ts\":\"1700000001.000100\",\"edited\":{\"user\":\"U1\","
        + "\"ts\":\"%s\"}},\"event_ts\":\"1700000009.000100\"}";

    MessageEdited first = (MessageEdited) ((Decoded.Relayed) decoder.decode(WireReader.readCallback(
        Callbacks.callback("EvA", String.format(edit, "one", "1700000002.000000")).getBytes()))).event();
    MessageEdited second = (MessageEdited) ((Decoded.Relayed) decoder.decode(WireReader.readCallback(
        Callbacks.callback("EvB", String.format(edit, "two", "1700000003.000000")).getBytes()))).event();

    assertThat(first.eventId()).isNotEqualTo(second.eventId());
    assertThat(first.target()).isEqualTo(second.target());
    assertThat(second.text().plainText()).isEqualTo("two");
  }

  @Test
  void whatOurBotDidIsIgnoredWhicheverIdShowsIt() {
    assertThat(decode("{\"type\":\"message\",\"channel\":\"C1\",\"bot_id\":\"BBOT\",\"text\":\"x\",\"ts\":\"1700000001.000100\"}"))
        .isInstanceOf(Decoded.Ignored.class);
    assertThat(decode("{\"type\":\"message\",\"channel\":\"C1\",\"app_id\":\"ABOT\",\"bot_id\":\"B2\",\"text\":\"x\","
        + "\"ts\":\"1700000001.000100\"}")).isInstanceOf(Decoded.Ignored.class);
    assertThat(decode("{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C1\",\"message\":{"
        + "\"type\":\"message\",\"bot_id\":\"BBOT\",\"text\":\"y\",\"ts\":\"1700000001.000100\",\"edited\":{\"user\":"
        + "\"UBOT\",\"ts\":\"1700000002.000000\"}}}")).isInstanceOf(Decoded.Ignored.class);
    assertThat(decode("{\"type\":\"message\",\"subtype\":\"message_deleted\",\"channel\":\"C1\",\"deleted_ts\":"
        + "\"1700000001.000100\",\"previous_message\":{\"type\":\"message\",\"bot_id\":\"BBOT\",\"ts\":"
        + "\"1700000001.000100\"}}")).isInstanceOf(Decoded.Ignored.class);
    assertThat(decode("{\"type\":\"reaction_added\",\"user\":\"UBOT\",\"reaction\":\"eyes\",\"item\":{\"type\":"
        + "\"message\",\"channel\":\"C1\",\"ts\":\"1700000001.000100\"},\"event_ts\":\"1700000002.000100\"}"))
        .isInstanceOf(Decoded.Ignored.class);
  }

  @Test
  void reactionsToFilesAreNotBridged() {
    assertThat(decode("{\"type\":\"reaction_added\",\"user\":\"U1\",\"reaction\":\"eyes\",\"item\":{\"type\":\"file\","
        + "\"file\":\"F1\"},\"event_ts\":\"1700000002.000100\"}")).isInstanceOf(Decoded.Ignored.class);
  }

  @Test
  void filesBecomeAttachmentsWithTheirKindAndLink() {
    MessageCreated created = (MessageCreated) ((Decoded.Relayed) decode(Callbacks.fileShare("Ev1", "C1", "U1",
        "1700000001.000100", "F1", "https://files.slack.com/F1/photo.png").replaceAll("^.*\"event\":", "")
        .replaceAll("}$", ""))).event();

    Attachment attachment = created.message().attachments().get(0);
    assertThat(attachment.kind()).isEqualTo(Attachment.Kind.IMAGE);
    assertThat(attachment.sizeBytes()).isEqualTo(10);
    assertThat(attachment.url()).isEqualTo("https://fake.slack.com/files/F1");
    assertThat(downloads).containsEntry("F1", "https://files.slack.com/F1/photo.png");
  }
}
