package coop.relay.slack.internal;

import coop.relay.support.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A small scripted stand-in for Slack on MockWebServer, for the connector's own tests before and
 * beside the sandbox emulator: canned Web API answers, answers queued per method (errors, rate
 * limits), and Socket Mode connections the test drives frame by frame. Records every request.
 */
final class FakeSlack implements AutoCloseable {
  static final String BOT_USER = "UBOT";
  static final String BOT_ID = "BBOT";
  static final String APP_ID = "ABOT";
  static final String UNKNOWN_CHANNEL = "CGONE";

  private final MockWebServer server = new MockWebServer();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<MockResponse>> queued = new ConcurrentHashMap<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private volatile boolean helloOnOpen = true;

  /** One Web API call: the method and its parameters (form or query). */
  record Call(String method, String httpMethod, Map<String, String> parameters, @Nullable String authorization) {}

  FakeSlack() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return FakeSlack.this.dispatch(request);
      }
    });
    server.start();
  }

  /** The Web API base URL, for {@code baseUrl(...)}. */
  String baseUrl() {
    return server.url("/api").toString();
  }

  /** The next call of {@code method} gets {@code response} instead of the canned answer. */
  void enqueue(String method, MockResponse response) {
    queued.computeIfAbsent(method, m -> new ArrayDeque<>()).add(response);
  }

  /** The next call of {@code method} gets {@code {"ok":false,"error":error}}. */
  void fail(String method, String error) {
    enqueue(method, json("{\"ok\":false,\"error\":\"" + error + "\"}"));
  }

  /** Whether new Socket Mode connections are greeted with {@code hello}; default true. */
  void helloOnOpen(boolean value) {
    helloOnOpen = value;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Waits until {@code count} Socket Mode connections were opened and returns the last of them. */
  Socket awaitSocket(int count) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sockets.size() >= count);
    return sockets.get(count - 1);
  }

  int socketCount() {
    return sockets.size();
  }

  private MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.startsWith("/api/")) {
      String method = path.substring(5);
      Map<String, String> parameters = parameters(request);
      calls.add(new Call(method, request.getMethod(), parameters, request.getHeaders().get("Authorization")));
      Deque<MockResponse> special = queued.get(method);
      if (special != null) {
        synchronized (special) {
          MockResponse next = special.poll();
          if (next != null) {
            return next;
          }
        }
      }
      return answer(method, parameters);
    }
    if (path.startsWith("/link")) {
      Socket socket = new Socket();
      return new MockResponse.Builder().webSocketUpgrade(socket).build();
    }
    if (path.startsWith("/upload/")) {
      return new MockResponse.Builder().code(200).body("OK - " + request.getBodySize()).build();
    }
    if (path.startsWith("/files/")) {
      return new MockResponse.Builder().code(200).body("file-bytes").build();
    }
    return new MockResponse.Builder().code(404).body("not found").build();
  }

  private MockResponse answer(String method, Map<String, String> p) {
    String channel = p.getOrDefault("channel", p.getOrDefault("channel_id", ""));
    if (UNKNOWN_CHANNEL.equals(channel)) {
      return json("{\"ok\":false,\"error\":\"channel_not_found\"}");
    }
    return switch (method) {
      case "auth.test" -> json("{\"ok\":true,\"url\":\"https://fake.slack.com/\",\"team\":\"Fake\",\"user\":\"relaybot\","
          + "\"team_id\":\"T1\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"" + BOT_ID + "\",\"app_id\":\"" + APP_ID + "\"}");
      case "users.info" -> json("{\"ok\":true,\"user\":{\"id\":\"" + p.get("user") + "\",\"name\":\"ada\",\"real_name\":"
          + "\"Ada Lovelace\",\"is_bot\":false,\"profile\":{\"display_name\":\"Ada\",\"image_192\":"
          + "\"https://example.org/ada.png\"}}}");
      case "chat.postMessage" -> {
        String ts = nextTs();
        yield json("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\",\"message\":{\"type\":\"message\","
            + "\"subtype\":\"bot_message\",\"text\":" + quote(p.get("text")) + ",\"ts\":\"" + ts + "\",\"bot_id\":\""
            + BOT_ID + "\"}}");
      }
      case "chat.update" -> json("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + p.get("ts") + "\",\"text\":"
          + quote(p.get("text")) + "}");
      case "chat.delete" -> json("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + p.get("ts") + "\"}");
      case "reactions.add", "reactions.remove" -> json("{\"ok\":true}");
      case "files.getUploadURLExternal" -> {
        String id = "F" + counter.incrementAndGet();
        yield json("{\"ok\":true,\"upload_url\":\"" + server.url("/upload/" + id) + "\",\"file_id\":\"" + id + "\"}");
      }
      case "files.completeUploadExternal" -> json("{\"ok\":true,\"files\":" + p.get("files") + "}");
      case "files.info" -> json("{\"ok\":true,\"file\":{\"id\":\"" + p.get("file") + "\",\"url_private_download\":\""
          + server.url("/files/" + p.get("file")) + "\"}}");
      case "apps.connections.open" -> json("{\"ok\":true,\"url\":\"ws://" + server.getHostName() + ":" + server.getPort()
          + "/link/?ticket=t-" + counter.incrementAndGet() + "&app_id=" + APP_ID + "\"}");
      default -> json("{\"ok\":false,\"error\":\"unknown_method\"}");
    };
  }

  private String nextTs() {
    return "1700000000." + String.format("%06d", counter.incrementAndGet());
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static String quote(@Nullable String text) {
    return Json.mapper().writeValueAsString(text == null ? "" : text);
  }

  private static Map<String, String> parameters(RecordedRequest request) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : request.getUrl().queryParameterNames()) {
      out.put(name, request.getUrl().queryParameter(name));
    }
    String type = request.getHeaders().get("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      for (String pair : request.getBody().utf8().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    for (Socket socket : sockets) {
      try {
        socket.close(1001, "shutting down");
      } catch (RuntimeException alreadyGone) {
        // MockWebServer may have torn the socket down already.
      }
    }
    server.close();
  }

  /** The server side of one Socket Mode connection. */
  final class Socket extends WebSocketListener {
    private volatile @Nullable WebSocket webSocket;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean open;
    private volatile boolean closedByClient;

    @Override
    public void onOpen(WebSocket socket, Response response) {
      webSocket = socket;
      open = true;
      sockets.add(this);
      if (helloOnOpen) {
        hello();
      }
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      received.add(text);
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
      closedByClient = true;
      socket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      open = false;
    }

    @Override
    public void onFailure(WebSocket socket, Throwable t, @Nullable Response response) {
      open = false;
    }

    void hello() {
      send("{\"type\":\"hello\",\"num_connections\":" + sockets.size() + ",\"debug_info\":{\"host\":\"fake\"},"
          + "\"connection_info\":{\"app_id\":\"" + APP_ID + "\"}}");
    }

    /** Sends an {@code events_api} envelope carrying {@code callback}. */
    void envelope(String envelopeId, String callback, int retryAttempt) {
      send("{\"envelope_id\":\"" + envelopeId + "\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
          + "\"retry_attempt\":" + retryAttempt + ",\"retry_reason\":\"\",\"payload\":" + callback + "}");
    }

    void disconnect(String reason) {
      send("{\"type\":\"disconnect\",\"reason\":\"" + reason + "\",\"debug_info\":{\"host\":\"fake\"}}");
    }

    void send(String text) {
      WebSocket socket = webSocket;
      if (socket != null) {
        socket.send(text);
      }
    }

    void close(int code, String reason) {
      WebSocket socket = webSocket;
      if (socket != null) {
        socket.close(code, reason);
      }
    }

    /**
     * Ends the connection abruptly, as a server going away does (1011). MockWebServer's server side
     * cannot drop a socket without a close frame; the connector treats both the same way: the
     * connection is lost without a {@code disconnect} warning.
     */
    void drop() {
      close(1011, "gone");
    }

    boolean isOpen() {
      return open;
    }

    boolean closedByClient() {
      return closedByClient;
    }

    List<String> received() {
      return List.copyOf(received);
    }

    /** Whether the client acknowledged {@code envelopeId}. */
    boolean acknowledged(String envelopeId) {
      return received.stream().anyMatch(text -> text.contains("\"envelope_id\":\"" + envelopeId + "\""));
    }
  }
}
