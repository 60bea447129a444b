package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.DeliveryException;
import coop.relay.api.Message;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.RichText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateDecoderTest {
  private static final long BOT = 777;
  private static final String CHAT = "{\"id\":-1001,\"type\":\"supergroup\",\"title\":\"Co-op\"}";
  private static final String ALICE = "{\"id\":501,\"is_bot\":false,\"first_name\":\"Alice\",\"last_name\":\"Liddell\"}";
  private static final ChannelRef CHANNEL = ChannelRef.of("tg", "-1001");

  private final UpdateDecoder decoder = new UpdateDecoder("tg");

  private UpdateDecoder.Batch batch(String... updates) {
    String body = "{\"ok\":true,\"result\":[" + String.join(",", updates) + "]}";
    return decoder.decodeBatch(body.getBytes(StandardCharsets.UTF_8), BOT);
  }

  private List<InboundEvent> events(String... updates) {
    return batch(updates).updates().stream().flatMap(u -> u.events().stream()).toList();
  }

  private static String message(long updateId, String kind, String fields) {
    return "{\"update_id\":" + updateId + ",\"" + kind + "\":{\"message_id\":10,\"date\":1700000000,\"chat\":" + CHAT
        + "," + fields + "}}";
  }

  @Test
  void aMessageBecomesMessageCreatedWithAuthorTextAndTime() {
    List<InboundEvent> events = events(message(1, "message", "\"from\":" + ALICE
        + ",\"text\":\"hi there\",\"entities\":[{\"type\":\"bold\",\"offset\":3,\"length\":5}]"));

    Message m = ((MessageCreated) events.get(0)).message();
    assertThat(m.ref()).isEqualTo(CHANNEL.message("10"));
    assertThat(m.author().user().userId()).isEqualTo("501");
    assertThat(m.author().displayName()).isEqualTo("Alice Liddell");
    assertThat(m.author().bot()).isFalse();
    assertThat(m.author().avatarUrl()).isNull();
    assertThat(m.text()).isEqualTo(RichText.builder().text("hi ").bold("there").build());
    assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000));
    assertThat(m.origin()).isNull();
  }

  @Test
  void repliesAndThreadsPointAtTheirTargets() {
    String reply = "\"reply_to_message\":{\"message_id\":7,\"date\":1,\"chat\":" + CHAT + ",\"from\":" + ALICE
        + ",\"text\":\"question\"}";
    List<InboundEvent> events = events(message(1, "message", "\"from\":" + ALICE
        + ",\"message_thread_id\":7,\"text\":\"answer\"," + reply));

    Message m = ((MessageCreated) events.get(0)).message();
    assertThat(m.replyTo()).isNotNull();
    assertThat(m.replyTo().target()).isEqualTo(CHANNEL.message("7"));
    assertThat(m.replyTo().authorName()).isEqualTo("Alice Liddell");
    assertThat(m.replyTo().excerpt()).isEqualTo(RichText.of("question"));
    assertThat(m.threadRoot()).isEqualTo(CHANNEL.message("7"));
  }

  @Test
  void aForumTopicsImplicitReplyToItsFirstMessageIsNoReply() {
    String topicStart = "\"reply_to_message\":{\"message_id\":3,\"date\":1,\"chat\":" + CHAT + ",\"from\":" + ALICE
        + ",\"forum_topic_created\":{\"name\":\"T\",\"icon_color\":1}}";
    List<InboundEvent> events = events(message(1, "message", "\"from\":" + ALICE
        + ",\"message_thread_id\":3,\"is_topic_message\":true,\"text\":\"in the topic\"," + topicStart));

    Message m = ((MessageCreated) events.get(0)).message();
    assertThat(m.replyTo()).isNull();
    assertThat(m.threadRoot()).isEqualTo(CHANNEL.message("3"));
  }

  @Test
  void editsBecomeMessageEditedWithAStableEventId() {
    List<InboundEvent> events = events(message(1, "edited_message", "\"from\":" + ALICE
        + ",\"edit_date\":1700000100,\"text\":\"fixed\""));

    MessageEdited edited = (MessageEdited) events.get(0);
    assertThat(edited.target()).isEqualTo(CHANNEL.message("10"));
    assertThat(edited.eventId()).isEqualTo("10@1700000100");
    assertThat(edited.text()).isEqualTo(RichText.of("fixed"));
    assertThat(edited.editedAt()).isEqualTo(Instant.ofEpochSecond(1700000100));
  }

  @Test
  void channelPostsSpeakAsTheChannelSignedByTheirAuthor() {
    String channel = "{\"id\":-1002,\"type\":\"channel\",\"title\":\"News\"}";
    String post = "{\"update_id\":1,\"channel_post\":{\"message_id\":5,\"date\":1,\"chat\":" + channel
        + ",\"sender_chat\":" + channel + ",\"author_signature\":\"Eve\",\"text\":\"news\"}}";

    Message m = ((MessageCreated) events(post).get(0)).message();
    assertThat(m.author().user().userId()).isEqualTo("-1002");
    assertThat(m.author().displayName()).isEqualTo("Eve (News)");
  }

  @Test
  void photosAndDocumentsBecomeAttachmentsWithoutAnyUrl() {
    String photo = "\"photo\":[{\"file_id\":\"small\",\"file_unique_id\":\"s\",\"width\":90,\"height\":90,\"file_size\":100},"
        + "{\"file_id\":\"large\",\"file_unique_id\":\"l\",\"width\":1280,\"height\":960,\"file_size\":90000}]";
    String document = "\"document\":{\"file_id\":\"doc\",\"file_unique_id\":\"d\",\"file_name\":\"minutes.pdf\","
        + "\"mime_type\":\"application/pdf\",\"file_size\":1234}";
    List<InboundEvent> events = events(
        message(1, "message", "\"from\":" + ALICE + ",\"caption\":\"look\"," + photo),
        message(2, "message", "\"from\":" + ALICE + "," + document));

    Message withPhoto = ((MessageCreated) events.get(0)).message();
    assertThat(withPhoto.text()).isEqualTo(RichText.of("look"));
    assertThat(withPhoto.attachments()).containsExactly(
        new Attachment("large", "photo_l.jpg", "image/jpeg", 90000, null, Attachment.Kind.IMAGE));
    assertThat(((MessageCreated) events.get(1)).message().attachments()).containsExactly(
        new Attachment("doc", "minutes.pdf", "application/pdf", 1234, null, Attachment.Kind.FILE));
  }

  @Test
  void reactionChangesBecomeAddedAndRemovedEvents() {
    String reaction = "{\"update_id\":9,\"message_reaction\":{\"chat\":" + CHAT + ",\"message_id\":10,\"user\":" + ALICE
        + ",\"date\":1700000000,\"old_reaction\":[{\"type\":\"emoji\",\"emoji\":\"\uD83D\uDC4D\"}],"
        + "\"new_reaction\":[{\"type\":\"emoji\",\"emoji\":\"\uD83D\uDD25\"}]}}";

    List<InboundEvent> events = events(reaction);

    assertThat(events).hasSize(2);
    ReactionRemoved removed = (ReactionRemoved) events.get(0);
    ReactionAdded added = (ReactionAdded) events.get(1);
    assertThat(removed.emoji().unicode()).isEqualTo("\uD83D\uDC4D");
    assertThat(removed.emoji().name()).isEqualTo("thumbsup");
    assertThat(added.emoji().unicode()).isEqualTo("\uD83D\uDD25");
    assertThat(added.target()).isEqualTo(CHANNEL.message("10"));
    assertThat(added.user().displayName()).isEqualTo("Alice Liddell");
    assertThat(added.eventId()).isNotEqualTo(removed.eventId());
  }

  @Test
  void theBotsOwnMessagesEditsAndReactionsAreDropped() {
    String bot = "{\"id\":" + BOT + ",\"is_bot\":true,\"first_name\":\"Relay\"}";
    String reaction = "{\"update_id\":3,\"message_reaction\":{\"chat\":" + CHAT + ",\"message_id\":10,\"user\":" + bot
        + ",\"date\":1,\"old_reaction\":[],\"new_reaction\":[{\"type\":\"emoji\",\"emoji\":\"\uD83D\uDC4D\"}]}}";

    UpdateDecoder.Batch batch = batch(
        message(1, "message", "\"from\":" + bot + ",\"text\":\"echo\""),
        message(2, "edited_message", "\"from\":" + bot + ",\"text\":\"echo, edited\""),
        reaction);

    assertThat(batch.updates()).hasSize(3).allSatisfy(u -> assertThat(u.events()).isEmpty());
    assertThat(batch.nextOffset()).isEqualTo(4);
  }

  @Test
  void serviceMessagesAreSkippedAndAMigrationIsReported() {
    UpdateDecoder.Batch batch = batch(
        message(1, "message", "\"from\":" + ALICE + ",\"new_chat_title\":\"Renamed\""),
        message(2, "message", "\"from\":" + ALICE + ",\"migrate_to_chat_id\":-1009"));

    assertThat(batch.updates().get(0).events()).isEmpty();
    assertThat(batch.updates().get(1).move()).isEqualTo(new UpdateDecoder.ChatMove(-1001, -1009));
  }

  @Test
  void aMalformedUpdateIsSkippedTheOthersDeliveredAndTheOffsetMovesPastIt() {
    UpdateDecoder.Batch batch = batch(
        message(1, "message", "\"from\":" + ALICE + ",\"text\":\"first\""),
        "{\"update_id\":2,\"message\":{\"message_id\":\"not a number\",\"chat\":" + CHAT + "}}",
        message(3, "message", "\"from\":" + ALICE + ",\"text\":\"third\""),
        "{\"update_id\":4,\"message\":{\"message_id\":11,\"date\":1,\"text\":\"no chat\"}}");

    assertThat(batch.updates()).extracting(UpdateDecoder.Decoded::updateId).containsExactly(1L, 3L);
    assertThat(batch.nextOffset()).isEqualTo(5);
  }

  @Test
  void aBodyThatIsNoBotApiAnswerIsATransientFailure() {
    assertThatThrownBy(() -> decoder.decodeBatch("<html>502</html>".getBytes(StandardCharsets.UTF_8), BOT))
        .isInstanceOf(DeliveryException.class)
        .matches(e -> ((DeliveryException) e).isRetryable());
  }

  @Test
  void anEmptyAnswerHasNoOffset() {
    assertThat(batch().nextOffset()).isEqualTo(-1);
  }
}
