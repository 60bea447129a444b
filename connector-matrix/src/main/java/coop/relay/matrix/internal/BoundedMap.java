package coop.relay.matrix.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe map that forgets its least recently used entries beyond a capacity: the connector's
 * short memories (who sent a copy, which reaction event holds a key), which must never grow without
 * bound in a relay that runs for months.
 */
final class BoundedMap<K, V> {
  private final LinkedHashMap<K, V> entries;

  BoundedMap(int capacity) {
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

  synchronized @Nullable V get(K key) {
    return entries.get(key);
  }

  synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  synchronized @Nullable V remove(K key) {
    return entries.remove(key);
  }

  synchronized V computeIfAbsent(K key, Function<? super K, ? extends V> create) {
    return entries.computeIfAbsent(key, create);
  }

  synchronized boolean containsKey(K key) {
    return entries.containsKey(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
