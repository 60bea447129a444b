package coop.relay.spi;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Links every original ("canonical") message to its copies on other channels, so that edits,
 * deletes, replies and reactions find their targets. Thread-safe, non-blocking.
 */
public interface IdMapStore {

  /** Records that {@code copy} is the copy of {@code canonical} in the copy's channel. */
  void link(MessageRef canonical, MessageRef copy);

  /**
   * The original of a message: {@code ref} itself when it is an original the store knows, the
   * original when it is a copy, {@code null} when the store has never seen it.
   */
  @Nullable MessageRef canonicalOf(MessageRef ref);

  /** Whether {@code ref} is a copy the relay posted. */
  boolean isCopy(MessageRef ref);

  /** The copy of {@code canonical} in {@code channel}, or {@code null}; for the canonical's own channel, the canonical. */
  @Nullable MessageRef copyIn(MessageRef canonical, ChannelRef channel);

  /** Every copy of {@code canonical}, in the order they were linked; empty when it has none. */
  List<MessageRef> copiesOf(MessageRef canonical);

  /** Forgets {@code canonical} and its copies (after the original was deleted). */
  void forget(MessageRef canonical);
}
