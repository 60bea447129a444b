package coop.relay.spi;

import java.util.Optional;

/** Connectors' resume points, by connector id and cursor name. Thread-safe, non-blocking. */
public interface CursorStore {

  /** The saved value, or empty when none was saved. */
  Optional<String> load(String connectorId, String name);

  /** Saves a value, replacing the previous one. */
  void save(String connectorId, String name, String value);

  /** This store seen by one connector. */
  default Scoped scoped(String connectorId) {
    CursorStore store = this;
    return new Scoped() {
      @Override
      public Optional<String> load(String name) {
        return store.load(connectorId, name);
      }

      @Override
      public void save(String name, String value) {
        store.save(connectorId, name, value);
      }
    };
  }

  /** The cursors of one connector. */
  interface Scoped {
    /** The saved value, or empty when none was saved. */
    Optional<String> load(String name);

    /** Saves a value, replacing the previous one. */
    void save(String name, String value);
  }
}
