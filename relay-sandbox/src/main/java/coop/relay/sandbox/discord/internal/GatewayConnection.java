package coop.relay.sandbox.discord.internal;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

/**
 * One WebSocket connection to the gateway. Frames to send queue in order; closing with a code lets
 * the queued frames out first, then sends the close frame. Guarded by the state's lock.
 */
final class GatewayConnection {
  private final Sinks.Many<String> frames = Sinks.many().unicast().onBackpressureBuffer();
  final boolean viaResumeUrl;
  @Nullable GatewaySession session;
  @Nullable Connection netty;
  @Nullable Disposable heartbeatTimeout;
  @Nullable Integer closeCode;
  String closeReason = "";
  boolean closed;
  long windowStart;
  int receivedInWindow;

  GatewayConnection(boolean viaResumeUrl) {
    this.viaResumeUrl = viaResumeUrl;
  }

  Flux<String> frames() {
    return frames.asFlux();
  }

  void send(String text) {
    if (!closed && closeCode == null) {
      frames.tryEmitNext(text);
    }
  }

  /** Sends the queued frames, then closes with {@code code}; later sends are dropped. */
  void close(int code, String reason) {
    if (closed || closeCode != null) {
      return;
    }
    closeCode = code;
    closeReason = reason;
    frames.tryEmitComplete();
  }

  /** Cuts the TCP connection without a close frame, as a network failure would. */
  void drop() {
    Connection c = netty;
    if (c != null) {
      // Closing the channel first: completing the frames would let the server say goodbye.
      c.channel().close();
    }
  }

  void ended() {
    closed = true;
    frames.tryEmitComplete();
    Disposable timer = heartbeatTimeout;
    if (timer != null) {
      timer.dispose();
    }
  }
}
