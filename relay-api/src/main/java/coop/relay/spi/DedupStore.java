package coop.relay.spi;

import coop.relay.api.ChannelRef;

/**
 * A bounded window of the inbound events the relay has handled, and of the copies it has posted
 * (whose echoes are then recognised as already seen). Thread-safe, non-blocking; when full, the
 * oldest entries are forgotten first.
 */
public interface DedupStore {

  /**
   * Records the event and tells whether it is new.
   *
   * @return {@code true} the first time {@code (channel, eventId)} is seen, {@code false} afterwards
   */
  boolean markSeen(ChannelRef channel, String eventId);

  /** Whether {@code (channel, eventId)} was seen, without recording it. */
  boolean contains(ChannelRef channel, String eventId);
}
