package coop.relay.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe map that forgets its least recently used entries beyond a capacity: for a
 * connector's short memories (where a copy was posted, who sent it, which parts a split message
 * has), which must never grow without bound in a relay that runs for months. Each operation holds
 * one lock for a hash look-up; values may be {@code null} only through {@link #update}.
 *
 * @param <K> the keys
 * @param <V> the values
 */
public final class BoundedMap<K, V> {
  private final LinkedHashMap<K, V> entries;

  /**
   * @param capacity how many entries to keep; the least recently used go first
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public BoundedMap(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @java.io.Serial
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The value of {@code key}, or {@code null}; counts as a use. */
  public synchronized @Nullable V get(K key) {
    return entries.get(key);
  }

  /** Stores a value, replacing the previous one; may forget the least recently used entry. */
  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  /** Removes and returns the value of {@code key}, or {@code null}. */
  public synchronized @Nullable V remove(K key) {
    return entries.remove(key);
  }

  /** Whether {@code key} is held; does not count as a use. */
  public synchronized boolean containsKey(K key) {
    return entries.containsKey(key);
  }

  /** The value of {@code key}, made by {@code create} (under the lock: keep it cheap) when absent. */
  public synchronized V computeIfAbsent(K key, Function<? super K, ? extends V> create) {
    return entries.computeIfAbsent(key, create);
  }

  /** Replaces the value of {@code key} by {@code update} of the current one ({@code null} when absent). */
  public synchronized V update(K key, UnaryOperator<@Nullable V> update) {
    V value = update.apply(entries.get(key));
    entries.put(key, value);
    return value;
  }

  /** How many entries are held. */
  public synchronized int size() {
    return entries.size();
  }
}
