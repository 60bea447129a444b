package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A Socket Mode client for tests: the JDK's WebSocket, collecting every frame Slack sends. */
final class SocketClient implements AutoCloseable {
  private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private SocketClient(String url) {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              frames.add(SlackSpec.JSON.readTree(partial.toString()));
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        })
        .join();
  }

  /** Opens a connection through apps.connections.open with {@code client}'s app-level token. */
  static SocketClient open(WebApiClient client) {
    JsonNode opened = client.form("apps.connections.open", java.util.Map.of()).ok();
    return new SocketClient(opened.get("url").asString());
  }

  static SocketClient connect(String url) {
    return new SocketClient(url);
  }

  /** The next frame; fails if none comes within five seconds. */
  JsonNode next() {
    try {
      JsonNode frame = frames.poll(5, TimeUnit.SECONDS);
      assertThat(frame).as("a Socket Mode frame within 5 s").isNotNull();
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame, which must be an {@code events_api} envelope. */
  JsonNode nextEnvelope() {
    JsonNode frame = next();
    assertThat(frame.path("type").asString()).as("frame %s", frame).isEqualTo("events_api");
    return frame;
  }

  boolean idle() {
    return frames.isEmpty();
  }

  void ack(JsonNode envelope) {
    send("{\"envelope_id\":\"" + envelope.get("envelope_id").asString() + "\"}");
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  void abort() {
    socket.abort();
  }
}
