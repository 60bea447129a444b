package coop.relay.core;

import coop.relay.core.internal.InMemoryRelayStore;
import coop.relay.spi.RelayStore;

/** Ready-made {@link RelayStore}s. */
public final class RelayStores {
  private RelayStores() {}

  /**
   * A store in memory, bounded: the id map remembers {@code originals} messages and the dedup window
   * {@code events} events, forgetting the oldest first. Share one between relays of one process to
   * let a new relay resume where a stopped one left off.
   *
   * @throws IllegalArgumentException if a capacity is not positive
   */
  public static RelayStore inMemory(int originals, int events) {
    return new InMemoryRelayStore(originals, events);
  }

  /** {@link #inMemory(int, int)} with room for 100,000 originals and 100,000 events. */
  public static RelayStore inMemory() {
    return inMemory(100_000, 100_000);
  }
}
