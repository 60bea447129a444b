package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.spi.DedupStore;
import java.util.concurrent.locks.StampedLock;

/**
 * A fixed-capacity set of {@code (channel, eventId)} keys that forgets the oldest key first.
 *
 * <p>Built for the hot path: a key that is already present is found with an optimistic read (no
 * lock, no allocation), which is the common case for redeliveries and echoes. Inserts take the
 * write lock. The table is open-addressed with linear probing at a load factor of at most one half,
 * and removal shifts entries back instead of leaving tombstones, so lookups stay short forever.
 */
final class DedupWindow implements DedupStore {
  private final int capacity;
  private final int mask;
  private final ChannelRef[] channels;
  private final String[] ids;
  private final ChannelRef[] ringChannels;
  private final String[] ringIds;
  private final StampedLock lock = new StampedLock();
  private int ringHead;
  private int size;

  DedupWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("dedup window capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
    this.mask = tableSize - 1;
    this.channels = new ChannelRef[tableSize];
    this.ids = new String[tableSize];
    this.ringChannels = new ChannelRef[capacity];
    this.ringIds = new String[capacity];
  }

  @Override
  public boolean markSeen(ChannelRef channel, String eventId) {
    int hash = hash(channel, eventId);
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0L && indexOf(channel, eventId, hash) >= 0 && lock.validate(stamp)) {
      return false;
    }
    stamp = lock.writeLock();
    try {
      if (indexOf(channel, eventId, hash) >= 0) {
        return false;
      }
      if (size == capacity) {
        evictOldest();
      }
      insert(channel, eventId, hash);
      ringChannels[ringHead] = channel;
      ringIds[ringHead] = eventId;
      ringHead = ringHead + 1 == capacity ? 0 : ringHead + 1;
      size++;
      return true;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public boolean contains(ChannelRef channel, String eventId) {
    int hash = hash(channel, eventId);
    long stamp = lock.tryOptimisticRead();
    boolean found = stamp != 0L && indexOf(channel, eventId, hash) >= 0;
    if (stamp != 0L && lock.validate(stamp)) {
      return found;
    }
    stamp = lock.readLock();
    try {
      return indexOf(channel, eventId, hash) >= 0;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** How many keys the window holds now. */
  int size() {
    long stamp = lock.readLock();
    try {
      return size;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private static int hash(ChannelRef channel, String eventId) {
    int h = channel.channelId().hashCode() * 31 + eventId.hashCode();
    h = h * 31 + channel.connectorId().hashCode();
    return h ^ (h >>> 16);
  }

  /**
   * Probes for the key. Also runs under an optimistic read, racing with writers: every array read is
   * masked into bounds, nulls are tolerated, and the probe length is bounded, so a torn view can
   * only produce a wrong answer that {@code validate} then discards.
   */
  private int indexOf(ChannelRef channel, String eventId, int hash) {
    ChannelRef[] chs = channels;
    String[] is = ids;
    for (int probe = 0, i = hash & mask; probe <= mask; probe++, i = (i + 1) & mask) {
      ChannelRef c = chs[i];
      if (c == null) {
        return -1;
      }
      String id = is[i];
      if (id != null && (id == eventId || id.equals(eventId)) && (c == channel || c.equals(channel))) {
        return i;
      }
    }
    return -1;
  }

  private void insert(ChannelRef channel, String eventId, int hash) {
    int i = hash & mask;
    while (channels[i] != null) {
      i = (i + 1) & mask;
    }
    ids[i] = eventId;
    channels[i] = channel;
  }

  private void evictOldest() {
    ChannelRef oldChannel = ringChannels[ringHead];
    String oldId = ringIds[ringHead];
    int slot = indexOf(oldChannel, oldId, hash(oldChannel, oldId));
    size--;
    if (slot < 0) {
      return;
    }
    // Backward-shift deletion: pull later members of the probe run into the hole.
    int hole = slot;
    int i = (slot + 1) & mask;
    while (channels[i] != null) {
      int home = hash(channels[i], ids[i]) & mask;
      boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
      if (movable) {
        channels[hole] = channels[i];
        ids[hole] = ids[i];
        hole = i;
      }
      i = (i + 1) & mask;
    }
    channels[hole] = null;
    ids[hole] = null;
  }
}
