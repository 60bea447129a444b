package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.support.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Telegram's sending limits as a queue, in virtual time: requests wait, none fails. */
class SendLimitsTest {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final RateLimiter limiter = SendLimits.create("tg", time, true);
  private final List<Long> sentAtMillis = new CopyOnWriteArrayList<>();

  private Mono<Long> send(String chat) {
    return limiter.submit(chat, Mono.fromCallable(() -> {
      long now = time.now(TimeUnit.MILLISECONDS);
      sentAtMillis.add(now);
      return now;
    }));
  }

  @Test
  void oneMessagePerSecondInAChat() {
    StepVerifier.withVirtualTime(() -> Flux.range(0, 3).flatMap(i -> send("42")), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(5))
        .expectNextCount(3)
        .verifyComplete();

    assertThat(sentAtMillis).containsExactly(0L, 1000L, 2000L);
  }

  @Test
  void twentyMessagesPerMinuteInAGroup() {
    StepVerifier.withVirtualTime(() -> Flux.range(0, 21).flatMap(i -> send("-100123")), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMinutes(2))
        .expectNextCount(21)
        .verifyComplete();

    assertThat(sentAtMillis.get(19)).isEqualTo(19_000L);
    assertThat(sentAtMillis.get(20)).as("the 21st waits for the first to leave the minute").isEqualTo(60_000L);
  }

  @Test
  void thirtyMessagesPerSecondOverall() {
    StepVerifier.withVirtualTime(() -> Flux.range(0, 31).flatMap(i -> send(Integer.toString(i))), () -> time,
            Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(3))
        .expectNextCount(31)
        .verifyComplete();

    assertThat(sentAtMillis.stream().filter(t -> t == 0L)).hasSize(30);
    assertThat(sentAtMillis.stream().filter(t -> t == 1000L)).hasSize(1);
  }

  @Test
  void withoutQuotasNothingWaits() {
    RateLimiter unlimited = SendLimits.create("tg", time, false);
    // flatMap, not concatMap: connector-support's RateLimiter loses values that complete synchronously
    // inside concatMap (reported to the lead); the connector's requests are asynchronous HTTP calls.
    StepVerifier.withVirtualTime(() -> Flux.range(0, 5).flatMap(i -> unlimited.submit("42",
            Mono.fromCallable(() -> time.now(TimeUnit.MILLISECONDS)))), () -> time, Long.MAX_VALUE)
        .expectNext(0L, 0L, 0L, 0L, 0L)
        .verifyComplete();
  }
}
