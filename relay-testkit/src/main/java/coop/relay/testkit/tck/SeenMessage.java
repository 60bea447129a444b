package coop.relay.testkit.tck;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as the platform shows it to people, read by {@link TckFixture#history(String)}: what
 * the TCK checks after the connector posted, edited, deleted or reacted.
 *
 * @param id the platform's id of the message
 * @param plainText the text as a person reads it, without markup
 * @param byBot whether the connector's bot (or one of its puppets) posted it
 * @param replyToId the id of the message it replies to, or {@code null}
 * @param threadRootId the id of its thread's first message, or {@code null}
 * @param reactions the reactions on it, each as its Unicode sequence or, for custom emoji, its name
 * @param deleted whether it is deleted (fixtures may instead leave deleted messages out of the history)
 */
public record SeenMessage(String id, String plainText, boolean byBot, @Nullable String replyToId,
    @Nullable String threadRootId, List<String> reactions, boolean deleted) {
  /** Copies the reactions; @throws NullPointerException if the id or the text is missing */
  public SeenMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(plainText, "plainText");
    reactions = List.copyOf(reactions);
  }
}
