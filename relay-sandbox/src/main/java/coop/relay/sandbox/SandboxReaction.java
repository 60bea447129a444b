package coop.relay.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * One reaction on a message and who reacted with it.
 *
 * @param emoji the Unicode emoji (or the platform's name for a custom one)
 * @param userIds the ids of the users (and bots) who reacted, in the order they did
 */
public record SandboxReaction(String emoji, List<String> userIds) {

  /** @throws NullPointerException if an argument is null */
  public SandboxReaction {
    Objects.requireNonNull(emoji, "emoji");
    userIds = List.copyOf(userIds);
  }
}
