package coop.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxUser;
import coop.relay.spi.OutboundMessage;
import coop.relay.support.HttpHeaders;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import coop.relay.testkit.InMemoryCursorStore;
import coop.relay.testkit.InboundRecorder;
import coop.relay.testkit.TestConnectorContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Application-service mode against the emulator, beyond the TCK: transactions pushed twice, the
 * homeserver's token, user queries and pings, ghost users with their names and re-uploaded avatars,
 * and edits of a ghost's message after a restart.
 */
class MatrixAppserviceIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final InMemoryCursorStore cursors = new InMemoryCursorStore();
  private final List<InboundRecorder> recorders = new CopyOnWriteArrayList<>();
  private MatrixSandbox matrix;
  private String room;

  @BeforeEach
  void start() {
    matrix = MatrixSandbox.appservice();
    room = matrix.newRoom("Appservice");
  }

  @AfterEach
  void stop() {
    recorders.forEach(InboundRecorder::close);
    matrix.close();
    matrix.conformance.assertConforms();
  }

  private InboundRecorder connect(MatrixConnector connector) {
    InboundRecorder recorder = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay", cursors.scoped(connector.id()), Set.of(room))));
    recorders.add(recorder);
    recorder.awaitState(ConnectorState.CONNECTED, WAIT);
    return recorder;
  }

  private HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + Objects.requireNonNull(matrix.listener).port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String transaction(String eventId, String text) {
    return "{\"events\":[{\"type\":\"m.room.message\",\"event_id\":\"" + eventId + "\",\"room_id\":\"" + room
        + "\",\"sender\":\"" + matrix.person.id() + "\",\"origin_server_ts\":1700000000000,\"content\":"
        + "{\"msgtype\":\"m.text\",\"body\":\"" + text + "\"}}]}";
  }

  @Test
  void aTransactionPushedTwiceIsRelayedOnceAlsoAfterARestart() {
    InboundRecorder first = connect(matrix.connector().build());
    String path = "/_matrix/app/v1/transactions/txn-twice";

    HttpResponse<String> once = call("PUT", path, MatrixSandbox.HS_TOKEN, transaction("$twice:sandbox.local", "twice"));
    HttpResponse<String> again = call("PUT", path, MatrixSandbox.HS_TOKEN, transaction("$twice:sandbox.local", "twice"));
    first.close();
    InboundRecorder second = connect(matrix.connector().build());
    HttpResponse<String> afterRestart = call("PUT", path, MatrixSandbox.HS_TOKEN,
        transaction("$twice:sandbox.local", "twice"));
    HttpResponse<String> fence = call("PUT", "/_matrix/app/v1/transactions/txn-fence", MatrixSandbox.HS_TOKEN,
        transaction("$fence:sandbox.local", "fence"));
    second.await(MessageCreated.class, e -> e.target().messageId().equals("$fence:sandbox.local"), WAIT);

    assertThat(List.of(once.statusCode(), again.statusCode(), afterRestart.statusCode(), fence.statusCode()))
        .containsOnly(200);
    assertThat(once.body()).isEqualTo("{}");
    assertThat(first.events(MessageCreated.class)).extracting(e -> e.target().messageId())
        .containsExactly("$twice:sandbox.local");
    assertThat(second.events(MessageCreated.class)).extracting(e -> e.target().messageId())
        .containsExactly("$fence:sandbox.local");
  }

  @Test
  void theHomeserversTokenIsRequired() {
    connect(matrix.connector().build());
    String path = "/_matrix/app/v1/transactions/txn-auth";

    HttpResponse<String> missing = call("PUT", path, null, transaction("$a:sandbox.local", "a"));
    HttpResponse<String> wrong = call("PUT", path, MatrixSandbox.AS_TOKEN, transaction("$a:sandbox.local", "a"));
    HttpResponse<String> ping = call("POST", "/_matrix/app/v1/ping", MatrixSandbox.HS_TOKEN, "{\"transaction_id\":\"t\"}");

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).contains("M_UNAUTHORIZED");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("M_FORBIDDEN");
    assertThat(ping.statusCode()).isEqualTo(200);
  }

  @Test
  void queriedGhostsAreCreatedAndOtherUsersAreNot() {
    connect(matrix.connector().build());
    String ghost = "@relay_tg.4242:sandbox.local";

    HttpResponse<String> created = call("GET", "/_matrix/app/v1/users/" + encode(ghost), MatrixSandbox.HS_TOKEN, null);
    HttpResponse<String> stranger = call("GET", "/_matrix/app/v1/users/" + encode("@someone:sandbox.local"),
        MatrixSandbox.HS_TOKEN, null);
    HttpResponse<String> alias = call("GET", "/_matrix/app/v1/rooms/" + encode("#relay_x:sandbox.local"),
        MatrixSandbox.HS_TOKEN, null);

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(matrix.control.users().map(SandboxUser::id).collectList().block()).contains(ghost);
    assertThat(stranger.statusCode()).isEqualTo(404);
    assertThat(alias.statusCode()).isEqualTo(404);
  }

  @Test
  void transactionsWaitWithTheHomeserverWhileNotConnected() {
    MatrixConnector connector = matrix.connector().build();
    WebhookRequest request = new WebhookRequest("PUT", "/_matrix/app/v1/transactions/early", null,
        HttpHeaders.of("Authorization", "Bearer " + MatrixSandbox.HS_TOKEN),
        transaction("$early:sandbox.local", "early").getBytes(StandardCharsets.UTF_8), null);

    WebhookResponse answer = connector.appserviceHandler().handle(request).block(WAIT);

    assertThat(Objects.requireNonNull(answer).status()).isEqualTo(503);
  }

  @Test
  void ghostsSpeakWithTheirNameAndTheirAvatarCopiedIntoTheMediaRepository() throws IOException {
    byte[] avatar = "not really a png".getBytes(StandardCharsets.UTF_8);
    try (MockWebServer pictures = new MockWebServer()) {
      pictures.enqueue(new MockResponse.Builder().setHeader("Content-Type", "image/png")
          .body(new Buffer().write(avatar)).build());
      pictures.start();
      MatrixConnector connector = matrix.connector().build();
      connect(connector);
      Identity tess = new Identity(new UserRef("tg", "77"), "Tess Telegram", pictures.url("/tess.png").toString(),
          false, null);

      MessageRef ref = connector.post(new OutboundMessage(ChannelRef.of("mx", room),
          ChannelRef.of("tg", "-1").message("1"), tess, connector.render(RichText.of("hello from Telegram")), List.of(),
          null, null, new OriginMarker("relay", "d1"))).block(WAIT);

      HistoryEntry posted = history().stream().filter(e -> e.messageId().equals(Objects.requireNonNull(ref).messageId()))
          .findFirst().orElseThrow();
      assertThat(posted.author().kind()).isEqualTo(Author.Kind.PUPPET);
      assertThat(posted.author().id()).isEqualTo("@relay_tg.77:sandbox.local");
      assertThat(posted.author().shownName()).isEqualTo("Tess Telegram");
      await().atMost(WAIT).untilAsserted(() -> {
        SandboxUser ghost = matrix.control.users().filter(u -> u.id().equals("@relay_tg.77:sandbox.local")).blockFirst();
        assertThat(Objects.requireNonNull(ghost).avatarUrl()).startsWith("mxc://");
        assertThat(matrix.control.file(ghost.avatarUrl()).block().data()).isEqualTo(avatar);
      });
    }
  }

  @Test
  void aRestartedConnectorEditsAndDeletesAsTheGhostThatPosted() {
    MatrixConnector first = matrix.connector().build();
    Identity tess = Identity.of(new UserRef("tg", "77"), "Tess");
    OutboundMessage original = new OutboundMessage(ChannelRef.of("mx", room), ChannelRef.of("tg", "-1").message("1"),
        tess, first.render(RichText.of("first words")), List.of(), null, null, new OriginMarker("relay", "d1"));
    MessageRef ref = Objects.requireNonNull(first.post(original).block(WAIT));
    MatrixConnector second = matrix.connector().build();

    second.edit(ref, new OutboundMessage(ref.channel(), original.source(), tess, second.render(RichText.of("better words")),
        List.of(), null, null, new OriginMarker("relay", "d2"))).block(WAIT);
    assertThat(history()).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("better words"));
    second.delete(ref).block(WAIT);

    assertThat(history()).singleElement().satisfies(e -> assertThat(e.deleted()).isTrue());
  }

  @Test
  void theConnectorsOwnListenerServesTheHomeserverWhileConnected() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    matrix.emulator.appserviceUrl(MatrixSandbox.AS_ID, "http://127.0.0.1:" + port).block(WAIT);
    MatrixConnector connector = MatrixConnector.builder().id("mx").baseUrl(matrix.baseUrl())
        .appservice(MatrixSandbox.registration()).listen("127.0.0.1", port)
        .backoff(MatrixSandbox.FAST_BACKOFF).interceptor(matrix.conformance).build();
    InboundRecorder inbound = connect(connector);

    String hello = Objects.requireNonNull(matrix.control.post(coop.relay.sandbox.Post.of(room, matrix.person.id(),
        "pushed to the own listener")).block()).messageId();
    inbound.await(MessageCreated.class, e -> e.target().messageId().equals(hello), WAIT);
    inbound.close();

    int stoppedPort = port;
    await().atMost(WAIT).untilAsserted(() -> assertThat(call("POST", stoppedPort, "/_matrix/app/v1/ping")).isEqualTo(-1));
  }

  /** The status of a request to {@code port}, or -1 when nothing listens there. */
  private static int call(String method, int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (IOException refused) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void ghostsOutsideTheNamespaceAreAConfigurationError() {
    AppserviceRegistration outside = AppserviceRegistration.builder().id(MatrixSandbox.AS_ID)
        .asToken(MatrixSandbox.AS_TOKEN).hsToken(MatrixSandbox.HS_TOKEN).senderLocalpart("relaybot")
        .userNamespace("@relay_.*:sandbox\\.local").ghostPrefix("other_").build();
    MatrixConnector connector = MatrixConnector.builder().id("mx").baseUrl(matrix.baseUrl()).appservice(outside)
        .listener(Objects.requireNonNull(matrix.listener)).backoff(MatrixSandbox.FAST_BACKOFF).build();
    InboundRecorder inbound = InboundRecorder.record(connector.connect(
        TestConnectorContext.of("relay", cursors.scoped("mx"), Set.of(room))));
    recorders.add(inbound);

    await().atMost(WAIT).until(() -> inbound.error() != null);
    assertThat(inbound.error()).isInstanceOf(coop.relay.api.InvalidConfigurationException.class)
        .hasMessageContaining("@other_");
  }

  @Test
  void unknownEndpointsAreUnrecognized() {
    connect(matrix.connector().build());

    HttpResponse<String> thirdParty = call("GET", "/_matrix/app/v1/thirdparty/protocol/irc", MatrixSandbox.HS_TOKEN, null);
    HttpResponse<String> wrongMethod = call("GET", "/_matrix/app/v1/transactions/1", MatrixSandbox.HS_TOKEN, null);

    assertThat(thirdParty.statusCode()).isEqualTo(404);
    assertThat(thirdParty.body()).contains("M_UNRECOGNIZED");
    assertThat(wrongMethod.statusCode()).isEqualTo(404);
  }

  private List<HistoryEntry> history() {
    return Objects.requireNonNull(matrix.control.history(room).collectList().block());
  }

  private static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
