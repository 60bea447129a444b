package coop.relay.sandbox.discord.internal;

import java.util.function.LongSupplier;

/**
 * Discord ids: milliseconds since the Discord epoch (2015-01-01) shifted left by 22 bits, then
 * worker, process and a per-process increment. Ids grow with time and never repeat, so clients may
 * sort and compare them as Discord documents.
 */
final class Snowflakes {
  static final long DISCORD_EPOCH = 1_420_070_400_000L;

  private final LongSupplier clockMillis;
  private long last;

  Snowflakes(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  synchronized long next() {
    long at = Math.max(0, clockMillis.getAsLong() - DISCORD_EPOCH);
    // Worker 1, process 0; the low 12 bits count within a millisecond. A clock that stands still
    // (virtual time) or goes back still yields increasing ids.
    long candidate = (at << 22) | (1L << 17);
    last = Math.max(candidate, last + 1);
    return last;
  }

  /** The creation time encoded in an id, in epoch milliseconds. */
  static long millis(long snowflake) {
    return (snowflake >>> 22) + DISCORD_EPOCH;
  }
}
