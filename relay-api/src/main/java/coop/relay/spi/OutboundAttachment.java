package coop.relay.spi;

import coop.relay.api.Attachment;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * An attachment to upload, with a lazy source of its bytes: subscribing to {@code content} downloads
 * it from the source platform, so a connector that sends a link instead (the file is above its
 * limit) costs no download.
 *
 * @param attachment what the file is
 * @param content the bytes, fetched on subscription
 */
public record OutboundAttachment(Attachment attachment, Mono<byte[]> content) {
  /** Checks the components. */
  public OutboundAttachment {
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(content, "content");
  }
}
