package coop.relay.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DedupWindowTest {
  private static final ChannelRef A = new ChannelRef("tg", "1");
  private static final ChannelRef B = new ChannelRef("tg", "2");

  @Test
  void firstSightingIsNewAndEveryLaterOneIsNot() {
    DedupWindow window = new DedupWindow(4);

    assertThat(window.markSeen(A, "7")).isTrue();
    assertThat(window.markSeen(A, new String("7"))).isFalse();
    assertThat(window.contains(A, "7")).isTrue();
  }

  @Test
  void theSameIdInAnotherChannelIsAnotherEvent() {
    DedupWindow window = new DedupWindow(4);
    window.markSeen(A, "7");

    assertThat(window.markSeen(B, "7")).isTrue();
    assertThat(window.markSeen(new ChannelRef("dc", "1"), "7")).isTrue();
  }

  @Test
  void forgetsTheOldestFirstWhenFull() {
    DedupWindow window = new DedupWindow(3);
    window.markSeen(A, "1");
    window.markSeen(A, "2");
    window.markSeen(A, "3");
    window.markSeen(A, "4");

    assertThat(window.contains(A, "1")).isFalse();
    assertThat(window.contains(A, "2")).isTrue();
    assertThat(window.contains(A, "4")).isTrue();
    assertThat(window.size()).isEqualTo(3);
  }

  @Property(tries = 1000)
  void behavesLikeABoundedInsertionOrderedSet(
      @ForAll @IntRange(min = 1, max = 16) int capacity,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 40) Integer> keys) {
    DedupWindow window = new DedupWindow(capacity);
    Set<String> model = new HashSet<>();
    ArrayDeque<String> order = new ArrayDeque<>();

    for (Integer key : keys) {
      ChannelRef channel = key % 2 == 0 ? A : B;
      String id = Integer.toString(key);
      String modelKey = channel + "/" + id;
      boolean expectedNew = !model.contains(modelKey);
      if (expectedNew) {
        if (order.size() == capacity) {
          model.remove(order.pollFirst());
        }
        model.add(modelKey);
        order.addLast(modelKey);
      }
      assertThat(window.markSeen(channel, id)).as("markSeen(%s)", modelKey).isEqualTo(expectedNew);
    }
    for (int key = 0; key <= 40; key++) {
      ChannelRef channel = key % 2 == 0 ? A : B;
      assertThat(window.contains(channel, Integer.toString(key)))
          .isEqualTo(model.contains(channel + "/" + key));
    }
  }

  @Test
  void concurrentSightingsOfOneEventAdmitExactlyOne() throws Exception {
    DedupWindow window = new DedupWindow(10_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 200; round++) {
        String id = "e" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          results.add(pool.submit(() -> {
            start.await();
            return window.markSeen(A, id);
          }));
        }
        start.countDown();
        int admitted = 0;
        for (Future<Boolean> result : results) {
          admitted += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(admitted).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
