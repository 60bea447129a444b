package coop.relay.spi;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message the relay asks a connector to post (or to put into an existing copy, for an edit).
 *
 * @param destination the channel to post into, on this connector
 * @param source the original message this is a copy of
 * @param author who wrote the original; connectors that can puppet show this name and avatar, others
 *     find the name already in the text (the name template)
 * @param text the content, rendered by this connector
 * @param attachments files to upload or link
 * @param replyTo the message on this platform to reply to, or {@code null}
 * @param threadRoot the thread on this platform to post into, or {@code null}
 * @param origin the marker to embed so the echo can be recognised
 */
public record OutboundMessage(
    ChannelRef destination,
    MessageRef source,
    Identity author,
    RenderedText text,
    List<OutboundAttachment> attachments,
    @Nullable MessageRef replyTo,
    @Nullable MessageRef threadRoot,
    OriginMarker origin) {

  /** Checks the components. */
  public OutboundMessage {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(origin, "origin");
  }
}
