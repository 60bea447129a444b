package coop.relay.core.internal;

import coop.relay.spi.CursorStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Cursors in memory: they survive a connector reconnecting, not the process restarting. */
final class InMemoryCursorStore implements CursorStore {
  private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();

  @Override
  public Optional<String> load(String connectorId, String name) {
    return Optional.ofNullable(values.get(key(connectorId, name)));
  }

  @Override
  public void save(String connectorId, String name, String value) {
    values.put(key(connectorId, name), value);
  }

  private static String key(String connectorId, String name) {
    return connectorId + '\u0000' + name;
  }
}
