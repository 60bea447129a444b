package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * Rewrites or drops a message on its way from a source channel to the channels of one destination
 * connector. Interceptors form an ordered chain, as in OkHttp: each one calls
 * {@link Chain#proceed(Message)} to pass a (possibly rewritten) message on, or returns {@code null}
 * without proceeding to drop it for that destination.
 *
 * <p>The chain runs once per message and destination connector, before the message is rendered for
 * that platform, on the thread that received the message: interceptors must not block. Built-ins
 * live in {@code coop.relay.core.Interceptors} (opt-out list, regex filter, name template).
 */
@FunctionalInterface
public interface Interceptor {

  /**
   * Handles one message.
   *
   * @return the message to deliver, usually the result of {@code chain.proceed(...)}, or {@code null} to drop it
   */
  @Nullable Message intercept(Chain chain);

  /** The position of one interceptor in the chain, and what it may know about the delivery. */
  interface Chain {
    /** The message as the previous interceptor passed it on. */
    Message message();

    /** The name of the platform the message comes from, e.g. {@code "telegram"}. */
    String sourcePlatform();

    /** The id of the connector the message goes to. */
    String destinationConnectorId();

    /** The name of the platform the message goes to. */
    String destinationPlatform();

    /** What the destination platform can do. */
    Capabilities destinationCapabilities();

    /** Passes the message to the rest of the chain; returns what it returns ({@code null} if dropped). */
    @Nullable Message proceed(Message message);
  }
}
