package coop.relay.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.support.Quota;
import coop.relay.support.RateLimitInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimiterStateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void forgetsKeysWhoseLimitsNoLongerMatter() {
    LimiterState state = new LimiterState(List.of(new LimiterState.KeyQuota(key -> true, Quota.perSecond(1))), null);

    for (int i = 0; i < 5000; i++) {
      assertThat(state.tryAcquire("chat" + i, i)).isZero();
    }
    assertThat(state.trackedEntries()).isGreaterThan(4000);

    // Long after every window ended, the periodic sweep drops what was idle.
    for (int i = 0; i < 4096; i++) {
      state.tryAcquire("again", 10 * SECOND + i * SECOND);
    }
    assertThat(state.trackedEntries()).isLessThan(10);
  }

  @Test
  void keepsPausedBucketsThroughASweep() {
    LimiterState state = new LimiterState(List.of(), null);
    state.update("limited", RateLimitInfo.retryAfter(Duration.ofHours(1)), 0);

    for (int i = 0; i < 4096; i++) {
      state.tryAcquire("other" + i, i);
    }

    assertThat(state.tryAcquire("limited", 5000)).isPositive();
  }

  @Test
  void keepsTheMappingOfKeysToPausedPlatformBuckets() {
    LimiterState state = new LimiterState(List.of(), null);
    state.update("route", RateLimitInfo.retryAfter(Duration.ofHours(1)).withBucket("hash:1"), 0);

    for (int i = 0; i < 4096; i++) {
      state.tryAcquire("other" + i, i);
    }

    assertThat(state.tryAcquire("route", 5000)).isPositive();
  }
}
