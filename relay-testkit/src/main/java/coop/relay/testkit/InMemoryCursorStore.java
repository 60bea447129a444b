package coop.relay.testkit;

import coop.relay.spi.CursorStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link CursorStore} in a map, for tests: keep one instance across a connector restart to prove
 * that the connector resumes where it stopped. Thread-safe, non-blocking.
 */
public final class InMemoryCursorStore implements CursorStore {
  private final ConcurrentMap<Key, String> values = new ConcurrentHashMap<>();

  private record Key(String connectorId, String name) {}

  /** An empty store. */
  public InMemoryCursorStore() {}

  @Override
  public Optional<String> load(String connectorId, String name) {
    return Optional.ofNullable(values.get(new Key(connectorId, name)));
  }

  @Override
  public void save(String connectorId, String name, String value) {
    Objects.requireNonNull(value, "value");
    values.put(new Key(connectorId, name), value);
  }

  /** Every saved value of one connector, by cursor name, sorted; a copy. */
  public Map<String, String> snapshot(String connectorId) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((key, value) -> {
      if (key.connectorId().equals(connectorId)) {
        out.put(key.name(), value);
      }
    });
    return out;
  }

  /** Forgets everything, as a fresh installation would. */
  public void clear() {
    values.clear();
  }

  @Override
  public String toString() {
    return "InMemoryCursorStore[" + values.size() + " cursors]";
  }
}
