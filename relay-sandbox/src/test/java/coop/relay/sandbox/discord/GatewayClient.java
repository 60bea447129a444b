package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A bare gateway client for tests over the JDK's WebSocket: it queues every payload the gateway
 * sends, in order, and records how the connection ended. It sends nothing by itself (no automatic
 * heartbeats), so tests control every byte.
 */
final class GatewayClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How the gateway closed the connection: its close code and reason, or -1 when the TCP connection dropped. */
  record Closed(int code, String reason) {}

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private GatewayClient(String url) {
    StringBuilder text = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          received.add(DiscordRest.JSON.readTree(text.toString()));
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(new Closed(-1, String.valueOf(error)));
      }
    };
    this.socket = HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(WAIT)
        .buildAsync(URI.create(url), listener)
        .join();
  }

  /** Connects to {@code url} (with {@code ?v=10&encoding=json} appended unless {@code query} says otherwise). */
  static GatewayClient connect(String url, String query) {
    return new GatewayClient(url + query);
  }

  static GatewayClient connect(String url) {
    return connect(url, "/?v=10&encoding=json");
  }

  /** The next payload, failing the test if none comes within ten seconds. */
  JsonNode next() {
    try {
      JsonNode n = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(n).as("a gateway payload within %s", WAIT).isNotNull();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next payload, which must have opcode {@code op}. */
  JsonNode expectOp(int op) {
    JsonNode n = next();
    assertThat(n.path("op").asInt()).as("opcode of %s", n).isEqualTo(op);
    return n;
  }

  /** The next payload, which must be a dispatch of {@code type}. */
  JsonNode expectDispatch(String type) {
    JsonNode n = expectOp(0);
    assertThat(n.path("t").asString()).as("dispatch type of %s", n).isEqualTo(type);
    return n;
  }

  /** Skips payloads until a dispatch of {@code type} arrives. */
  JsonNode awaitDispatch(String type) {
    while (true) {
      JsonNode n = next();
      if (n.path("op").asInt() == 0 && n.path("t").asString().equals(type)) {
        return n;
      }
    }
  }

  @Nullable JsonNode poll() {
    return received.poll();
  }

  void send(JsonNode payload) {
    sendText(payload.toString());
  }

  void sendText(String text) {
    socket.sendText(text, true).join();
  }

  void heartbeat(@Nullable Long seq) {
    ObjectNode o = DiscordRest.JSON.createObjectNode();
    o.put("op", 1);
    if (seq == null) {
      o.putNull("d");
    } else {
      o.put("d", seq);
    }
    send(o);
  }

  void identify(String token, long intents) {
    ObjectNode o = DiscordRest.JSON.createObjectNode();
    o.put("op", 2);
    ObjectNode d = o.putObject("d");
    d.put("token", token);
    d.put("intents", intents);
    ObjectNode p = d.putObject("properties");
    p.put("os", "linux");
    p.put("browser", "relay-test");
    p.put("device", "relay-test");
    send(o);
  }

  void resume(String token, String sessionId, long seq) {
    ObjectNode o = DiscordRest.JSON.createObjectNode();
    o.put("op", 6);
    ObjectNode d = o.putObject("d");
    d.put("token", token);
    d.put("session_id", sessionId);
    d.put("seq", seq);
    send(o);
  }

  /** How the connection ended, waiting up to ten seconds for it. */
  Closed awaitClose() {
    try {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the gateway did not close the connection within " + WAIT, e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(4999, "test done").exceptionally(e -> null);
    }
    socket.abort();
  }
}
