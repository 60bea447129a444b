package coop.relay.discord.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe map that forgets its least recently used entries beyond a capacity: the connector's
 * memory of threads, channel names and the messages it posted stays bounded however long it runs.
 */
final class BoundedMap<K, V> {
  private final Map<K, V> entries;

  BoundedMap(int capacity) {
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

  synchronized boolean containsKey(K key) {
    return entries.containsKey(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
