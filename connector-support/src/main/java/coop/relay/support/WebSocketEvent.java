package coop.relay.support;

import java.util.Objects;

/**
 * What happens on a WebSocket, as emitted by {@link ReactiveHttpClient#webSocket}: first
 * {@link Opened} (which carries the {@link WebSocketSender}), then frames, then, when the peer closes,
 * {@link Closing} and {@link Closed}, after which the flux completes. A connection that breaks ends
 * the flux with an error instead.
 */
public sealed interface WebSocketEvent {

  /**
   * The handshake succeeded.
   *
   * @param sender sends frames on this connection; valid until it closes
   * @param headers the handshake response headers
   */
  record Opened(WebSocketSender sender, HttpHeaders headers) implements WebSocketEvent {
    public Opened {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(headers, "headers");
    }
  }

  /** A text frame, e.g. a JSON gateway payload. */
  record Text(String text) implements WebSocketEvent {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    /** The length only: frames may carry tokens (Discord's identify, Slack's hello). */
    @Override
    public String toString() {
      return "Text[" + text.length() + " chars]";
    }
  }

  /** A binary frame; the array belongs to the receiver. */
  record Binary(byte[] bytes) implements WebSocketEvent {
    public Binary {
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Binary binary && java.util.Arrays.equals(bytes, binary.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Binary[" + bytes.length + " bytes]";
    }
  }

  /** The peer sent a close frame; the connection is answering it and about to close. */
  record Closing(CloseStatus status) implements WebSocketEvent {
    public Closing {
      Objects.requireNonNull(status, "status");
    }
  }

  /** The connection closed cleanly; the last event before the flux completes. */
  record Closed(CloseStatus status) implements WebSocketEvent {
    public Closed {
      Objects.requireNonNull(status, "status");
    }
  }
}
