package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class RateLimiterTest {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  /** "key:label@millis" for every request the limiter let through, in order. */
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> done = new CopyOnWriteArrayList<>();

  @AfterEach
  void disposeTime() {
    time.dispose();
  }

  /** A platform response: what it carries and what the platform layer read about limits from it. */
  record Reply(String label, RateLimitInfo info) {}

  private long now() {
    return time.now(TimeUnit.MILLISECONDS);
  }

  /** A request that records when it was sent and answers with the scripted infos, then NONE. */
  private Mono<Reply> request(String key, String label, RateLimitInfo... script) {
    Deque<RateLimitInfo> answers = new ArrayDeque<>(List.of(script));
    return Mono.fromCallable(() -> {
      sent.add(key + ":" + label + "@" + now());
      RateLimitInfo info = answers.isEmpty() ? RateLimitInfo.NONE : answers.poll();
      return new Reply(label, info);
    });
  }

  private Disposable run(RateLimiter limiter, String key, Mono<Reply> request) {
    return limiter.submit(key, request, Reply::info)
        .subscribe(reply -> done.add(key + ":" + reply.label() + "@" + now()),
            error -> done.add(key + ":error:" + error.getClass().getSimpleName() + "@" + now()));
  }

  private RateLimiter.Builder limiter() {
    return RateLimiter.builder().scheduler(time);
  }

  @Test
  void requestsOfOneKeyRunInOrderOneAtATime() {
    RateLimiter limiter = limiter().build();
    Mono<String> slow = Mono.delay(Duration.ofSeconds(5), time).map(x -> "slow")
        .doOnSubscribe(s -> sent.add("a:slow@" + now()));

    limiter.submit("a", slow).subscribe(v -> done.add("a:slow@" + now()));
    run(limiter, "a", request("a", "second"));
    run(limiter, "a", request("a", "third"));
    run(limiter, "b", request("b", "other"));

    assertThat(sent).containsExactly("a:slow@0", "b:other@0");
    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(sent).containsExactly("a:slow@0", "b:other@0", "a:second@5000", "a:third@5000");
    assertThat(done).containsExactly("b:other@0", "a:slow@5000", "a:second@5000", "a:third@5000");
    assertThat(limiter.activeKeys()).isZero();
  }

  @Test
  void keyQuotaSpacesRequestsOfOneKeyButNotOfOthers() {
    RateLimiter limiter = limiter().keyQuota(Quota.perSecond(1)).build();

    for (int i = 1; i <= 3; i++) {
      run(limiter, "chat", request("chat", "m" + i));
    }
    run(limiter, "other", request("other", "m1"));
    time.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(sent).containsExactly("chat:m1@0", "other:m1@0", "chat:m2@1000", "chat:m3@2000");
  }

  @Test
  void telegramQuotasQueueInsteadOfFailing() {
    RateLimiter limiter = limiter()
        .keyQuota(Quota.perSecond(1))
        .keyQuota(chat -> chat.startsWith("-"), Quota.perMinute(20))
        .build();

    for (int i = 1; i <= 22; i++) {
      run(limiter, "-100", request("-100", "m" + i));
      run(limiter, "42", request("42", "m" + i));
    }
    time.advanceTimeBy(Duration.ofMinutes(5));

    List<String> group = sent.stream().filter(s -> s.startsWith("-100:")).toList();
    List<String> privateChat = sent.stream().filter(s -> s.startsWith("42:")).toList();
    assertThat(group).hasSize(22);
    assertThat(group.get(19)).isEqualTo("-100:m20@19000");
    // The 21st waits until the first of the minute's 20 has aged out; then 1/s again.
    assertThat(group.get(20)).isEqualTo("-100:m21@60000");
    assertThat(group.get(21)).isEqualTo("-100:m22@61000");
    assertThat(privateChat.get(21)).isEqualTo("42:m22@21000");
    assertThat(done).hasSize(44).noneMatch(entry -> entry.contains("error"));
  }

  @Test
  void globalQuotaIsSharedByAllKeys() {
    RateLimiter limiter = limiter().globalQuota(Quota.perSecond(30)).build();

    for (int i = 1; i <= 31; i++) {
      run(limiter, "chat" + i, request("chat" + i, "m"));
    }

    assertThat(sent).hasSize(30);
    time.advanceTimeBy(Duration.ofMillis(999));
    assertThat(sent).hasSize(30);
    time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(sent).hasSize(31).last().isEqualTo("chat31:m@1000");
  }

  @Test
  void retryAfterPausesExactlyThatBucketAndResendsTheRequest() {
    RateLimiter limiter = limiter().build();

    run(limiter, "a", request("a", "first", RateLimitInfo.retryAfter(Duration.ofMillis(2500))));
    run(limiter, "a", request("a", "second"));
    run(limiter, "b", request("b", "x"));
    time.advanceTimeBy(Duration.ofMillis(2499));

    assertThat(sent).containsExactly("a:first@0", "b:x@0");
    time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(sent).containsExactly("a:first@0", "b:x@0", "a:first@2500", "a:second@2500");
    assertThat(done).containsExactly("b:x@0", "a:first@2500", "a:second@2500");
  }

  @Test
  void aRateLimitedBucketDoesNotDelayAnother() {
    RateLimiter limiter = limiter().build();

    run(limiter, "a", request("a", "limited", RateLimitInfo.retryAfter(Duration.ofSeconds(30))));
    time.advanceTimeBy(Duration.ofSeconds(1));
    run(limiter, "b", request("b", "one"));
    run(limiter, "b", request("b", "two"));

    assertThat(done).containsExactly("b:one@1000", "b:two@1000");
  }

  @Test
  void globalRetryAfterPausesEveryKey() {
    RateLimiter limiter = limiter().build();

    run(limiter, "a", request("a", "limited", RateLimitInfo.globalRetryAfter(Duration.ofSeconds(3))));
    time.advanceTimeBy(Duration.ofSeconds(1));
    run(limiter, "b", request("b", "waits"));
    time.advanceTimeBy(Duration.ofMillis(1999));
    assertThat(sent).containsExactly("a:limited@0");

    time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(sent).containsExactlyInAnyOrder("a:limited@0", "a:limited@3000", "b:waits@3000");
  }

  @Test
  void anExhaustedBucketWaitsForItsReset() {
    RateLimiter limiter = limiter().build();

    run(limiter, "a", request("a", "1", RateLimitInfo.bucket("hash", 1, Duration.ofSeconds(2))));
    run(limiter, "a", request("a", "2", RateLimitInfo.bucket("hash", 0, Duration.ofSeconds(2))));
    run(limiter, "a", request("a", "3"));
    time.advanceTimeBy(Duration.ofSeconds(5));

    assertThat(sent).containsExactly("a:1@0", "a:2@0", "a:3@2000");
  }

  @Test
  void keysReportingTheSameBucketShareItsState() {
    RateLimiter limiter = limiter().build();

    run(limiter, "route1", request("route1", "1", RateLimitInfo.bucket("shared:123", 1, Duration.ofSeconds(10))));
    run(limiter, "route2", request("route2", "1", RateLimitInfo.bucket("shared:123", 0, Duration.ofSeconds(10))));
    run(limiter, "route1", request("route1", "2"));
    run(limiter, "route3", request("route3", "1"));
    time.advanceTimeBy(Duration.ofSeconds(9));

    assertThat(sent).containsExactly("route1:1@0", "route2:1@0", "route3:1@0");
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(sent).contains("route1:2@10000");
  }

  @Test
  void failsWithTheLastWaitWhenRefusedTooOften() {
    RateLimiter limiter = limiter().maxRateLimitRetries(2).build();
    RateLimitInfo limited = RateLimitInfo.retryAfter(Duration.ofSeconds(1));
    List<Throwable> errors = new ArrayList<>();

    limiter.submit("a", request("a", "x", limited, limited, limited, limited), Reply::info)
        .subscribe(reply -> done.add("value"), errors::add);
    time.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(sent).containsExactly("a:x@0", "a:x@1000", "a:x@2000");
    assertThat(errors).singleElement()
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
  }

  @Test
  void rateLimitedExceptionsPauseTheBucketToo() {
    RateLimiter limiter = limiter().build();
    int[] calls = {0};
    Mono<String> request = Mono.defer(() -> {
      sent.add("a@" + now());
      return calls[0]++ == 0
          ? Mono.error(new RateLimitedException("slow down", Duration.ofMillis(700)))
          : Mono.just("ok");
    });

    limiter.submit("a", request).subscribe(value -> done.add(value + "@" + now()));
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(sent).containsExactly("a@0", "a@700");
    assertThat(done).containsExactly("ok@700");
  }

  @Test
  void otherErrorsPassThroughAndTheKeyContinues() {
    RateLimiter limiter = limiter().build();
    List<Throwable> errors = new ArrayList<>();

    limiter.submit("a", Mono.<String>error(DeliveryException.permanent("channel gone")))
        .subscribe(value -> done.add(value), errors::add);
    run(limiter, "a", request("a", "next"));

    assertThat(errors).singleElement().isInstanceOf(DeliveryException.class);
    assertThat(done).containsExactly("a:next@0");
  }

  @Test
  void cancellingAQueuedRequestSkipsItAndARunningOneFreesTheKey() {
    RateLimiter limiter = limiter().build();
    Mono<String> slow = Mono.delay(Duration.ofSeconds(5), time).map(x -> "slow").doOnSubscribe(s -> sent.add("slow"));

    Disposable running = limiter.submit("a", slow).subscribe(done::add);
    Disposable queued = run(limiter, "a", request("a", "cancelled"));
    run(limiter, "a", request("a", "last"));
    queued.dispose();
    assertThat(sent).containsExactly("slow");

    running.dispose();
    assertThat(sent).containsExactly("slow", "a:last@0");
    assertThat(done).containsExactly("a:last@0");
    assertThat(limiter.activeKeys()).isZero();
  }

  @Test
  void emptyRequestsCompleteEmpty() {
    RateLimiter limiter = limiter().build();
    List<String> signals = new ArrayList<>();

    limiter.submit("a", Mono.<String>empty()).subscribe(signals::add, e -> signals.add("error"), () -> signals.add("complete"));

    assertThat(signals).containsExactly("complete");
  }
}
