package coop.relay.support.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs work one at a time per key, in the order it was subscribed, while different keys run
 * independently. A lane exists only while it has work, so idle keys cost nothing.
 *
 * <p>Cancelling queued work removes it without running it; cancelling running work cancels it and
 * lets the next one start.
 */
public final class OrderedLanes {
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  /** A lazy mono that, on subscription, queues {@code work} behind the earlier work of {@code key}. */
  public <T> Mono<T> submit(String key, Mono<T> work) {
    return Mono.create(sink -> {
      Job<T> job = new Job<>(work, sink);
      sink.onCancel(job::cancel);
      boolean[] start = {false};
      // All changes to a lane happen inside compute, so a lane is never removed while work is added.
      Lane lane = lanes.compute(key, (k, existing) -> {
        Lane l = existing == null ? new Lane(k) : existing;
        l.queue.add(job);
        if (!l.running) {
          l.running = true;
          start[0] = true;
        }
        return l;
      });
      if (start[0]) {
        lane.drain();
      }
    });
  }

  /** How many keys have queued or running work. */
  public int activeLanes() {
    return lanes.size();
  }

  private final class Lane {
    final String key;
    final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    boolean running;

    Lane(String key) {
      this.key = key;
    }

    /** Starts jobs until one runs asynchronously; that one calls drain again when it ends. */
    void drain() {
      while (true) {
        Job<?> job = next();
        if (job == null || !job.start(this)) {
          return;
        }
      }
    }

    private @Nullable Job<?> next() {
      Object[] taken = {null};
      lanes.compute(key, (k, lane) -> {
        Job<?> job = queue.poll();
        if (job == null) {
          running = false;
          return null;
        }
        taken[0] = job;
        return lane;
      });
      return (Job<?>) taken[0];
    }
  }

  private static final class Job<T> {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final Mono<T> work;
    private final MonoSink<T> sink;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    // Whether start() has returned (1) or the job ended before it did (2): decides who drains next.
    private final AtomicInteger handoff = new AtomicInteger();
    private volatile @Nullable Lane lane;
    private volatile @Nullable BaseSubscriber<T> subscriber;

    Job(Mono<T> work, MonoSink<T> sink) {
      this.work = work;
      this.sink = sink;
    }

    /** Runs the job; true when it already ended (or was cancelled), so the lane continues at once. */
    boolean start(Lane owner) {
      lane = owner;
      JobSubscriber s = new JobSubscriber();
      subscriber = s;
      if (!state.compareAndSet(QUEUED, RUNNING)) {
        return true;
      }
      work.subscribe(s);
      return !handoff.compareAndSet(0, 1);
    }

    void cancel() {
      if (state.compareAndSet(QUEUED, DONE)) {
        return;
      }
      BaseSubscriber<T> s = subscriber;
      if (s != null) {
        s.dispose();
      }
      finish();
    }

    void finish() {
      if (state.compareAndSet(RUNNING, DONE) && !handoff.compareAndSet(0, 2)) {
        Lane owner = lane;
        if (owner != null) {
          owner.drain();
        }
      }
    }

    private final class JobSubscriber extends BaseSubscriber<T> {
      private boolean delivered;

      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(1);
      }

      @Override
      protected void hookOnNext(T value) {
        delivered = true;
        sink.success(value);
        finish();
      }

      @Override
      protected void hookOnComplete() {
        // The sink may still hold the value until it is requested (concatMap requests late); an
        // empty success() now would complete it without the value.
        if (!delivered) {
          sink.success();
        }
        finish();
      }

      @Override
      protected void hookOnError(Throwable failure) {
        sink.error(failure);
        finish();
      }
    }
  }
}
