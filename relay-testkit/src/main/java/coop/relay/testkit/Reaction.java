package coop.relay.testkit;

import coop.relay.api.Identity;
import coop.relay.api.text.Emoji;
import java.util.Objects;

/**
 * One reaction on a message of an {@link InMemoryPlatform}: who put which emoji on it.
 *
 * @param emoji the emoji
 * @param user who reacted; its {@link coop.relay.api.UserRef} carries the platform's name as connector id
 * @param byBridge whether a connector (the bridge) added it rather than a user
 */
public record Reaction(Emoji emoji, Identity user, boolean byBridge) {
  /** @throws NullPointerException if the emoji or the user is missing */
  public Reaction {
    Objects.requireNonNull(emoji, "emoji");
    Objects.requireNonNull(user, "user");
  }

  /** The emoji as one key: the Unicode sequence, or the name of a custom emoji. */
  public String key() {
    String unicode = emoji.unicode();
    return unicode != null ? unicode : emoji.name();
  }
}
