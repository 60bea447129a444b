package coop.relay.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.DeliveryException;
import coop.relay.api.MessageRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxFile;
import coop.relay.spi.OutboundAttachment;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** What the connector sends, checked on the emulator (and every request against the Bot API spec). */
class TelegramOutboundIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final TelegramSandbox telegram = new TelegramSandbox();
  private final List<TelegramConnector> connectors = new ArrayList<>();
  private final List<InboundRecorder> recorders = new ArrayList<>();

  @AfterEach
  void tearDown() {
    recorders.forEach(InboundRecorder::close);
    connectors.forEach(c -> c.close().block(TIMEOUT));
    telegram.close();
    telegram.conformance.assertConforms();
  }

  private TelegramConnector connector(TelegramConnector.Builder builder) {
    TelegramConnector connector = builder.build();
    connectors.add(connector);
    return connector;
  }

  private List<HistoryEntry> history(String chat) {
    return Objects.requireNonNull(telegram.control.history(chat).collectList().block());
  }

  private List<HistoryEntry> byBot(String chat) {
    return history(chat).stream().filter(e -> e.author().kind() == coop.relay.sandbox.Author.Kind.BOT && !e.deleted()).toList();
  }

  private static RichText paragraphs(String... paragraphs) {
    RichText.Builder builder = RichText.builder();
    for (int i = 0; i < paragraphs.length; i++) {
      if (i > 0) {
        builder.lineBreak();
      }
      builder.bold("§" + (i + 1) + " ").text(paragraphs[i]);
    }
    return builder.build();
  }

  private static String filler(String word, int length) {
    StringBuilder out = new StringBuilder();
    while (out.length() < length) {
      out.append(word).append(" \uD83D\uDE00 ");
    }
    return out.substring(0, length).strip();
  }

  @Test
  void longTextIsSplitOnLineBreaksAndAnEditTouchesOnlyThePartsThatChanged() {
    String chat = telegram.newChat("Long", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    String a = filler("alpha", 3000);
    String b = filler("bravo", 3000);
    String c = filler("charlie", 3000);

    MessageRef ref = connector.post(Outbound.message(connector, chat, paragraphs(a, b, c))).block(TIMEOUT);

    List<HistoryEntry> parts = byBot(chat);
    assertThat(parts).hasSize(3);
    assertThat(ref.messageId()).isEqualTo(parts.get(0).messageId());
    for (HistoryEntry part : parts) {
      assertThat(part.text().codePointCount(0, part.text().length())).isLessThanOrEqualTo(4096);
    }
    assertThat(parts).extracting(HistoryEntry::text).containsExactly("§1 " + a, "§2 " + b, "§3 " + c);
    assertThat(parts.get(1).formatted()).startsWith("<b>§2 </b>");

    String changed = filler("delta", 2500);
    connector.edit(ref, Outbound.message(connector, chat, paragraphs(a, b, changed))).block(TIMEOUT);

    assertThat(telegram.conformance.calls("editMessageText")).hasSize(1);
    assertThat(telegram.conformance.calls("editMessageText").get(0).parameters().get("message_id").asString())
        .isEqualTo(parts.get(2).messageId());
    assertThat(byBot(chat)).extracting(HistoryEntry::text).containsExactly("§1 " + a, "§2 " + b, "§3 " + changed);

    connector.edit(ref, Outbound.message(connector, chat, paragraphs("short now"))).block(TIMEOUT);

    assertThat(byBot(chat)).extracting(HistoryEntry::text).containsExactly("§1 short now");
    assertThat(telegram.conformance.calls("deleteMessage")).hasSize(2);

    connector.delete(ref).block(TIMEOUT);
    assertThat(byBot(chat)).isEmpty();
  }

  @Test
  void aCodeBlockLongerThanAMessageIsCutButEachPartStaysACodeBlock() {
    String chat = telegram.newChat("Code", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    String code = "x".repeat(5000);

    connector.post(Outbound.message(connector, chat, RichText.builder().codeBlock("txt", code).build())).block(TIMEOUT);

    List<HistoryEntry> parts = byBot(chat);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).text() + parts.get(1).text()).isEqualTo(code);
    assertThat(parts).allSatisfy(p -> assertThat(p.formatted()).startsWith("<pre><code class=\"language-txt\">"));
  }

  @Test
  void repliesSurviveAMissingTargetAndGoWithoutLinkPreviews() {
    String chat = telegram.newChat("Replies", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    String target = telegram.control.post(Post.of(chat, telegram.person.id(), "see https://example.org")).block().messageId();
    telegram.control.delete(chat, target, telegram.person.id()).block();

    MessageRef reply = connector.post(Outbound.message(connector, chat, RichText.of("answer https://example.org"),
        List.of(), ChannelRef.of("tg", chat).message(target), null)).block(TIMEOUT);

    assertThat(byBot(chat)).extracting(HistoryEntry::messageId).containsExactly(reply.messageId());
    var sent = telegram.conformance.calls("sendMessage").get(0).parameters();
    assertThat(sent.get("reply_parameters").get("message_id").asLong()).isEqualTo(Long.parseLong(target));
    assertThat(sent.get("reply_parameters").get("allow_sending_without_reply").asBoolean()).isTrue();
    assertThat(sent.get("link_preview_options").get("is_disabled").asBoolean()).isTrue();
    assertThat(sent.get("parse_mode").asString()).isEqualTo("HTML");
  }

  @Test
  void postsIntoAForumTopicCarryItsThreadId() {
    String chat = telegram.newChat("Forum", "forum");
    TelegramConnector connector = connector(telegram.connector());
    String topic = telegram.control.createThread(chat, telegram.person.id(), "Planning").block().messageId();

    MessageRef posted = connector.post(Outbound.message(connector, chat, RichText.of("in the topic"), List.of(), null,
        ChannelRef.of("tg", chat).message(topic))).block(TIMEOUT);

    HistoryEntry entry = byBot(chat).get(0);
    assertThat(entry.messageId()).isEqualTo(posted.messageId());
    assertThat(entry.threadId()).isEqualTo(topic);
  }

  @Test
  void filesAreUploadedAsPhotosAndDocumentsAndLinkedAboveTheLimit() throws IOException {
    String chat = telegram.newChat("Files", "supergroup");
    TelegramConnector connector = connector(telegram.connector().maxUploadBytes(2_000));
    byte[] png = png(8, 6);
    byte[] notes = "minutes of the meeting".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Attachment photo = new Attachment("p1", "photo.png", "image/png", png.length, null, Attachment.Kind.IMAGE);
    Attachment document = new Attachment("d1", "notes.txt", "text/plain", notes.length, null, Attachment.Kind.FILE);
    Attachment big = new Attachment("b1", "video.mp4", "video/mp4", 5_000_000, "https://files.example.org/v.mp4",
        Attachment.Kind.VIDEO);
    Attachment unknownSize = new Attachment("u1", "dump.bin", "application/octet-stream", -1, null, Attachment.Kind.FILE);
    List<OutboundAttachment> attachments = List.of(
        new OutboundAttachment(photo, Mono.just(png)),
        new OutboundAttachment(document, Mono.just(notes)),
        new OutboundAttachment(big, Mono.error(new AssertionError("a linked file must not be downloaded"))),
        new OutboundAttachment(unknownSize, Mono.fromCallable(() -> new byte[3_000])));

    connector.post(Outbound.message(connector, chat, RichText.of("the files"), attachments, null, null)).block(TIMEOUT);

    List<HistoryEntry> sent = byBot(chat);
    assertThat(sent).hasSize(4);
    assertThat(sent.get(0).text()).startsWith("the files").contains("video.mp4 (4.8 MB)");
    assertThat(sent.get(0).formatted()).contains("<a href=\"https://files.example.org/v.mp4\">video.mp4</a>");
    assertThat(sent.get(1).attachments()).singleElement().satisfies(a -> assertThat(a.mediaType()).isEqualTo("image/jpeg"));
    assertThat(telegram.control.file(sent.get(2).attachments().get(0).id()).block().data()).isEqualTo(notes);
    assertThat(sent.get(3).text()).contains("dump.bin").contains("too large");
    assertThat(telegram.conformance.calls("sendPhoto")).hasSize(1);
    assertThat(telegram.conformance.calls("sendDocument")).hasSize(1);
  }

  @Test
  void receivedFilesAreDownloadedThroughGetFileAndNeverCarryTheTokenInTheirUrl() throws IOException {
    String chat = telegram.newChat("Inbound files", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    InboundRecorder inbound = record(connector, chat);
    byte[] png = png(12, 9);

    String id = telegram.control.post(Post.of(chat, telegram.person.id(), "a <b>photo</b>")
        .withAttachment(new SandboxFile("cat.png", "image/png", png))).block().messageId();

    MessageCreated created = inbound.await(MessageCreated.class, m -> m.target().messageId().equals(id), TIMEOUT);
    Attachment attachment = created.message().attachments().get(0);
    assertThat(attachment.url()).isNull();
    assertThat(attachment.kind()).isEqualTo(Attachment.Kind.IMAGE);
    assertThat(created.message().text()).isEqualTo(RichText.builder().text("a ").bold("photo").build());
    assertThat(created.toString()).doesNotContain(TelegramSandbox.TOKEN);
    assertThat(connector.download(attachment).block(TIMEOUT)).isEqualTo(png);
  }

  @Test
  void theBotShowsTheLatestBridgedReactionThatIsStillWanted() {
    String chat = telegram.newChat("Reactions", "supergroup");
    TelegramConnector connector = connector(telegram.connector());
    String id = telegram.control.post(Post.of(chat, telegram.person.id(), "react")).block().messageId();
    MessageRef ref = ChannelRef.of("tg", chat).message(id);
    Emoji thumbs = Emoji.unicode("thumbsup", "\uD83D\uDC4D");
    Emoji heart = Emoji.unicode("heart", "\u2764\uFE0F");

    connector.addReaction(ref, thumbs, Outbound.AUTHOR).block(TIMEOUT);
    connector.addReaction(ref, heart, Outbound.AUTHOR).block(TIMEOUT);
    assertThat(botReactions(chat, id)).containsExactly("\u2764");
    connector.removeReaction(ref, heart, Outbound.AUTHOR).block(TIMEOUT);
    assertThat(botReactions(chat, id)).containsExactly("\uD83D\uDC4D");
    connector.removeReaction(ref, thumbs, Outbound.AUTHOR).block(TIMEOUT);
    assertThat(botReactions(chat, id)).isEmpty();
  }

  private List<String> botReactions(String chat, String id) {
    String bot = TelegramSandbox.TOKEN.substring(0, TelegramSandbox.TOKEN.indexOf(':'));
    return history(chat).stream().filter(e -> e.messageId().equals(id)).flatMap(e -> e.reactions().stream())
        .filter(r -> r.userIds().contains(bot)).map(r -> r.emoji()).collect(Collectors.toList());
  }

  @Test
  void aGroupUpgradedToASupergroupIsFollowedBothWaysAndReported() {
    String group = telegram.newChat("Small group", "group");
    TelegramConnector connector = connector(telegram.connector());
    InboundRecorder inbound = record(connector, group);
    MessageRef before = connector.post(Outbound.message(connector, group, RichText.of("before the upgrade"))).block(TIMEOUT);

    String supergroup = telegram.emulator.migrateToSupergroup(group, telegram.person.id()).block().id();
    MessageRef after = connector.post(Outbound.message(connector, group, RichText.of("after the upgrade"))).block(TIMEOUT);

    assertThat(after.channel().channelId()).as("the bridge keeps its channel").isEqualTo(group);
    assertThat(after.messageId()).as("qualified by the chat it is in").startsWith(supergroup + ":");
    assertThat(byBot(supergroup)).extracting(HistoryEntry::text).containsExactly("after the upgrade");
    ConnectorStateChanged notice = inbound.await(ConnectorStateChanged.class,
        s -> s.detail() != null && s.detail().contains(supergroup), TIMEOUT);
    assertThat(notice.state()).isEqualTo(ConnectorState.CONNECTED);
    assertThat(notice.detail()).contains(group).contains("bridge");

    connector.edit(after, Outbound.message(connector, group, RichText.of("after the upgrade, edited"))).block(TIMEOUT);
    assertThat(byBot(supergroup)).extracting(HistoryEntry::text).containsExactly("after the upgrade, edited");

    String posted = telegram.control.post(Post.of(supergroup, telegram.person.id(), "hello from the supergroup")).block()
        .messageId();
    MessageCreated relayed = inbound.await(MessageCreated.class,
        e -> e.message().text().plainText().equals("hello from the supergroup"), TIMEOUT);
    assertThat(relayed.target()).isEqualTo(ChannelRef.of("tg", group).message(supergroup + ":" + posted));

    assertThatThrownBy(() -> connector.edit(before, Outbound.message(connector, group, RichText.of("too late")))
        .block(TIMEOUT))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("before the upgrade");
    assertThat(history(supergroup)).extracting(HistoryEntry::text).doesNotContain("too late");
  }

  private InboundRecorder record(TelegramConnector connector, String chat) {
    InboundRecorder recorder = InboundRecorder.record(connector.connect(
        TestConnectorContext.of(Outbound.RELAY_ID, new InMemoryCursorStore().scoped(connector.id()), Set.of(chat))));
    recorders.add(recorder);
    recorder.awaitState(ConnectorState.CONNECTED, TIMEOUT);
    return recorder;
  }

  static byte[] png(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

}
