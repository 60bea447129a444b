package coop.relay.matrix;

import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.spi.Connector;
import coop.relay.testkit.tck.SeenMessage;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The TCK's view of Matrix: a fresh emulator per test with one room, a person posting HTML through
 * the control API, outages by stopping the emulator's server, and malformed events slipped into a
 * {@code /sync} answer (client mode) or pushed in a transaction with the right token (appservice
 * mode). Closing it fails the test when a request the connector sent did not conform to the spec.
 */
final class MatrixTckFixture implements TckFixture {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MatrixSandbox matrix;
  private final String room;
  private final AtomicReference<@Nullable String> malformedFor = new AtomicReference<>();
  private final AtomicInteger malformedTransactions = new AtomicInteger();

  private MatrixTckFixture(MatrixSandbox matrix) {
    this.matrix = matrix;
    this.room = matrix.newRoom("TCK");
  }

  static MatrixTckFixture client() {
    return new MatrixTckFixture(MatrixSandbox.client());
  }

  static MatrixTckFixture appservice() {
    return new MatrixTckFixture(MatrixSandbox.appservice());
  }

  @Override
  public Connector createConnector() {
    return matrix.connector(this::injectMalformed).build();
  }

  @Override
  public String channelId() {
    return room;
  }

  @Override
  public String postAsUser(String channelId, RichText text) {
    return post(Post.of(channelId, matrix.person.id(), MatrixSandbox.html(text)));
  }

  @Override
  public String replyAsUser(String channelId, String targetId, RichText text) {
    return post(Post.of(channelId, matrix.person.id(), MatrixSandbox.html(text)).withReplyTo(targetId));
  }

  @Override
  public String postInThreadAsUser(String channelId, String rootId, RichText text) {
    return post(Post.of(channelId, matrix.person.id(), MatrixSandbox.html(text)).withThread(rootId));
  }

  private String post(Post post) {
    return Objects.requireNonNull(matrix.control.post(post).block()).messageId();
  }

  @Override
  public void editAsUser(String channelId, String messageId, RichText text) {
    matrix.control.edit(channelId, messageId, matrix.person.id(), MatrixSandbox.html(text)).block();
  }

  @Override
  public void deleteAsUser(String channelId, String messageId) {
    matrix.control.delete(channelId, messageId, matrix.person.id()).block();
  }

  @Override
  public void reactAsUser(String channelId, String messageId, Emoji emoji) {
    matrix.control.react(channelId, messageId, matrix.person.id(), Objects.requireNonNull(emoji.unicode())).block();
  }

  @Override
  public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
    matrix.control.unreact(channelId, messageId, matrix.person.id(), Objects.requireNonNull(emoji.unicode())).block();
  }

  @Override
  public List<SeenMessage> history(String channelId) {
    List<HistoryEntry> entries = Objects.requireNonNull(matrix.control.history(channelId).collectList().block());
    return entries.stream()
        .map(e -> new SeenMessage(e.messageId(), e.text(),
            e.author().kind() == Author.Kind.BOT || e.author().kind() == Author.Kind.PUPPET,
            e.replyTo(), e.threadId(), e.reactions().stream().map(SandboxReaction::emoji).toList(), e.deleted()))
        .toList();
  }

  @Override
  public void disconnect() {
    matrix.sandbox.stop("matrix").block(Duration.ofSeconds(10));
  }

  @Override
  public void reconnect() {
    matrix.sandbox.start("matrix").block(Duration.ofSeconds(10));
  }

  @Override
  public void injectMalformedPayload(String channelId) {
    if (matrix.listener == null) {
      malformedFor.set(channelId); // slipped into the next /sync answer
      return;
    }
    ArrayNode events = JSON.createArrayNode();
    malformedEvents(channelId, true).forEach(events::add);
    ObjectNode body = JSON.createObjectNode();
    body.set("events", events);
    String url = "http://127.0.0.1:" + matrix.listener.port() + "/_matrix/app/v1/transactions/malformed-"
        + malformedTransactions.incrementAndGet();
    try {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
              .header("Authorization", "Bearer " + MatrixSandbox.HS_TOKEN)
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new AssertionError("the appservice answered a transaction of malformed events with "
            + answer.statusCode() + "; it should take it (200) and skip the events");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot reach the connector's appservice listener", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<JsonNode> malformedEvents(String channelId, boolean withRoom) {
    ObjectNode noBody = JSON.createObjectNode();
    noBody.put("type", "m.room.message").put("event_id", "$malformed1:sandbox.local")
        .put("sender", matrix.person.id()).put("origin_server_ts", 1);
    noBody.putObject("content").put("msgtype", "m.text");
    ObjectNode badTypes = JSON.createObjectNode();
    badTypes.put("type", "m.room.message").put("event_id", "$malformed2:sandbox.local")
        .put("sender", matrix.person.id()).put("origin_server_ts", "not a number").put("content", "not an object");
    ObjectNode badReaction = JSON.createObjectNode();
    badReaction.put("type", "m.reaction").put("event_id", "$malformed3:sandbox.local")
        .put("sender", matrix.person.id()).put("origin_server_ts", 1);
    badReaction.putObject("content").putObject("m.relates_to").put("rel_type", "m.annotation");
    if (withRoom) {
      noBody.put("room_id", channelId);
      badTypes.put("room_id", channelId);
      badReaction.put("room_id", channelId);
    }
    return List.of(noBody, badTypes, badReaction, JSON.getNodeFactory().stringNode("not an event"));
  }

  /** Puts malformed events first into the room's timeline of the next {@code /sync} answer, once asked to. */
  private Response injectMalformed(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    String channel = malformedFor.get();
    if (channel == null || !chain.request().url().encodedPath().endsWith("/sync")
        || chain.request().url().queryParameter("since") == null || !response.isSuccessful()
        || !malformedFor.compareAndSet(channel, null)) {
      return response;
    }
    ObjectNode answer = (ObjectNode) JSON.readTree(response.body().string());
    ObjectNode timeline = answer.withObject("/rooms").withObject("/join").withObject("/" + escape(channel))
        .withObject("/timeline");
    ArrayNode events = timeline.has("events") ? (ArrayNode) timeline.get("events") : timeline.putArray("events");
    List<JsonNode> bad = malformedEvents(channel, false);
    for (int i = bad.size() - 1; i >= 0; i--) {
      events.insert(0, bad.get(i));
    }
    return response.newBuilder().body(ResponseBody.create(answer.toString(), MediaType.get("application/json"))).build();
  }

  private static String escape(String pointerSegment) {
    return pointerSegment.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public String unknownChannelId() {
    return "!nowhere:sandbox.local";
  }

  @Override
  public Set<TckFeature> features() {
    return EnumSet.allOf(TckFeature.class);
  }

  @Override
  public void close() {
    try {
      matrix.close();
    } finally {
      matrix.conformance.assertConforms();
    }
  }
}
