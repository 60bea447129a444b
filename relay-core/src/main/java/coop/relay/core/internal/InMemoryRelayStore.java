package coop.relay.core.internal;

import coop.relay.spi.CursorStore;
import coop.relay.spi.DedupStore;
import coop.relay.spi.IdMapStore;
import coop.relay.spi.RelayStore;

/** The default store: everything in memory, bounded. */
public final class InMemoryRelayStore implements RelayStore {
  private final InMemoryIdMap idMap;
  private final DedupWindow dedup;
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();

  /**
   * @param idMapCapacity how many originals the id map remembers
   * @param dedupCapacity how many events the dedup window remembers
   */
  public InMemoryRelayStore(int idMapCapacity, int dedupCapacity) {
    this.idMap = new InMemoryIdMap(idMapCapacity);
    this.dedup = new DedupWindow(dedupCapacity);
  }

  @Override
  public IdMapStore idMap() {
    return idMap;
  }

  @Override
  public DedupStore dedup() {
    return dedup;
  }

  @Override
  public CursorStore cursors() {
    return cursors;
  }
}
