package coop.relay.support;

import coop.relay.api.DeliveryException;
import coop.relay.api.InvalidConfigurationException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Stops sending requests on a key (a route, a channel) after it was refused too often in a row, so
 * a connector never hammers a platform with requests that cannot succeed. Discord counts 401, 403
 * and 429 answers and bans clients that send 10,000 of them within 10 minutes.
 *
 * <p>Failures that {@code counts} accepts (say, missing permissions) count per key; a success resets
 * the count. Once a key reaches {@code threshold}, it is open: its calls fail at once, without being
 * sent, with a permanent {@link DeliveryException} that names the key and the last refusal, until
 * {@link #reset} (e.g. when the channel's permissions were fixed or the bridge reconfigured). Keys
 * appear in log lines and messages, so they must not contain credentials.
 * Thread-safe.
 */
public final class FailureBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(FailureBreaker.class);

  private final int threshold;
  private final Predicate<? super Throwable> counts;
  private final ConcurrentHashMap<String, KeyState> keys = new ConcurrentHashMap<>();

  private FailureBreaker(int threshold, Predicate<? super Throwable> counts) {
    this.threshold = threshold;
    this.counts = counts;
  }

  /**
   * A breaker that opens a key after {@code threshold} refusals in a row.
   *
   * @param counts which failures are refusals (e.g. the exceptions a connector maps 401/403 to)
   */
  public static FailureBreaker of(int threshold, Predicate<? super Throwable> counts) {
    if (threshold < 1) {
      throw new InvalidConfigurationException("failure breaker threshold must be at least 1, was " + threshold);
    }
    return new FailureBreaker(threshold, Objects.requireNonNull(counts, "counts"));
  }

  /**
   * {@code call} guarded by the key's state. Lazy. When the key is open, fails at once without
   * subscribing to {@code call}; otherwise emits what {@code call} emits, counting its refusals.
   * Cancelling cancels {@code call}.
   */
  public <T> Mono<T> guard(String key, Mono<T> call) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(call, "call");
    return Mono.defer(() -> {
      KeyState state = keys.get(key);
      if (state != null && state.open()) {
        return Mono.error(opened(key, state.lastRefusal()));
      }
      return call
          .doOnSuccess(value -> keys.remove(key))
          .onErrorResume(failure -> {
            if (!counts.test(failure)) {
              return Mono.error(failure);
            }
            KeyState next = keys.compute(key, (k, s) -> (s == null ? KeyState.NONE : s).refused(failure, threshold));
            if (next.open() && next.refusals() == threshold) {
              LOG.warn("Stopped sending to {} after {} refusals in a row; fix the cause, then reset it", key, threshold);
              return Mono.error(opened(key, failure));
            }
            return Mono.error(failure);
          });
    });
  }

  /** Whether {@code key} is open (its calls fail without being sent). */
  public boolean isOpen(String key) {
    KeyState state = keys.get(key);
    return state != null && state.open();
  }

  /** Closes {@code key} again, forgetting its refusals. */
  public void reset(String key) {
    keys.remove(key);
  }

  private static DeliveryException opened(String key, @Nullable Throwable lastRefusal) {
    String last = lastRefusal == null || lastRefusal.getMessage() == null ? "" : " (last: " + lastRefusal.getMessage() + ")";
    return DeliveryException.permanent("stopped sending to " + key + " after repeated refusals" + last
        + "; fix the bot's permissions or credentials, then reconfigure the bridge");
  }

  @Override
  public String toString() {
    return "FailureBreaker[threshold=" + threshold + ", open keys=" + keys.values().stream().filter(KeyState::open).count() + "]";
  }

  private record KeyState(int refusals, boolean open, @Nullable Throwable lastRefusal) {
    static final KeyState NONE = new KeyState(0, false, null);

    KeyState refused(Throwable failure, int threshold) {
      return new KeyState(refusals + 1, refusals + 1 >= threshold, failure);
    }
  }
}
