package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.spi.IdMapStore;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The id map kept in memory, bounded: when more than {@code capacity} originals are known, the
 * oldest original is forgotten together with its copies.
 *
 * <p>Every original and every copy is a key of one map that points to the original's
 * {@link Family}, so "which original does this copy belong to" and "where is the copy of this
 * original in that channel" are each one hash lookup.
 */
final class InMemoryIdMap implements IdMapStore {
  private final int capacity;
  private final ConcurrentHashMap<MessageRef, Family> families = new ConcurrentHashMap<>();
  private final ArrayDeque<MessageRef> insertionOrder = new ArrayDeque<>();

  InMemoryIdMap(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("id map capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void link(MessageRef canonical, MessageRef copy) {
    Family family = families.get(canonical);
    if (family == null) {
      family = new Family(canonical);
      Family raced = families.putIfAbsent(canonical, family);
      if (raced != null) {
        family = raced;
      } else {
        remember(canonical);
      }
    }
    family.add(copy);
    families.put(copy, family);
  }

  @Override
  public @Nullable MessageRef canonicalOf(MessageRef ref) {
    Family family = families.get(ref);
    return family == null ? null : family.canonical;
  }

  @Override
  public boolean isCopy(MessageRef ref) {
    Family family = families.get(ref);
    return family != null && !family.canonical.equals(ref);
  }

  @Override
  public @Nullable MessageRef copyIn(MessageRef canonical, ChannelRef channel) {
    if (canonical.channel().equals(channel)) {
      return canonical;
    }
    Family family = families.get(canonical);
    return family == null ? null : family.copyIn(channel);
  }

  @Override
  public List<MessageRef> copiesOf(MessageRef canonical) {
    Family family = families.get(canonical);
    return family == null || !family.canonical.equals(canonical) ? List.of() : family.copies();
  }

  @Override
  public void forget(MessageRef canonical) {
    Family family = families.get(canonical);
    if (family == null || !family.canonical.equals(canonical)) {
      return;
    }
    for (MessageRef copy : family.copies()) {
      families.remove(copy, family);
    }
    families.remove(canonical, family);
  }

  private void remember(MessageRef canonical) {
    MessageRef evicted = null;
    synchronized (insertionOrder) {
      insertionOrder.addLast(canonical);
      if (insertionOrder.size() > capacity) {
        evicted = insertionOrder.pollFirst();
      }
    }
    if (evicted != null) {
      forget(evicted);
    }
  }

  /** An original and its copies; copies are few, so a copy-on-write array is the cheapest. */
  private static final class Family {
    final MessageRef canonical;
    private volatile MessageRef[] copies = new MessageRef[0];

    Family(MessageRef canonical) {
      this.canonical = canonical;
    }

    synchronized void add(MessageRef copy) {
      MessageRef[] current = copies;
      for (MessageRef existing : current) {
        if (existing.equals(copy)) {
          return;
        }
      }
      MessageRef[] next = java.util.Arrays.copyOf(current, current.length + 1);
      next[current.length] = copy;
      copies = next;
    }

    @Nullable MessageRef copyIn(ChannelRef channel) {
      for (MessageRef copy : copies) {
        if (copy.channel().equals(channel)) {
          return copy;
        }
      }
      return null;
    }

    List<MessageRef> copies() {
      return List.of(copies);
    }
  }
}
