package coop.relay.testkit.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.Message;
import coop.relay.api.OriginMarker;
import coop.relay.api.Reply;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import org.jspecify.annotations.Nullable;

/** Turns log entries into the events one connector reports, the way a connector parses platform payloads. */
final class InboundTranslator {
  private InboundTranslator() {}

  /**
   * The event for {@code entry} as the connector {@code connectorId} reports it.
   *
   * @throws IllegalArgumentException when the payload is malformed
   */
  static ChannelEvent translate(LogEntry entry, String connectorId) {
    ChannelRef channel = new ChannelRef(connectorId, entry.channelId());
    Payload payload = entry.payload();
    if (payload instanceof Payload.Posted p) {
      Message message = Message.builder(channel.message(p.messageId()), p.author().toIdentity(connectorId))
          .text(p.text())
          .attachments(p.attachments())
          .replyTo(p.replyToId() == null ? null
              : new Reply(channel.message(p.replyToId()), p.replyToAuthorName(), p.replyToExcerpt()))
          .threadRoot(p.threadRootId() == null ? null : channel.message(p.threadRootId()))
          .timestamp(p.timestamp())
          .origin(p.origin())
          .build();
      return new MessageCreated(message);
    }
    if (payload instanceof Payload.Edited e) {
      return new MessageEdited(e.eventId(), channel.message(e.messageId()), e.editor().toIdentity(connectorId),
          e.text(), e.attachments(), e.at(), e.origin());
    }
    if (payload instanceof Payload.Deleted d) {
      return new MessageDeleted(d.eventId(), channel.message(d.messageId()), d.at());
    }
    if (payload instanceof Payload.Reacted r) {
      return r.added()
          ? new ReactionAdded(r.eventId(), channel.message(r.messageId()), r.user().toIdentity(connectorId),
              r.emoji(), r.at())
          : new ReactionRemoved(r.eventId(), channel.message(r.messageId()), r.user().toIdentity(connectorId),
              r.emoji(), r.at());
    }
    if (payload instanceof Payload.Malformed m) {
      throw new IllegalArgumentException("unparseable payload of " + m.raw().length() + " characters");
    }
    throw new IllegalStateException("no translation for payload " + payload.getClass().getName());
  }

  /** Whether the relay {@code relayId} caused the entry: its marker is on it, or its connector did it. */
  static boolean isEchoOf(LogEntry entry, String relayId) {
    if (relayId.equals(entry.actorRelayId())) {
      return true;
    }
    OriginMarker origin = originOf(entry.payload());
    return origin != null && origin.relayId().equals(relayId);
  }

  private static @Nullable OriginMarker originOf(Payload payload) {
    if (payload instanceof Payload.Posted p) {
      return p.origin();
    }
    if (payload instanceof Payload.Edited e) {
      return e.origin();
    }
    return null;
  }
}
