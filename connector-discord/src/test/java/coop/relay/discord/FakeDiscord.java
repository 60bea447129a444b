package coop.relay.discord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted Discord for the connector's tests, on MockWebServer: REST routes answer with canned
 * JSON (tests add their own answers first), and {@code /gateway} upgrades to a WebSocket whose
 * server side the test drives through {@link GatewayPeer}. Not an emulator: it checks nothing,
 * it only records what the connector sent.
 */
final class FakeDiscord implements AutoCloseable {
  static final String BOT_ID = "900000000000000001";
  static final String APP_ID = "900000000000000002";
  static final String TOKEN = "bot-token-secret";
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final MockWebServer server = new MockWebServer();
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<GatewayPeer> peers = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong(1_000_000_000_000_000L);
  private volatile boolean gatewayDown;

  private record Route(String method, Pattern path, Function<RecordedRequest, MockResponse> answer) {}

  FakeDiscord() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start();
  }

  /** The base URL to give the connector: {@code http://host:port/api/v10}. */
  String baseUrl() {
    String url = server.url("/api/v10").toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Answers {@code method} requests whose path below the base matches {@code pathRegex}; newest routes win. */
  FakeDiscord on(String method, String pathRegex, Function<RecordedRequest, MockResponse> answer) {
    routes.add(0, new Route(method, Pattern.compile(pathRegex), answer));
    return this;
  }

  /** The REST requests received so far (not the Gateway upgrades), in order. */
  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The received requests whose {@code METHOD path} matches the regex. */
  List<RecordedRequest> requests(String method, String pathRegex) {
    Pattern pattern = Pattern.compile(pathRegex);
    List<RecordedRequest> out = new ArrayList<>();
    for (RecordedRequest request : requests) {
      if (request.getMethod().equals(method) && pattern.matcher(path(request)).matches()) {
        out.add(request);
      }
    }
    return out;
  }

  /** The Gateway connections so far, oldest first. */
  List<GatewayPeer> peers() {
    return List.copyOf(peers);
  }

  /** Refuses (503) new Gateway connections while down. */
  void gatewayDown(boolean down) {
    this.gatewayDown = down;
  }

  String gatewayUrl() {
    return "ws://" + server.getHostName() + ":" + server.getPort() + "/api/v10/gateway-socket";
  }

  String nextId() {
    return Long.toString(ids.incrementAndGet());
  }

  static JsonNode body(RecordedRequest request) {
    return JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8());
  }

  static String path(RecordedRequest request) {
    String full = request.getUrl().encodedPath();
    return full.startsWith("/api/v10") ? full.substring("/api/v10".length()) : full;
  }

  static MockResponse json(int status, Object body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
        .body(body instanceof String s ? s : JSON.writeValueAsString(body)).build();
  }

  static MockResponse json(Object body) {
    return json(200, body);
  }

  static MockResponse noContent() {
    return new MockResponse.Builder().code(204).build();
  }

  static MockResponse error(int status, int code, String message) {
    return json(status, "{\"code\":" + code + ",\"message\":\"" + message + "\"}");
  }

  /** A message as Discord returns it. */
  ObjectNode message(String id, String channelId, String content, @Nullable String webhookId) {
    ObjectNode message = JSON.createObjectNode().put("id", id).put("channel_id", channelId).put("content", content)
        .put("type", 0).put("timestamp", "2024-05-01T10:00:00.000000+00:00");
    message.putNull("edited_timestamp");
    ObjectNode author = message.putObject("author");
    if (webhookId != null) {
      message.put("webhook_id", webhookId);
      author.put("id", webhookId).put("username", "webhook").put("bot", true);
    } else {
      author.put("id", BOT_ID).put("username", "relay").put("bot", true);
    }
    message.putArray("attachments");
    message.putArray("mentions");
    return message;
  }

  private MockResponse answer(RecordedRequest request) {
    String path = path(request);
    if (path.equals("/gateway-socket")) {
      if (gatewayDown) {
        return new MockResponse.Builder().code(503).build();
      }
      GatewayPeer peer = new GatewayPeer(peers.size() + 1, gatewayUrl());
      peers.add(peer);
      return new MockResponse.Builder().webSocketUpgrade(peer).build();
    }
    requests.add(request);
    for (Route route : routes) {
      if (route.method().equals(request.getMethod()) && route.path().matcher(path).matches()) {
        return route.answer().apply(request);
      }
    }
    return defaults(request, path);
  }

  private MockResponse defaults(RecordedRequest request, String path) {
    String method = request.getMethod();
    if (method.equals("GET") && path.equals("/gateway/bot")) {
      String ws = gatewayUrl();
      return json("{\"url\":\"" + ws + "\",\"shards\":1,\"session_start_limit\":{\"total\":1000,\"remaining\":999,"
          + "\"reset_after\":0,\"max_concurrency\":1}}");
    }
    if (method.equals("GET") && path.equals("/users/@me")) {
      return json("{\"id\":\"" + BOT_ID + "\",\"username\":\"relay\",\"bot\":true}");
    }
    if (method.equals("GET") && path.matches("/channels/\\d+/webhooks")) {
      return json("[]");
    }
    if (method.equals("POST") && path.matches("/channels/\\d+/webhooks")) {
      String channel = path.split("/")[2];
      return json("{\"id\":\"" + nextId() + "\",\"type\":1,\"token\":\"hook-token-" + channel + "\",\"channel_id\":\""
          + channel + "\",\"application_id\":\"" + APP_ID + "\",\"name\":\"Relay\",\"avatar\":null,"
          + "\"user\":{\"id\":\"" + BOT_ID + "\",\"username\":\"relay\"}}");
    }
    if (method.equals("POST") && path.matches("/webhooks/\\d+/[^/]+")) {
      String channel = request.getUrl().queryParameter("thread_id");
      return json(message(nextId(), channel == null ? "0" : channel, "", path.split("/")[2]));
    }
    if (method.equals("POST") && path.matches("/channels/\\d+/messages")) {
      return json(message(nextId(), path.split("/")[2], "", null));
    }
    if (method.equals("PATCH")) {
      return json(message(path.substring(path.lastIndexOf('/') + 1), "0", "", null));
    }
    if (method.equals("POST") && path.matches("/channels/\\d+/messages/\\d+/threads")) {
      String[] parts = path.split("/");
      return json(201, "{\"id\":\"" + parts[4] + "\",\"type\":11,\"parent_id\":\"" + parts[2] + "\",\"name\":\"t\"}");
    }
    if (method.equals("DELETE") || method.equals("PUT")) {
      return noContent();
    }
    return error(404, 0, "404: Not Found");
  }

  static Headers bucket(String bucket, int remaining, double resetAfter) {
    return new Headers.Builder().add("X-RateLimit-Bucket", bucket).add("X-RateLimit-Limit", "5")
        .add("X-RateLimit-Remaining", String.valueOf(remaining))
        .add("X-RateLimit-Reset-After", String.valueOf(resetAfter)).build();
  }

  @Override
  public void close() {
    for (GatewayPeer peer : peers) {
      peer.drop();
    }
    server.close();
  }

  /** The server side of one Gateway connection: what the connector sent, and what to send it. */
  static final class GatewayPeer extends WebSocketListener {
    final int number;
    private final String resumeUrl;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile @Nullable WebSocket socket;
    private volatile boolean closed;

    GatewayPeer(int number, String resumeUrl) {
      this.number = number;
      this.resumeUrl = resumeUrl;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      this.socket = webSocket;
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      received.add(JSON.readTree(text));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      closed = true;
      webSocket.close(code, null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
      closed = true;
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      closed = true;
    }

    boolean isOpen() {
      return socket != null && !closed;
    }

    /** Whether the connection ended (closed or dropped by either side). */
    boolean isClosed() {
      return closed;
    }

    /** Every payload the connector sent on this connection, in order. */
    List<JsonNode> received() {
      return List.copyOf(received);
    }

    /** The payloads with opcode {@code op}. */
    List<JsonNode> received(int op) {
      return received.stream().filter(node -> node.path("op").asInt(-1) == op).toList();
    }

    void send(String json) {
      WebSocket s = socket;
      if (s == null) {
        throw new IllegalStateException("the connection is not open yet");
      }
      s.send(json);
    }

    void hello(long intervalMillis) {
      send("{\"op\":10,\"d\":{\"heartbeat_interval\":" + intervalMillis + "}}");
    }

    void ack() {
      send("{\"op\":11}");
    }

    void ready(String sessionId, long sequence) {
      send("{\"t\":\"READY\",\"s\":" + sequence + ",\"op\":0,\"d\":{\"v\":10,\"session_id\":\"" + sessionId
          + "\",\"resume_gateway_url\":\"" + resumeUrl + "\",\"user\":{\"id\":\"" + BOT_ID
          + "\",\"username\":\"relay\",\"bot\":true},\"guilds\":[],\"application\":{\"id\":\"" + APP_ID + "\"}}}");
    }

    void dispatch(String type, long sequence, String data) {
      send("{\"t\":\"" + type + "\",\"s\":" + sequence + ",\"op\":0,\"d\":" + data + "}");
    }

    void close(int code, String reason) {
      WebSocket s = socket;
      if (s != null) {
        s.close(code, reason);
      }
    }

    /** Ends the connection (with a close frame: MockWebServer's side cannot just drop it). */
    void drop() {
      WebSocket s = socket;
      if (s != null && !closed) {
        s.close(1001, null); // a server-side socket cannot be cancelled
      }
      closed = true;
    }
  }
}
