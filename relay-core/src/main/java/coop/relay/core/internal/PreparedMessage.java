package coop.relay.core.internal;

import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.spi.Connector;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.RenderedText;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A message after the interceptors, rendered once for one connector and shared by every delivery to
 * that connector's channels. The variant with a quote of the replied-to message is rendered only
 * when some destination has no copy of the reply target.
 */
final class PreparedMessage {
  final Message message;
  final MessageRef canonical;
  final RenderedText rendered;
  final @Nullable MessageRef replyCanonical;
  final @Nullable MessageRef threadCanonical;
  final List<OutboundAttachment> attachments;
  private final Connector connector;
  private volatile @Nullable RenderedText quoted;

  PreparedMessage(Message message, MessageRef canonical, Connector connector, @Nullable MessageRef replyCanonical,
      @Nullable MessageRef threadCanonical, List<OutboundAttachment> attachments) {
    this.message = message;
    this.canonical = canonical;
    this.connector = connector;
    this.rendered = connector.render(message.text());
    this.replyCanonical = replyCanonical;
    this.threadCanonical = threadCanonical;
    this.attachments = attachments;
  }

  /** The text with a quote of the reply target in front; rendered on first use. */
  RenderedText quoted() {
    RenderedText value = quoted;
    if (value == null) {
      value = message.replyTo() == null
          ? rendered
          : connector.render(ReplyQuote.prepend(message.replyTo(), message.text()));
      quoted = value;
    }
    return value;
  }
}
