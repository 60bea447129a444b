package coop.relay.telegram.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A synchronized map that forgets its least recently used entries beyond {@code capacity}, for the
 * connector's in-memory bookkeeping (parts of split messages, the bot's reactions, recent update
 * ids), which must not grow without bound in a long-running relay.
 */
final class BoundedMap<K, V> {
  private final LinkedHashMap<K, V> entries;

  BoundedMap(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized @Nullable V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  synchronized @Nullable V remove(K key) {
    return entries.remove(key);
  }

  synchronized boolean containsKey(K key) {
    return entries.containsKey(key);
  }

  /** Replaces the value of {@code key} by {@code update(old)} ({@code old} may be null) atomically. */
  synchronized V update(K key, UnaryOperator<@Nullable V> update) {
    V value = update.apply(entries.get(key));
    entries.put(key, value);
    return value;
  }

  synchronized int size() {
    return entries.size();
  }
}
