package coop.relay.testkit.internal;

import coop.relay.api.Attachment;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the platform puts on the wire for one event, before a connector turns it into an
 * {@link coop.relay.api.event.InboundEvent}. Sealed so that the translation handles every kind.
 */
public sealed interface Payload {

  /** A message appeared; {@code replyTo*} describe the target as platforms include it. */
  record Posted(
      String messageId,
      Account author,
      boolean byBridge,
      RichText text,
      List<Attachment> attachments,
      @Nullable String replyToId,
      @Nullable String replyToAuthorName,
      RichText replyToExcerpt,
      @Nullable String threadRootId,
      Instant timestamp,
      @Nullable OriginMarker origin) implements Payload {
    /** Copies the attachments. */
    public Posted {
      attachments = List.copyOf(attachments);
    }
  }

  /** A message's content was replaced. */
  record Edited(String eventId, String messageId, Account editor, RichText text, List<Attachment> attachments,
      Instant at, @Nullable OriginMarker origin) implements Payload {
    /** Copies the attachments. */
    public Edited {
      attachments = List.copyOf(attachments);
    }
  }

  /** A message was deleted. */
  record Deleted(String eventId, String messageId, Instant at) implements Payload {}

  /** A reaction was added ({@code added}) or removed. */
  record Reacted(String eventId, String messageId, Account user, Emoji emoji, boolean added, Instant at)
      implements Payload {}

  /** Something no connector can make sense of: a broken frame, a schema the connector does not know. */
  record Malformed(String raw) implements Payload {}
}
