package coop.relay.slack.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A small least-recently-used map with an optional time to live, for what the connector remembers
 * about Slack (user profiles, file URLs, event ids it already relayed). Thread-safe by a lock: the
 * critical sections are a hash look-up.
 *
 * @param <V> the values
 */
final class BoundedCache<V> {
  private final int maxSize;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<String, Stored<V>> entries;

  /**
   * @param maxSize how many entries to keep; the least recently used go first
   * @param ttl how long an entry stays valid, or {@code null} for as long as it fits
   * @param nanoClock the time, in nanoseconds (the connector's scheduler, so tests can move it)
   */
  BoundedCache(int maxSize, @Nullable Duration ttl, LongSupplier nanoClock) {
    this.maxSize = maxSize;
    this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
    this.nanoClock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Stored<V>> eldest) {
        return size() > BoundedCache.this.maxSize;
      }
    };
  }

  /** The value, or {@code null} when absent or expired. */
  synchronized @Nullable V get(String key) {
    Stored<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (expired(entry)) {
      entries.remove(key);
      return null;
    }
    return entry.value();
  }

  /** Stores a value, replacing an older one. */
  synchronized void put(String key, V value) {
    entries.put(key, new Stored<>(value, nanoClock.getAsLong()));
  }

  /** Stores the value unless a valid one is there; {@code true} when it was stored. */
  synchronized boolean putIfAbsent(String key, V value) {
    Stored<V> entry = entries.get(key);
    if (entry != null && !expired(entry)) {
      return false;
    }
    entries.put(key, new Stored<>(value, nanoClock.getAsLong()));
    return true;
  }

  /** Forgets a value. */
  synchronized void remove(String key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }

  private boolean expired(Stored<V> entry) {
    return ttlNanos != Long.MAX_VALUE && nanoClock.getAsLong() - entry.storedAt() >= ttlNanos;
  }

  /** A value and when it was stored. (Not named Entry: inside the map subclass that means Map.Entry.) */
  private record Stored<V>(V value, long storedAt) {}
}
