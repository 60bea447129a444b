package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.spi.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class LongPollTest {
  private final List<Long> polledFrom = new CopyOnWriteArrayList<>();

  /** A fake getUpdates: from offset n it returns update n and the next offset n + 1. */
  private Mono<LongPoll.Page<Long, String>> poll(long offset) {
    return Mono.fromCallable(() -> {
      polledFrom.add(offset);
      return new LongPoll.Page<>(List.of("update" + offset), offset + 1);
    });
  }

  @Test
  void chainsCursorsFromPageToPage() {
    StepVerifier.create(LongPoll.pages(10L, this::poll, RetryPolicy.defaults()).take(3))
        .expectNext(new LongPoll.Page<>(List.of("update10"), 11L))
        .expectNext(new LongPoll.Page<>(List.of("update11"), 12L))
        .expectNext(new LongPoll.Page<>(List.of("update12"), 13L))
        .verifyComplete();
    assertThat(polledFrom).containsExactly(10L, 11L, 12L);
  }

  @Test
  void doesNotPollAheadOfTheSubscriber() {
    Sinks.Empty<Void> handled = Sinks.empty();

    Disposable subscription = LongPoll.pages(1L, this::poll, RetryPolicy.defaults())
        .concatMap(page -> page.next() == 2L ? handled.asMono() : Mono.<Void>never(), 0)
        .subscribe();

    assertThat(polledFrom).containsExactly(1L);
    handled.tryEmitEmpty();
    assertThat(polledFrom).containsExactly(1L, 2L);
    subscription.dispose();
  }

  @Test
  void retriesTransientFailuresFromTheSameCursor() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    RetryPolicy policy = RetryPolicy.builder().scheduler(time).retryForever()
        .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0, 0.0)).build();
    AtomicInteger calls = new AtomicInteger();

    StepVerifier.withVirtualTime(() -> LongPoll.<Long, String>pages(5L, offset -> Mono.defer(() -> {
          if (calls.getAndIncrement() < 2) {
            polledFrom.add(offset);
            return Mono.error(DeliveryException.transientFailure("connection reset", null));
          }
          return poll(offset);
        }), policy).take(1), () -> time, 1)
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(new LongPoll.Page<>(List.of("update5"), 6L))
        .verifyComplete();
    assertThat(polledFrom).containsExactly(5L, 5L, 5L);
  }

  @Test
  void failsOnRejectedCredentials() {
    StepVerifier.create(LongPoll.<Long, String>pages(1L,
            offset -> Mono.error(new CredentialsRejectedException("tg", "401 Unauthorized", null)), RetryPolicy.defaults()))
        .expectError(CredentialsRejectedException.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void cancellingCancelsThePollInFlight() {
    AtomicInteger cancelled = new AtomicInteger();

    Disposable subscription = LongPoll.<Long, String>pages(1L,
            offset -> Mono.<LongPoll.Page<Long, String>>never().doOnCancel(cancelled::incrementAndGet), RetryPolicy.defaults())
        .subscribe();
    subscription.dispose();

    assertThat(cancelled).hasValue(1);
  }
}
