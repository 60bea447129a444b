package coop.relay.api;

import coop.relay.api.text.RichText;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A chat message, immutable. The relay shares one instance between all its deliveries.
 *
 * @param ref where the message is
 * @param author who wrote it
 * @param text the content as portable rich text
 * @param attachments attached files, possibly empty
 * @param replyTo what it replies to, or {@code null}
 * @param threadRoot the first message of the thread it belongs to, or {@code null} outside threads
 * @param timestamp when the platform says it was sent
 * @param origin the origin marker when the message is a copy sent by a relay, else {@code null}
 */
public record Message(
    MessageRef ref,
    Identity author,
    RichText text,
    List<Attachment> attachments,
    @Nullable Reply replyTo,
    @Nullable MessageRef threadRoot,
    Instant timestamp,
    @Nullable OriginMarker origin) {

  /** Checks the components. @throws NullPointerException if a required one is null */
  public Message {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A builder for a message at {@code ref} by {@code author}; the text defaults to empty, the time to now. */
  public static Builder builder(MessageRef ref, Identity author) {
    return new Builder(ref, author);
  }

  /** The same message with other text. */
  public Message withText(RichText newText) {
    return new Message(ref, author, newText, attachments, replyTo, threadRoot, timestamp, origin);
  }

  /** The same message by another author. */
  public Message withAuthor(Identity newAuthor) {
    return new Message(ref, newAuthor, text, attachments, replyTo, threadRoot, timestamp, origin);
  }

  /** The channel the message is in. */
  public ChannelRef channel() {
    return ref.channel();
  }

  /** Builds a {@link Message}; not thread-safe. */
  public static final class Builder {
    private final MessageRef ref;
    private final Identity author;
    private RichText text = RichText.empty();
    private List<Attachment> attachments = List.of();
    private @Nullable Reply replyTo;
    private @Nullable MessageRef threadRoot;
    private @Nullable Instant timestamp;
    private @Nullable OriginMarker origin;

    Builder(MessageRef ref, Identity author) {
      this.ref = Objects.requireNonNull(ref, "ref");
      this.author = Objects.requireNonNull(author, "author");
    }

    /** The content; defaults to empty. */
    public Builder text(RichText value) {
      this.text = Objects.requireNonNull(value, "text");
      return this;
    }

    /** Plain text; markup characters in it stay literal. */
    public Builder text(String plain) {
      return text(RichText.of(plain));
    }

    /** The attached files; defaults to none. */
    public Builder attachments(List<Attachment> value) {
      this.attachments = List.copyOf(value);
      return this;
    }

    /** What the message replies to, or {@code null}. */
    public Builder replyTo(@Nullable Reply value) {
      this.replyTo = value;
      return this;
    }

    /** The first message of its thread, or {@code null}. */
    public Builder threadRoot(@Nullable MessageRef value) {
      this.threadRoot = value;
      return this;
    }

    /** When it was sent; defaults to the time of {@link #build()}. */
    public Builder timestamp(Instant value) {
      this.timestamp = Objects.requireNonNull(value, "timestamp");
      return this;
    }

    /** The origin marker of a copy sent by a relay, or {@code null}. */
    public Builder origin(@Nullable OriginMarker value) {
      this.origin = value;
      return this;
    }

    /** The message. */
    public Message build() {
      return new Message(ref, author, text, attachments, replyTo, threadRoot,
          timestamp == null ? Instant.now() : timestamp, origin);
    }
  }
}
