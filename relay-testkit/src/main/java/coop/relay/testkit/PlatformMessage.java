package coop.relay.testkit;

import coop.relay.api.Attachment;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.RichText;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as an {@link InMemoryPlatform} channel shows it at one moment: an immutable snapshot,
 * taken by {@link InMemoryPlatform#history(String)}.
 *
 * <p>References carry the platform's {@linkplain InMemoryPlatform#name() name} as connector id, like
 * every reference the platform hands out; give the connector the same id (its default) to compare
 * them with what the connector reports.
 *
 * @param ref where the message is
 * @param author who is shown as its author: the user, the bridge bot, or (where the connector can
 *     puppet) the name and avatar the bridge asked for
 * @param byBridge whether a connector posted it rather than a user
 * @param text the content as it was given to the platform (the bridge's {@code RenderedText.source()})
 * @param markup the content in the platform's markdown-like markup
 * @param attachments the files on the message
 * @param replyTo the message it replies to, or {@code null}
 * @param threadRoot the thread it was posted in, or {@code null}
 * @param reactions the reactions on it, in the order they were added
 * @param edited whether it was edited since it was posted
 * @param deleted whether it was deleted (the platform keeps the entry, as a tombstone)
 * @param origin the origin marker the bridge gave it (also after an edit by the bridge), or {@code null}
 * @param timestamp when it was posted, by the platform's clock
 */
public record PlatformMessage(
    MessageRef ref,
    Identity author,
    boolean byBridge,
    RichText text,
    String markup,
    List<Attachment> attachments,
    @Nullable MessageRef replyTo,
    @Nullable MessageRef threadRoot,
    List<Reaction> reactions,
    boolean edited,
    boolean deleted,
    @Nullable OriginMarker origin,
    Instant timestamp) {

  /** Copies the lists; @throws NullPointerException if a required part is missing */
  public PlatformMessage {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(markup, "markup");
    attachments = List.copyOf(attachments);
    reactions = List.copyOf(reactions);
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** The platform's id of the message. */
  public String id() {
    return ref.messageId();
  }

  /** The name shown as the author. */
  public String authorName() {
    return author.displayName();
  }

  /** The content without formatting, as {@link RichText#plainText()} defines it. */
  public String plainText() {
    return text.plainText();
  }

  /** The keys ({@link Reaction#key()}) of the reactions, in order, one per reaction. */
  public List<String> reactionKeys() {
    return reactions.stream().map(Reaction::key).toList();
  }
}
