package coop.relay.support.internal;

import coop.relay.api.DeliveryException;
import coop.relay.support.CloseStatus;
import coop.relay.support.Redactor;
import coop.relay.support.WebSocketEvent;
import coop.relay.support.WebSocketHandshakeException;
import coop.relay.support.WebSocketSender;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/** One OkHttp WebSocket connection per subscription, its callbacks turned into a flux. */
public final class OkHttpWebSocketFlux {
  private OkHttpWebSocketFlux() {}

  /**
   * A lazy connection: subscribing connects, cancelling closes with {@code closeOnCancel}, or drops
   * the connection when it is {@code null}.
   */
  public static Flux<WebSocketEvent> connect(
      OkHttpClient client, Request request, @Nullable CloseStatus closeOnCancel, Redactor redactor) {
    // OkHttp cannot pause a socket, so frames are buffered until the subscriber asks for them.
    return Flux.create(sink -> {
      String where = OkHttpExchange.describe(request, redactor);
      WebSocket socket = client.newWebSocket(request, new SinkListener(sink, where, redactor));
      sink.onCancel(() -> {
        if (closeOnCancel == null) {
          socket.cancel();
        } else {
          socket.close(closeOnCancel.code(), closeOnCancel.reason());
        }
      });
    }, FluxSink.OverflowStrategy.BUFFER);
  }

  private static final class SinkListener extends WebSocketListener {
    private final FluxSink<WebSocketEvent> sink;
    private final String where;
    private final Redactor redactor;

    SinkListener(FluxSink<WebSocketEvent> sink, String where, Redactor redactor) {
      this.sink = sink;
      this.where = where;
      this.redactor = redactor;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      sink.next(new WebSocketEvent.Opened(new Sender(webSocket, where), OkHttpExchange.headers(response.headers())));
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      sink.next(new WebSocketEvent.Text(text));
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      sink.next(new WebSocketEvent.Binary(bytes.toByteArray()));
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      CloseStatus status = status(code, reason);
      sink.next(new WebSocketEvent.Closing(status));
      // Answer the peer's close frame so the connection finishes cleanly. 1005 ("no status"),
      // 1006 and 1015 describe a close but may never be sent (RFC 6455 7.4.1): answer 1000.
      int received = status.code();
      webSocket.close(received == 1005 || received == 1006 || received == 1015 ? 1000 : received, null);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      sink.next(new WebSocketEvent.Closed(status(code, reason)));
      sink.complete();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
      if (response != null && response.code() != 101) {
        int status = response.code();
        response.close();
        sink.error(new WebSocketHandshakeException(
            "the WebSocket handshake with " + where + " was answered with HTTP " + status
                + (status == 401 || status == 403 ? "; check the credentials" : "; check the URL or retry later"),
            status, t));
        return;
      }
      String message = t.getMessage();
      sink.error(DeliveryException.transientFailure(
          "the WebSocket connection to " + where + " failed: " + t.getClass().getSimpleName()
              + (message == null ? "" : " (" + redactor.redact(message) + ")") + "; reconnect", t));
    }

    private static CloseStatus status(int code, String reason) {
      // A peer may send a code outside the range we allow ourselves to send (1005, 1006, 1015).
      int usable = code >= 1000 && code <= 4999 ? code : 1000;
      try {
        return new CloseStatus(usable, reason);
      } catch (IllegalArgumentException tooLong) {
        return CloseStatus.of(usable);
      }
    }
  }

  private static final class Sender implements WebSocketSender {
    private final WebSocket socket;
    private final String where;

    Sender(WebSocket socket, String where) {
      this.socket = socket;
      this.where = where;
    }

    @Override
    public Mono<Void> send(String text) {
      return Mono.defer(() -> socket.send(text) ? Mono.empty() : Mono.error(notSent()));
    }

    @Override
    public Mono<Void> send(byte[] bytes) {
      return Mono.defer(() -> socket.send(ByteString.of(bytes)) ? Mono.empty() : Mono.error(notSent()));
    }

    @Override
    public Mono<Void> close(CloseStatus status) {
      return Mono.fromRunnable(() -> socket.close(status.code(), status.reason()));
    }

    @Override
    public void abort() {
      socket.cancel();
    }

    @Override
    public long queuedBytes() {
      return socket.queueSize();
    }

    private DeliveryException notSent() {
      return DeliveryException.transientFailure(
          "could not send on the WebSocket to " + where + ": it is closing or its send buffer is full; reconnect", null);
    }

    @Override
    public String toString() {
      return "WebSocketSender[" + where + "]";
    }
  }
}
