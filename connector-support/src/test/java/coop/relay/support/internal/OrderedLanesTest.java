package coop.relay.support.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class OrderedLanesTest {

  @Test
  void concurrentSubmittersNeverOverlapWithinAKeyAndKeepTheirOwnOrder() throws InterruptedException {
    OrderedLanes lanes = new OrderedLanes();
    int threads = 4;
    int perThread = 300;
    String[] keys = {"a", "b", "c"};
    Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    Map<String, List<String>> executed = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> submitters = new ArrayList<>();

    for (int t = 0; t < threads; t++) {
      int thread = t;
      submitters.add(new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          String key = keys[i % keys.length];
          String label = thread + ":" + i;
          AtomicBoolean busy = running.computeIfAbsent(key, k -> new AtomicBoolean());
          Mono<String> work = Mono.fromCallable(() -> {
                if (!busy.compareAndSet(false, true)) {
                  overlaps.add(key + " " + label);
                }
                executed.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(label);
                return label;
              })
              // Finish on another thread, so lanes hand over between threads.
              .publishOn(i % 2 == 0 ? Schedulers.parallel() : Schedulers.immediate())
              .doOnNext(x -> busy.set(false));
          lanes.submit(key, work).subscribe(x -> finished.incrementAndGet());
        }
      }));
    }
    submitters.forEach(Thread::start);
    go.countDown();
    for (Thread submitter : submitters) {
      submitter.join();
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> finished.get() == threads * perThread);
    assertThat(overlaps).isEmpty();
    for (String key : keys) {
      for (int t = 0; t < threads; t++) {
        String prefix = t + ":";
        List<Integer> order = executed.get(key).stream().filter(label -> label.startsWith(prefix))
            .map(label -> Integer.parseInt(label.substring(prefix.length()))).toList();
        assertThat(order).isSorted();
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> lanes.activeLanes() == 0);
  }

  @Test
  void synchronousWorkDoesNotGrowTheStack() {
    OrderedLanes lanes = new OrderedLanes();
    Mono<Void> blocker = Mono.never();
    AtomicInteger done = new AtomicInteger();

    reactor.core.Disposable first = lanes.submit("k", blocker).subscribe();
    for (int i = 0; i < 50_000; i++) {
      lanes.submit("k", Mono.just(i)).subscribe(x -> done.incrementAndGet());
    }
    first.dispose();

    assertThat(done).hasValue(50_000);
    assertThat(lanes.activeLanes()).isZero();
  }

  @Test
  void workThatCompletesSynchronouslyKeepsItsValueInsideConcatMap() {
    OrderedLanes lanes = new OrderedLanes();

    List<Integer> values = Flux.range(0, 5)
        .concatMap(i -> lanes.submit("42", Mono.just(i)))
        .collectList()
        .block();

    assertThat(values).containsExactly(0, 1, 2, 3, 4);
    assertThat(lanes.activeLanes()).isZero();
  }

  @Test
  void emptyWorkCompletesEmpty() {
    OrderedLanes lanes = new OrderedLanes();

    assertThat(Flux.range(0, 3).concatMap(i -> lanes.submit("k", Mono.<Integer>empty())).collectList().block())
        .isEmpty();
    assertThat(lanes.submit("k", Mono.just("after")).block()).isEqualTo("after");
  }
}
