package coop.relay.support;

import coop.relay.api.DeliveryException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.api.RelayException;
import coop.relay.spi.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * When and how long to wait before trying again, as a Reactor {@link Retry}:
 * {@code request.retryWhen(policy.toRetry())}, and for reconnect loops
 * {@code connect().retryWhen(policy.toRetry())}.
 *
 * <ul>
 *   <li>Only retryable failures are retried: a {@link DeliveryException} whose
 *       {@link DeliveryException#isRetryable()} is true, or a plain {@link IOException} or
 *       {@link TimeoutException}. Everything else (credentials rejected, invalid configuration, a
 *       permanent failure) passes through at once. {@link Builder#retryIf} changes this.
 *   <li>A {@link RateLimitedException} waits exactly its {@code retryAfter()}, without jitter;
 *       other failures wait {@link Backoff#delay} of the retry number.
 *   <li>Retries are counted per run of consecutive failures: once the source emits a value (a
 *       reconnected stream delivering events), the count and the elapsed time start again.
 *   <li>When the retries or the time are used up, the last failure itself is propagated (not
 *       wrapped), so callers see the platform's reason.
 * </ul>
 *
 * <p>Immutable and thread-safe. Waits run on the configured {@link Scheduler}, so tests can use
 * virtual time.
 */
public final class RetryPolicy {
  private final Backoff backoff;
  private final long maxRetries;
  private final @Nullable Duration maxElapsed;
  private final Predicate<? super Throwable> retryIf;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final Consumer<? super RetryAttempt> onRetry;

  private RetryPolicy(Builder builder) {
    this.backoff = builder.backoff;
    this.maxRetries = builder.maxRetries;
    this.maxElapsed = builder.maxElapsed;
    this.retryIf = builder.retryIf;
    this.scheduler = builder.scheduler;
    this.random = builder.random;
    this.onRetry = builder.onRetry;
  }

  /** {@link Backoff#DEFAULT}, at most 5 retries in a row, on {@link Schedulers#parallel()}. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default test for retryable failures; see the class description. */
  public static boolean isRetryableByDefault(Throwable failure) {
    if (failure instanceof DeliveryException delivery) {
      return delivery.isRetryable();
    }
    if (failure instanceof RelayException) {
      return false;
    }
    return failure instanceof IOException || failure instanceof TimeoutException;
  }

  /**
   * How long to wait before retry number {@code retry} (from 1) after {@code failure}: the
   * platform's wait for a {@link RateLimitedException}, else the backoff.
   */
  public Duration delay(Throwable failure, long retry) {
    if (failure instanceof RateLimitedException limited) {
      return limited.retryAfter();
    }
    return backoff.delay((int) Math.min(retry, Integer.MAX_VALUE), random);
  }

  /**
   * This policy as a Reactor {@link Retry}. Each subscription of the retried publisher keeps its own
   * count. Errors pass through unwrapped when they are not retryable or the budget is spent.
   */
  public Retry toRetry() {
    return new PolicyRetry();
  }

  /** A copy with another {@code onRetry} hook, e.g. one that reports the connector's state. */
  public RetryPolicy withOnRetry(Consumer<? super RetryAttempt> hook) {
    Builder builder = toBuilder();
    builder.onRetry(hook);
    return builder.build();
  }

  private Builder toBuilder() {
    Builder builder = new Builder();
    builder.backoff = backoff;
    builder.maxRetries = maxRetries;
    builder.maxElapsed = maxElapsed;
    builder.retryIf = retryIf;
    builder.scheduler = scheduler;
    builder.random = random;
    builder.onRetry = onRetry;
    return builder;
  }

  @Override
  public String toString() {
    return "RetryPolicy[" + backoff + ", maxRetries=" + (maxRetries == Long.MAX_VALUE ? "unlimited" : maxRetries)
        + (maxElapsed == null ? "" : ", maxElapsed=" + maxElapsed) + "]";
  }

  private final class PolicyRetry extends Retry {
    @Override
    public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
      long[] firstFailureNanos = {0L};
      return signals.concatMap(signal -> {
        Throwable failure = signal.failure();
        long retry = signal.totalRetriesInARow() + 1;
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        if (retry == 1) {
          firstFailureNanos[0] = now;
        }
        if (!retryIf.test(failure) || retry > maxRetries) {
          return Mono.error(failure);
        }
        Duration wait = delay(failure, retry);
        Duration limit = maxElapsed;
        if (limit != null && Duration.ofNanos(now - firstFailureNanos[0]).plus(wait).compareTo(limit) > 0) {
          return Mono.error(failure);
        }
        onRetry.accept(new RetryAttempt(retry, wait, failure));
        return Mono.delay(wait, scheduler);
      });
    }
  }

  /** Options of a {@link RetryPolicy}; not thread-safe. */
  public static final class Builder {
    private Backoff backoff = Backoff.DEFAULT;
    private long maxRetries = 5;
    private @Nullable Duration maxElapsed;
    private Predicate<? super Throwable> retryIf = RetryPolicy::isRetryableByDefault;
    private Scheduler scheduler = Schedulers.parallel();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Consumer<? super RetryAttempt> onRetry = attempt -> { };

    private Builder() {}

    /** The waits between attempts; default {@link Backoff#DEFAULT}. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** At most this many retries in a row (0 never retries); default 5. */
    public Builder maxRetries(long maxRetries) {
      if (maxRetries < 0) {
        throw new InvalidConfigurationException("maxRetries must not be negative, was " + maxRetries
            + "; use 0 to never retry or retryForever() for reconnect loops");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** No limit on the number of retries, for reconnect loops; combine with {@link #maxElapsed} if needed. */
    public Builder retryForever() {
      this.maxRetries = Long.MAX_VALUE;
      return this;
    }

    /**
     * Gives up when the next retry would start later than {@code maxElapsed} after the first failure
     * of the current run; default no limit.
     */
    public Builder maxElapsed(Duration maxElapsed) {
      Objects.requireNonNull(maxElapsed, "maxElapsed");
      if (maxElapsed.isNegative() || maxElapsed.isZero()) {
        throw new InvalidConfigurationException("maxElapsed must be positive, was " + maxElapsed);
      }
      this.maxElapsed = maxElapsed;
      return this;
    }

    /** Which failures are retried; default {@link RetryPolicy#isRetryableByDefault}. */
    public Builder retryIf(Predicate<? super Throwable> retryIf) {
      this.retryIf = Objects.requireNonNull(retryIf, "retryIf");
      return this;
    }

    /** Where the waits run; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The jitter's source of uniform values in [0, 1); tests pass a constant. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Called before each wait; it must not block. Default does nothing. */
    public Builder onRetry(Consumer<? super RetryAttempt> onRetry) {
      this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
