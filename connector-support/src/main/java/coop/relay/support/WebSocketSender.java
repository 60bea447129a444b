package coop.relay.support;

import reactor.core.publisher.Mono;

/**
 * Sends on one WebSocket connection. Frames are queued in order and written in the background;
 * thread-safe. Obtained from {@link WebSocketEvent.Opened}.
 */
public interface WebSocketSender {

  /**
   * Queues a text frame.
   *
   * @return completes once the frame is queued; fails with a transient
   *     {@link coop.relay.api.DeliveryException} when the connection is closing or closed, or its
   *     outgoing buffer is full. Lazy: nothing is sent before subscription.
   */
  Mono<Void> send(String text);

  /** Queues a binary frame; see {@link #send(String)}. */
  Mono<Void> send(byte[] bytes);

  /**
   * Starts a clean close with {@code status}: already queued frames are sent first. The event flux
   * then emits {@link WebSocketEvent.Closed} and completes once the peer answers.
   *
   * @return completes when the close frame is queued, also when the connection was already closing
   */
  Mono<Void> close(CloseStatus status);

  /**
   * Drops the connection at once, without a close frame. Platforms that resume sessions (Discord)
   * treat this like a network failure and keep the session resumable. The event flux fails.
   */
  void abort();

  /** The number of bytes queued but not yet written; a growing value means the peer is slow. */
  long queuedBytes();
}
