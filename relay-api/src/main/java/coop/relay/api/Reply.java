package coop.relay.api;

import coop.relay.api.text.RichText;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a message replies to.
 *
 * @param target the message replied to, on the same platform as the reply
 * @param authorName the replied-to author's name when the platform tells it, else {@code null}
 * @param excerpt the replied-to text when the platform tells it, else empty; used to quote the
 *     target on destinations where the bridge has no copy of it
 */
public record Reply(MessageRef target, @Nullable String authorName, RichText excerpt) {
  /** Checks the components. */
  public Reply {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(excerpt, "excerpt");
  }

  /** A reply to a message the platform told nothing else about. */
  public static Reply to(MessageRef target) {
    return new Reply(target, null, RichText.empty());
  }
}
