package coop.relay.api;

import java.util.Objects;

/**
 * What a platform (as seen through its connector) can do. The core uses it to decide what to send:
 * an edit to a platform without edits is skipped, a reply to a platform without replies is sent as a
 * quote, the name template is applied where the platform cannot puppet.
 *
 * @param edits whether sent messages can be edited
 * @param deletes whether sent messages can be deleted
 * @param reactions whether reactions can be added and removed
 * @param replies whether a message can reply to another
 * @param threads whether messages can be posted in threads
 * @param attachments whether files can be uploaded
 * @param maxAttachmentBytes the largest file the connector uploads; larger ones are sent as links
 * @param maxTextLength the longest text one platform message may hold (the connector splits longer ones)
 * @param puppeting how the author of a bridged message can be shown
 */
public record Capabilities(
    boolean edits,
    boolean deletes,
    boolean reactions,
    boolean replies,
    boolean threads,
    boolean attachments,
    long maxAttachmentBytes,
    int maxTextLength,
    PuppetingMode puppeting) {

  /** Checks the limits. @throws IllegalArgumentException if a limit is not positive */
  public Capabilities {
    Objects.requireNonNull(puppeting, "puppeting");
    if (maxTextLength <= 0) {
      throw new IllegalArgumentException("maxTextLength must be positive, was " + maxTextLength);
    }
    if (maxAttachmentBytes < 0) {
      throw new IllegalArgumentException("maxAttachmentBytes must not be negative, was " + maxAttachmentBytes);
    }
  }

  /** A builder that starts from "can do everything, 4096 characters, 10 MiB files, no puppeting". */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Capabilities}. */
  public static final class Builder {
    private boolean edits = true;
    private boolean deletes = true;
    private boolean reactions = true;
    private boolean replies = true;
    private boolean threads = true;
    private boolean attachments = true;
    private long maxAttachmentBytes = 10L * 1024 * 1024;
    private int maxTextLength = 4096;
    private PuppetingMode puppeting = PuppetingMode.NONE;

    Builder() {}

    /** Whether sent messages can be edited. */
    public Builder edits(boolean value) {
      this.edits = value;
      return this;
    }

    /** Whether sent messages can be deleted. */
    public Builder deletes(boolean value) {
      this.deletes = value;
      return this;
    }

    /** Whether reactions can be added and removed. */
    public Builder reactions(boolean value) {
      this.reactions = value;
      return this;
    }

    /** Whether a message can reply to another. */
    public Builder replies(boolean value) {
      this.replies = value;
      return this;
    }

    /** Whether messages can be posted in threads. */
    public Builder threads(boolean value) {
      this.threads = value;
      return this;
    }

    /** Whether files can be uploaded. */
    public Builder attachments(boolean value) {
      this.attachments = value;
      return this;
    }

    /** The largest file to upload; larger ones are sent as links. */
    public Builder maxAttachmentBytes(long value) {
      this.maxAttachmentBytes = value;
      return this;
    }

    /** The longest text one platform message may hold. */
    public Builder maxTextLength(int value) {
      this.maxTextLength = value;
      return this;
    }

    /** How the author of a bridged message can be shown. */
    public Builder puppeting(PuppetingMode value) {
      this.puppeting = value;
      return this;
    }

    /** The capabilities; checks that the limits are positive. */
    public Capabilities build() {
      return new Capabilities(edits, deletes, reactions, replies, threads, attachments,
          maxAttachmentBytes, maxTextLength, puppeting);
    }
  }
}
