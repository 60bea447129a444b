package coop.relay.testkit.internal;

import coop.relay.api.Attachment;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.RichText;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message about to be posted.
 *
 * @param author who the platform shows as author
 * @param byBridge whether a connector posts it
 * @param text the content
 * @param markup the content as platform markup
 * @param attachments files already stored on the platform
 * @param replyToId the message replied to, in the same channel, or {@code null}
 * @param threadRootId the thread to post in, or {@code null}
 * @param origin the bridge's origin marker, or {@code null}
 * @param actorRelayId the relay whose connector posts it, or {@code null}
 */
public record Draft(Account author, boolean byBridge, RichText text, String markup, List<Attachment> attachments,
    @Nullable String replyToId, @Nullable String threadRootId, @Nullable OriginMarker origin,
    @Nullable String actorRelayId) {
  /** @throws NullPointerException if the author, text or markup is missing */
  public Draft {
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(markup, "markup");
    attachments = List.copyOf(attachments);
  }
}
