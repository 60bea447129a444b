package coop.relay.sandbox.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final RateLimiter limiter = new RateLimiter();

  @Test
  void refillsAChatOneMessageASecond() {
    for (int i = 0; i < RateLimiter.CHAT_BURST; i++) {
      assertThat(limiter.tryAcquire(1, false, 0)).isZero();
    }
    assertThat(limiter.tryAcquire(1, false, 0)).isEqualTo(1);
    assertThat(limiter.tryAcquire(1, false, 999)).isEqualTo(1);
    assertThat(limiter.tryAcquire(1, false, 1000)).isZero();
    assertThat(limiter.tryAcquire(2, false, 1000)).as("other chats have their own budget").isZero();
  }

  @Test
  void aRefusedSendCostsNothing() {
    for (int i = 0; i < RateLimiter.CHAT_BURST; i++) {
      limiter.tryAcquire(1, false, 0);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.tryAcquire(1, false, 500)).isPositive();
    }
    assertThat(limiter.tryAcquire(1, false, 1000)).isZero();
  }

  @Test
  void groupsWaitForTheOldestOfTheirLastTwentyToAge() {
    for (int i = 0; i < RateLimiter.GROUP_PER_MINUTE; i++) {
      assertThat(limiter.tryAcquire(1, true, i * 1000L)).isZero();
    }
    assertThat(limiter.tryAcquire(1, true, 20_000)).isEqualTo(40);
    assertThat(limiter.tryAcquire(1, true, 60_000)).isZero();
  }
}
