package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.DeliveryException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class FailureBreakerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Refusals are permanent failures whose message starts with 403. */
  private final FailureBreaker breaker = FailureBreaker.of(3,
      failure -> failure instanceof DeliveryException d && !d.isRetryable() && String.valueOf(d.getMessage()).startsWith("403"));
  private final AtomicInteger sent = new AtomicInteger();

  private Mono<String> refused() {
    return Mono.defer(() -> {
      sent.incrementAndGet();
      return Mono.error(DeliveryException.permanent("403 Missing Permissions"));
    });
  }

  private Mono<String> accepted() {
    return Mono.fromCallable(() -> {
      sent.incrementAndGet();
      return "ok";
    });
  }

  @Test
  void opensAfterTheThresholdAndStopsSending() {
    for (int i = 0; i < 2; i++) {
      StepVerifier.create(breaker.guard("route", refused())).expectErrorMessage("403 Missing Permissions").verify(WAIT);
    }
    StepVerifier.create(breaker.guard("route", refused()))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("stopped sending to route").hasMessageContaining("403"))
        .verify(WAIT);
    assertThat(breaker.isOpen("route")).isTrue();

    StepVerifier.create(breaker.guard("route", accepted()))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(DeliveryException.class,
            d -> assertThat(d.isRetryable()).isFalse()))
        .verify(WAIT);
    assertThat(sent).hasValue(3);
    StepVerifier.create(breaker.guard("other", accepted())).expectNext("ok").verifyComplete();
  }

  @Test
  void aSuccessResetsTheCount() {
    StepVerifier.create(breaker.guard("route", refused())).expectError().verify(WAIT);
    StepVerifier.create(breaker.guard("route", refused())).expectError().verify(WAIT);
    StepVerifier.create(breaker.guard("route", accepted())).expectNext("ok").verifyComplete();
    StepVerifier.create(breaker.guard("route", refused())).expectError().verify(WAIT);
    StepVerifier.create(breaker.guard("route", refused())).expectError().verify(WAIT);

    assertThat(breaker.isOpen("route")).isFalse();
  }

  @Test
  void otherFailuresDoNotCount() {
    for (int i = 0; i < 5; i++) {
      StepVerifier.create(breaker.guard("route", Mono.error(DeliveryException.transientFailure("502", null))))
          .expectErrorMessage("502")
          .verify(WAIT);
    }
    assertThat(breaker.isOpen("route")).isFalse();
  }

  @Test
  void resetClosesTheKey() {
    for (int i = 0; i < 3; i++) {
      StepVerifier.create(breaker.guard("route", refused())).expectError().verify(WAIT);
    }
    breaker.reset("route");

    StepVerifier.create(breaker.guard("route", accepted())).expectNext("ok").verifyComplete();
  }
}
