package coop.relay.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The faults scheduled for the operations connectors perform on one channel of an
 * {@link InMemoryPlatform} (or on all its channels). Each operation takes the next scripted fault
 * if there is one, else the standing fault set with {@link #always(Fault)}, else none: the script is
 * followed in order, deterministically. Thread-safe.
 */
public final class FaultPlan {
  private final Deque<Fault> script = new ArrayDeque<>();
  private @Nullable Fault standing;

  FaultPlan() {}

  /** Lets the next operation (after those already scripted) suffer {@code fault}. */
  public FaultPlan next(Fault fault) {
    return next(1, fault);
  }

  /** Lets the next {@code times} operations (after those already scripted) suffer {@code fault}. */
  public synchronized FaultPlan next(int times, Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative, was " + times);
    }
    for (int i = 0; i < times; i++) {
      script.addLast(fault);
    }
    return this;
  }

  /** Lets every operation that finds no scripted fault suffer {@code fault}; {@code null} stops it. */
  public synchronized FaultPlan always(@Nullable Fault fault) {
    this.standing = fault;
    return this;
  }

  /** Forgets the script and the standing fault. */
  public synchronized FaultPlan clear() {
    script.clear();
    standing = null;
    return this;
  }

  /** How many scripted faults are still to come. */
  public synchronized int pending() {
    return script.size();
  }

  /** The fault for the operation starting now, consuming it if it was scripted. */
  synchronized @Nullable Fault take() {
    Fault scripted = script.pollFirst();
    return scripted != null ? scripted : standing;
  }
}
