package coop.relay.api.event;

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
 * A message was edited; {@code text} is its whole new content.
 *
 * @param eventId the edit's id, e.g. the Matrix edit event id or the message id plus the edit time
 * @param target the edited message
 * @param editor who edited it (usually the author)
 * @param text the new text
 * @param attachments the attachments after the edit
 * @param editedAt when the edit happened
 * @param origin the origin marker when a relay made the edit, else {@code null}
 */
public record MessageEdited(
    String eventId,
    MessageRef target,
    Identity editor,
    RichText text,
    List<Attachment> attachments,
    Instant editedAt,
    @Nullable OriginMarker origin)
    implements ChannelEvent {

  /** Checks the components. */
  public MessageEdited {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(editor, "editor");
    Objects.requireNonNull(text, "text");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(editedAt, "editedAt");
  }
}
