package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import coop.relay.spi.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class RetryPolicyTest {
  /** 1 s doubling up to 8 s; the constant random 0.5 cancels the jitter out. */
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.5);

  private final List<Long> attempts = new CopyOnWriteArrayList<>();

  private RetryPolicy.Builder policy(VirtualTimeScheduler time) {
    return RetryPolicy.builder().backoff(BACKOFF).random(() -> 0.5).scheduler(time);
  }

  /** Fails with {@code failure} the first {@code failures} times, then emits "ok"; records each attempt's time. */
  private Mono<String> flaky(VirtualTimeScheduler time, int failures, Throwable failure) {
    AtomicInteger calls = new AtomicInteger();
    return Mono.defer(() -> {
      attempts.add(time.now(TimeUnit.MILLISECONDS));
      return calls.getAndIncrement() < failures ? Mono.error(failure) : Mono.just("ok");
    });
  }

  @Test
  void backsOffExponentiallyOnTransientFailures() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    DeliveryException failure = DeliveryException.transientFailure("502", null);

    StepVerifier.withVirtualTime(() -> flaky(time, 3, failure).retryWhen(policy(time).build().toRetry()), () -> time, 1)
        .thenAwait(Duration.ofSeconds(60))
        .expectNext("ok")
        .verifyComplete();

    assertThat(attempts).containsExactly(0L, 1000L, 3000L, 7000L);
  }

  @Test
  void jitterSpreadsTheDelay() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    RetryPolicy low = policy(time).random(() -> 0.0).build();
    RetryPolicy high = policy(time).random(() -> 0.999).build();
    DeliveryException failure = DeliveryException.transientFailure("timeout", null);

    assertThat(low.delay(failure, 2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(high.delay(failure, 2)).isBetween(Duration.ofMillis(2990), Duration.ofSeconds(3));
  }

  @Test
  void waitsExactlyTheRetryAfter() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    RateLimitedException limited = new RateLimitedException("429", Duration.ofMillis(4321));

    StepVerifier.withVirtualTime(() -> flaky(time, 2, limited).retryWhen(policy(time).build().toRetry()), () -> time, 1)
        .thenAwait(Duration.ofSeconds(60))
        .expectNext("ok")
        .verifyComplete();

    assertThat(attempts).containsExactly(0L, 4321L, 8642L);
  }

  @Test
  void doesNotRetryPermanentFailuresOrRejectedCredentials() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    RetryPolicy policy = policy(time).build();

    StepVerifier.create(flaky(time, 1, DeliveryException.permanent("channel_not_found")).retryWhen(policy.toRetry()))
        .expectErrorMessage("channel_not_found")
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(flaky(time, 1, new CredentialsRejectedException("tg", "401", null)).retryWhen(policy.toRetry()))
        .expectError(CredentialsRejectedException.class)
        .verify(Duration.ofSeconds(5));
    assertThat(attempts).hasSize(2);
  }

  @Test
  void retriesPlainIoFailures() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();

    StepVerifier.withVirtualTime(() -> flaky(time, 1, new IOException("reset")).retryWhen(policy(time).build().toRetry()), () -> time, 1)
        .thenAwait(Duration.ofSeconds(2))
        .expectNext("ok")
        .verifyComplete();
  }

  @Test
  void givesUpAfterMaxRetriesWithTheOriginalFailure() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    DeliveryException failure = DeliveryException.transientFailure("still down", null);

    StepVerifier.withVirtualTime(() -> flaky(time, 10, failure).retryWhen(policy(time).maxRetries(2).build().toRetry()), () -> time, 1)
        .thenAwait(Duration.ofMinutes(5))
        .expectErrorSatisfies(error -> assertThat(error).isSameAs(failure))
        .verify();

    assertThat(attempts).containsExactly(0L, 1000L, 3000L);
  }

  @Test
  void givesUpWhenTheNextRetryWouldExceedMaxElapsed() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    DeliveryException failure = DeliveryException.transientFailure("still down", null);
    RetryPolicy policy = policy(time).retryForever().maxElapsed(Duration.ofSeconds(10)).build();

    StepVerifier.withVirtualTime(() -> flaky(time, 100, failure).retryWhen(policy.toRetry()), () -> time, 1)
        .thenAwait(Duration.ofMinutes(5))
        .expectErrorSatisfies(error -> assertThat(error).isSameAs(failure))
        .verify();

    // 0, 1, 3, 7; the next would start at 15 s, past the 10 s budget.
    assertThat(attempts).containsExactly(0L, 1000L, 3000L, 7000L);
  }

  @Test
  void countsConsecutiveFailuresSoAReconnectLoopStartsOverAfterProgress() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    AtomicInteger connections = new AtomicInteger();
    // Each connection fails; every second one first delivers an event.
    Flux<String> connect = Flux.defer(() -> {
      int n = connections.incrementAndGet();
      attempts.add(time.now(TimeUnit.MILLISECONDS));
      Flux<String> lost = Flux.error(DeliveryException.transientFailure("socket closed", null));
      return n % 2 == 0 ? Flux.just("event" + n).concatWith(lost) : lost;
    });
    List<RetryAttempt> reported = new CopyOnWriteArrayList<>();
    RetryPolicy policy = policy(time).maxRetries(2).onRetry(reported::add).build();

    StepVerifier.withVirtualTime(() -> connect.retryWhen(policy.toRetry()).take(3), () -> time, 10)
        .thenAwait(Duration.ofMinutes(1))
        .expectNext("event2", "event4", "event6")
        .verifyComplete();

    // Never two failures in a row without progress, so the first backoff step every time.
    assertThat(reported).extracting(RetryAttempt::retry).containsOnly(1L, 2L);
    assertThat(reported).extracting(RetryAttempt::delay).containsOnly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(attempts).containsExactly(0L, 1000L, 2000L, 4000L, 5000L, 7000L);
  }

  @Test
  void reportsEachRetryBeforeWaiting() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    DeliveryException failure = DeliveryException.transientFailure("502", null);
    List<RetryAttempt> reported = new CopyOnWriteArrayList<>();
    RetryPolicy policy = policy(time).build().withOnRetry(reported::add);

    StepVerifier.withVirtualTime(() -> flaky(time, 2, failure).retryWhen(policy.toRetry()), () -> time, 1)
        .thenAwait(Duration.ofSeconds(10))
        .expectNext("ok")
        .verifyComplete();

    assertThat(reported).containsExactly(
        new RetryAttempt(1, Duration.ofSeconds(1), failure), new RetryAttempt(2, Duration.ofSeconds(2), failure));
  }
}
