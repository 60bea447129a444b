package coop.relay.telegram.internal;

import coop.relay.spi.CursorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The getUpdates offset (the last handled {@code update_id} plus one) in the relay's cursor store,
 * saved before the update's events are emitted, so that a restart resumes exactly after the last
 * event the relay received. Used by one connection at a time.
 */
final class UpdateCursor {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateCursor.class);
  static final String NAME = "offset";

  private final CursorStore.Scoped store;
  private long offset;

  UpdateCursor(CursorStore.Scoped store, String connectorId) {
    this.store = store;
    this.offset = store.load(NAME).map(value -> parse(value, connectorId)).orElse(0L);
  }

  /** The next update id to ask for; 0 when nothing was handled yet. */
  synchronized long offset() {
    return offset;
  }

  /** Whether {@code updateId} was handled already (it is below the offset). */
  synchronized boolean handled(long updateId) {
    return updateId < offset;
  }

  /** Moves the offset past {@code updateId} (never back) and saves it. */
  synchronized void advancePast(long updateId) {
    if (updateId + 1 > offset) {
      offset = updateId + 1;
      store.save(NAME, Long.toString(offset));
    }
  }

  private static long parse(String value, String connectorId) {
    try {
      return Math.max(0, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      LOG.warn("Telegram connector '{}': the stored offset is not a number; starting from Telegram's oldest"
          + " unconfirmed update", connectorId);
      return 0;
    }
  }
}
