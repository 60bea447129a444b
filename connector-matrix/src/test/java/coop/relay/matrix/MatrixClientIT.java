package coop.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.RateLimitedException;
import coop.relay.api.UserRef;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import coop.relay.api.event.ConnectorState;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Client mode against the emulator, beyond the TCK: resuming from the stored {@code since}, filling
 * the gap of a limited timeline, a send retried after a timeout, 429 storms, rejected tokens, media
 * both ways, reactions shared by several people, long texts.
 */
class MatrixClientIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Identity TESS = Identity.of(new UserRef("tg", "77"), "Tess");

  private MatrixSandbox matrix;
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final List<InboundRecorder> recorders = new CopyOnWriteArrayList<>();
  private final AtomicInteger deliveries = new AtomicInteger();

  @AfterEach
  void stop() {
    recorders.forEach(InboundRecorder::close);
    if (matrix != null) {
      matrix.close();
      matrix.conformance.assertConforms();
    }
  }

  private InboundRecorder connect(MatrixConnector connector, String room) {
    InboundRecorder recorder = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay", cursors.scoped(connector.id()), Set.of(room))));
    recorders.add(recorder);
    recorder.awaitState(ConnectorState.CONNECTED, WAIT);
    return recorder;
  }

  private String post(String room, String text) {
    return Objects.requireNonNull(matrix.control.post(Post.of(room, matrix.person.id(), text)).block()).messageId();
  }

  private OutboundMessage outbound(MatrixConnector connector, String room, RichText text, List<OutboundAttachment> files) {
    int n = deliveries.incrementAndGet();
    return new OutboundMessage(ChannelRef.of("mx", room), ChannelRef.of("tg", "-100").message("m" + n), TESS,
        connector.render(text), files, null, null, new OriginMarker("relay", "d" + n));
  }

  private List<HistoryEntry> history(String room) {
    return Objects.requireNonNull(matrix.control.history(room).collectList().block());
  }

  private static List<String> created(InboundRecorder inbound) {
    return inbound.events(MessageCreated.class).stream().map(e -> e.target().messageId()).toList();
  }

  @Test
  void restartResumesFromTheStoredSinceWithoutAnInitialSync() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Resume");
    List<String> syncs = new CopyOnWriteArrayList<>();
    Interceptor recordSyncs = chain -> {
      if (chain.request().url().encodedPath().endsWith("/sync")) {
        syncs.add(String.valueOf(chain.request().url().queryParameter("since")));
      }
      return chain.proceed(chain.request());
    };
    InboundRecorder first = connect(matrix.connector().build(), room);
    String m1 = post(room, "before the restart");
    first.await(MessageCreated.class, e -> e.target().messageId().equals(m1), WAIT);
    first.close();
    String stored = cursors.load("mx", "sync.since").orElseThrow();
    String m2 = post(room, "while stopped 1");
    String m3 = post(room, "while stopped 2");

    InboundRecorder second = connect(matrix.connector(recordSyncs).build(), room);
    second.await(MessageCreated.class, e -> e.target().messageId().equals(m3), WAIT);

    assertThat(created(second)).containsExactly(m2, m3);
    assertThat(syncs.get(0)).as("the first sync after the restart").isEqualTo(stored);
  }

  @Test
  void aLimitedTimelineIsCompletedThroughMessagesUpToTheLimit() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Gap");
    InboundRecorder first = connect(matrix.connector().timelineLimit(2).build(), room);
    String fence = post(room, "fence");
    first.await(MessageCreated.class, e -> e.target().messageId().equals(fence), WAIT);
    first.close();
    List<String> missed = List.of(post(room, "gap 1"), post(room, "gap 2"), post(room, "gap 3"), post(room, "gap 4"),
        post(room, "gap 5"));

    AtomicInteger pages = new AtomicInteger();
    Interceptor countPages = chain -> {
      if (chain.request().url().encodedPath().endsWith("/messages")) {
        pages.incrementAndGet();
      }
      return chain.proceed(chain.request());
    };
    InboundRecorder all = connect(matrix.connector(countPages).timelineLimit(2).build(), room);
    all.await(MessageCreated.class, e -> e.target().messageId().equals(missed.get(4)), WAIT);

    assertThat(created(all)).as("every missed message once, in order").containsExactlyElementsOf(missed);
    assertThat(pages.get()).as("pages of /messages read to fill the gap").isPositive();
  }

  @Test
  void gapFillingStopsAtTheConfiguredNumberOfEvents() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Gap limit");
    InboundRecorder first = connect(matrix.connector().timelineLimit(2).build(), room);
    String fence = post(room, "fence");
    first.await(MessageCreated.class, e -> e.target().messageId().equals(fence), WAIT);
    first.close();
    List<String> missed = List.of(post(room, "old 1"), post(room, "old 2"), post(room, "kept 3"), post(room, "kept 4"),
        post(room, "kept 5"));

    InboundRecorder limited = connect(matrix.connector().timelineLimit(2).gapFillLimit(1).build(), room);
    limited.await(MessageCreated.class, e -> e.target().messageId().equals(missed.get(4)), WAIT);

    assertThat(created(limited)).containsExactlyElementsOf(missed.subList(2, 5));
  }

  @Test
  void aSendThatTimedOutAndIsRetriedPostsOnce() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Retry");
    AtomicBoolean timeOutOnce = new AtomicBoolean(true);
    Interceptor lostAnswer = chain -> {
      Response response = chain.proceed(chain.request());
      if (chain.request().url().encodedPath().contains("/send/") && timeOutOnce.compareAndSet(true, false)) {
        response.close(); // the homeserver stored the event; its answer never arrives
        throw new SocketTimeoutException("read timed out (test)");
      }
      return response;
    };
    MatrixConnector connector = matrix.connector(lostAnswer).build();
    OutboundMessage message = outbound(connector, room, RichText.of("exactly once"), List.of());

    assertThatThrownBy(() -> connector.post(message).block(WAIT))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
    MessageRef ref = connector.post(message).block(WAIT);

    List<HistoryEntry> copies = history(room).stream().filter(e -> e.text().equals("exactly once")).toList();
    assertThat(copies).hasSize(1);
    assertThat(copies.get(0).messageId()).isEqualTo(Objects.requireNonNull(ref).messageId());
  }

  @Test
  void aRateLimitStormIsWaitedOutAndOneThatPersistsFailsWithTheServersWait() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Storm");
    MatrixConnector connector = matrix.connector().build();
    matrix.control.injectFault(Fault.rateLimited("sendMessage", 2, Duration.ofMillis(300))).block();

    MessageRef ref = connector.post(outbound(connector, room, RichText.of("after the storm"), List.of())).block(WAIT);

    assertThat(history(room)).extracting(HistoryEntry::messageId).containsExactly(Objects.requireNonNull(ref).messageId());
    matrix.control.injectFault(Fault.rateLimited("sendMessage", 4, Duration.ofMillis(300))).block();
    assertThatThrownBy(() -> connector.post(outbound(connector, room, RichText.of("never"), List.of())).block(WAIT))
        .isInstanceOfSatisfying(RateLimitedException.class,
            e -> assertThat(e.retryAfter()).as("the Retry-After header's whole second").isEqualTo(Duration.ofSeconds(1)));
    assertThat(history(room)).hasSize(1);
  }

  @Test
  void aRejectedTokenFailsTheConnectionAndEveryLaterCallAtOnce() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Bad token");
    AtomicInteger requests = new AtomicInteger();
    MatrixConnector connector = MatrixConnector.builder().id("mx").baseUrl(matrix.baseUrl()).accessToken("syt_revoked")
        .backoff(MatrixSandbox.FAST_BACKOFF)
        .interceptor(chain -> {
          requests.incrementAndGet();
          return chain.proceed(chain.request());
        })
        .build();
    InboundRecorder inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay", cursors.scoped("mx"), Set.of(room))));
    recorders.add(inbound);

    await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("M_UNKNOWN_TOKEN")
        .hasMessageNotContaining("syt_revoked");
    int before = requests.get();
    assertThatThrownBy(() -> connector.post(outbound(connector, room, RichText.of("x"), List.of())).block(WAIT))
        .isInstanceOf(CredentialsRejectedException.class);
    assertThat(requests.get()).as("requests after the rejection").isEqualTo(before);
  }

  @Test
  void mediaGoesUpAsImagesAndComesDownThroughTheAuthenticatedApi() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Media");
    MatrixConnector connector = matrix.connector().build();
    InboundRecorder inbound = connect(connector, room);
    byte[] png = pngBytes();
    Attachment file = new Attachment("tg-file-1", "dot.png", "image/png", png.length, null, Attachment.Kind.IMAGE);

    MessageRef ref = connector.post(outbound(connector, room, RichText.of("a picture"),
        List.of(new OutboundAttachment(file, Mono.just(png))))).block(WAIT);
    HistoryEntry received = matrix.control.post(Post.of(room, matrix.person.id(), "")
        .withAttachment(new SandboxFile("report.pdf", "application/pdf", "%PDF-1.4 test".getBytes()))).block();

    List<HistoryEntry> history = history(room);
    assertThat(history).extracting(HistoryEntry::text).startsWith("a picture", "dot.png");
    assertThat(history.get(0).messageId()).isEqualTo(Objects.requireNonNull(ref).messageId());
    HistoryEntry image = history.get(1);
    assertThat(image.attachments()).singleElement().satisfies(a -> {
      assertThat(a.mediaType()).isEqualTo("image/png");
      assertThat(matrix.control.file(a.id()).block().data()).isEqualTo(png);
    });
    MessageCreated pdf = inbound.await(MessageCreated.class,
        e -> e.target().messageId().equals(Objects.requireNonNull(received).messageId()), WAIT);
    Attachment attachment = pdf.message().attachments().get(0);
    assertThat(attachment.fileName()).isEqualTo("report.pdf");
    assertThat(attachment.kind()).isEqualTo(Attachment.Kind.FILE);
    assertThat(connector.download(attachment).block(WAIT)).isEqualTo("%PDF-1.4 test".getBytes());
  }

  @Test
  void aFileAboveTheUploadLimitIsSentAsALink() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Big file");
    MatrixConnector connector = matrix.connector().maxUploadBytes(10).build();
    Attachment big = new Attachment("f", "big.zip", "application/zip", 1000, "https://files.example/big.zip",
        Attachment.Kind.FILE);
    AtomicBoolean downloaded = new AtomicBoolean();

    connector.post(outbound(connector, room, RichText.empty(), List.of(new OutboundAttachment(big,
        Mono.fromCallable(() -> {
          downloaded.set(true);
          return new byte[1000];
        }))))).block(WAIT);

    assertThat(history(room)).singleElement().satisfies(e -> {
      assertThat(e.attachments()).isEmpty();
      assertThat(e.text()).contains("big.zip").contains("https://files.example/big.zip");
    });
    assertThat(downloaded).as("a file sent as a link is never downloaded").isFalse();
  }

  @Test
  void aReactionSharedByTwoPeopleStaysUntilBothRemovedIt() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Reactions");
    MatrixConnector connector = matrix.connector().build();
    String target = post(room, "react here");
    MessageRef ref = ChannelRef.of("mx", room).message(target);
    Emoji heart = Emoji.unicode("heart", "\u2764\uFE0F");
    Identity other = Identity.of(new UserRef("tg", "78"), "Tom");

    connector.addReaction(ref, heart, TESS).block(WAIT);
    connector.addReaction(ref, heart, other).block(WAIT);
    assertThat(reactions(room, target)).containsExactly("\u2764\uFE0F");
    connector.removeReaction(ref, heart, TESS).block(WAIT);
    assertThat(reactions(room, target)).as("still wanted by Tom").containsExactly("\u2764\uFE0F");
    connector.removeReaction(ref, heart, other).block(WAIT);

    assertThat(reactions(room, target)).isEmpty();
  }

  @Test
  void aLongTextIsSplitIntoSeveralEventsAndDeletedWhole() {
    matrix = MatrixSandbox.client();
    String room = matrix.newRoom("Long");
    MatrixConnector connector = matrix.connector().maxTextLength(100).build();
    RichText text = RichText.of("word ".repeat(60).strip());

    MessageRef ref = connector.post(outbound(connector, room, text, List.of())).block(WAIT);
    List<HistoryEntry> parts = history(room);
    connector.delete(Objects.requireNonNull(ref)).block(WAIT);

    assertThat(parts).hasSizeGreaterThan(2).allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(100));
    assertThat(String.join(" ", parts.stream().map(HistoryEntry::text).toList())).isEqualTo(text.plainText());
    assertThat(history(room)).allSatisfy(e -> assertThat(e.deleted()).isTrue());
  }

  @Test
  void anInvitationIsAcceptedOnceItsRoomIsBridgedAndItsMessagesArrive() throws Exception {
    matrix = MatrixSandbox.client();
    String existing = matrix.newRoom("Existing");
    Set<String> bridged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    bridged.add(existing);
    MatrixConnector connector = matrix.connector().build();
    InboundRecorder inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay", cursors.scoped("mx"), bridged)));
    recorders.add(inbound);
    inbound.awaitState(ConnectorState.CONNECTED, WAIT);
    String personToken = Objects.requireNonNull(matrix.emulator.login(matrix.person.id()).block());

    java.net.http.HttpResponse<String> created = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(matrix.baseUrl() + "/_matrix/client/v3/createRoom"))
            .header("Authorization", "Bearer " + personToken)
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"Invited\",\"invite\":[\"@relay:sandbox.local\"]}"))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(200);
    String invited = tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
        .path("room_id").asString();
    bridged.add(invited); // bridged while the relay runs, after the invitation arrived

    await().atMost(WAIT).until(() -> joined(invited));
    String hello = post(invited, "hello in the invited room");

    MessageCreated received = inbound.await(MessageCreated.class, e -> e.target().messageId().equals(hello), WAIT);
    assertThat(received.channel().channelId()).isEqualTo(invited);
  }

  /** Whether the bot is a member of {@code room}, as the bot itself sees it. */
  private boolean joined(String room) throws Exception {
    java.net.http.HttpResponse<String> rooms = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(matrix.baseUrl() + "/_matrix/client/v3/joined_rooms"))
            .header("Authorization", "Bearer " + MatrixSandbox.BOT_TOKEN).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return rooms.body().contains(room);
  }

  private List<String> reactions(String room, String messageId) {
    return history(room).stream().filter(e -> e.messageId().equals(messageId)).findFirst().orElseThrow()
        .reactions().stream().map(SandboxReaction::emoji).toList();
  }

  /** A 1×1 PNG. */
  private static byte[] pngBytes() {
    return java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
  }

}
