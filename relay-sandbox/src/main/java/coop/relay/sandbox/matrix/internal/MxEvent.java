package coop.relay.sandbox.matrix.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One room event as the homeserver stores it. {@code pos} is its place in the server's event stream,
 * which orders every event of every room and backs the sync and pagination tokens. Redaction
 * replaces {@code content} with what the room version's redaction algorithm keeps. Guarded by the
 * state's lock.
 */
final class MxEvent {
  final long pos;
  final String eventId;
  final String roomId;
  final String type;
  final @Nullable String stateKey;
  final String sender;
  final long ts;
  ObjectNode content;
  /** The state event this one replaced, for {@code unsigned.prev_content} and {@code replaces_state}. */
  final @Nullable MxEvent replaces;
  /** Who sent it with which transaction id, so that only that client sees {@code transaction_id}. */
  final @Nullable String txnScope;
  final @Nullable String txnId;
  @Nullable MxEvent redactedBecause;
  /** Whether it was sent as an edit ({@code m.replace}); kept after redaction breaks the relation. */
  final boolean edit;

  MxEvent(
      long pos,
      String eventId,
      String roomId,
      String type,
      @Nullable String stateKey,
      String sender,
      long ts,
      ObjectNode content,
      @Nullable MxEvent replaces,
      @Nullable String txnScope,
      @Nullable String txnId) {
    this.pos = pos;
    this.eventId = eventId;
    this.roomId = roomId;
    this.type = type;
    this.stateKey = stateKey;
    this.sender = sender;
    this.ts = ts;
    this.content = content;
    this.replaces = replaces;
    this.txnScope = txnScope;
    this.txnId = txnId;
    this.edit = "m.replace".equals(relType());
  }

  boolean isState() {
    return stateKey != null;
  }

  boolean redacted() {
    return redactedBecause != null;
  }

  /** {@code content["m.relates_to"]["rel_type"]}, or null. */
  @Nullable String relType() {
    JsonNode rel = content.get("m.relates_to");
    return rel != null && rel.path("rel_type").isString() ? rel.get("rel_type").asString() : null;
  }

  /** {@code content["m.relates_to"]["event_id"]}, or null. */
  @Nullable String relatesTo() {
    JsonNode rel = content.get("m.relates_to");
    return rel != null && rel.path("event_id").isString() ? rel.get("event_id").asString() : null;
  }

  /** The membership this member event sets, or null for other events. */
  @Nullable String membership() {
    return type.equals("m.room.member") ? content.path("membership").asString(null) : null;
  }

  @Override
  public String toString() {
    return "MxEvent[" + pos + " " + type + " " + eventId + " in " + roomId + "]";
  }
}
