package coop.relay.spi;

/**
 * The state that must outlive a single message: which copy belongs to which original, which events
 * were already handled, and where each connector resumes. The relay keeps it in memory by default;
 * give the relay builder another implementation to keep it across restarts.
 *
 * <p>The relay calls these stores on its hot path: implementations must be thread-safe and must not
 * block (keep state in memory and write it behind, if it must be durable).
 */
public interface RelayStore {

  /** The map between original messages and their copies. */
  IdMapStore idMap();

  /** The bounded window of handled inbound events. */
  DedupStore dedup();

  /** The connectors' resume points. */
  CursorStore cursors();
}
