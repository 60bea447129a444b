package coop.relay.testkit;

import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fault that an {@link InMemoryPlatform} injects into one operation of a connector (post, edit,
 * delete, add or remove a reaction). Schedule faults with {@link InMemoryPlatform#faults(String)}
 * or {@link InMemoryPlatform#faults()}.
 *
 * <pre>{@code
 * platform.faults("general")
 *     .next(2, Fault.transientFailure())               // the next two operations fail, retryable
 *     .next(Fault.rateLimited(Duration.ofSeconds(3)))  // then one is answered "retry after 3 s"
 *     .always(Fault.delay(Duration.ofMillis(500)));    // every later one takes 500 ms
 * }</pre>
 */
public sealed interface Fault {

  /** The operation fails with a retryable {@link DeliveryException}; nothing happens on the platform. */
  static Fault transientFailure() {
    return new Failure(true, null, "injected transient failure");
  }

  /** The operation fails with a permanent {@link DeliveryException}; nothing happens on the platform. */
  static Fault permanentFailure() {
    return new Failure(false, null, "injected permanent failure");
  }

  /** The operation fails with a {@link RateLimitedException} asking to wait {@code retryAfter}. */
  static Fault rateLimited(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    return new Failure(true, retryAfter, "injected rate limit");
  }

  /**
   * The operation succeeds after {@code delay}, measured on the platform's scheduler (virtual time in
   * {@code StepVerifier.withVirtualTime}); cancelling during the delay means it never happens.
   */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /** The platform never answers: the operation neither succeeds nor fails until it is cancelled. */
  static Fault noResponse() {
    return new NoResponse();
  }

  /**
   * Fails the operation.
   *
   * @param retryable whether the failure is transient
   * @param retryAfter the wait the platform asks for, or {@code null} when it gave none
   * @param reason what the failure says
   */
  record Failure(boolean retryable, @Nullable Duration retryAfter, String reason) implements Fault {
    /** @throws NullPointerException if the reason is missing */
    public Failure {
      Objects.requireNonNull(reason, "reason");
    }

    /** A new exception for one failed operation (instances are not shared between operations). */
    public DeliveryException toException(String platform, String channelId) {
      String message = platform + " channel '" + channelId + "': " + reason;
      if (retryAfter != null) {
        return new RateLimitedException(message + "; retry after " + retryAfter, retryAfter);
      }
      return retryable
          ? DeliveryException.transientFailure(message + "; retry later", null)
          : DeliveryException.permanent(message + "; do not retry");
    }
  }

  /** Delays the operation; see {@link #delay(Duration)}. */
  record Delay(Duration duration) implements Fault {
    /** @throws IllegalArgumentException if the delay is negative */
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + duration);
      }
    }
  }

  /** Never answers; see {@link #noResponse()}. */
  record NoResponse() implements Fault {}
}
