package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.internal.SandboxJson;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns stored events into the client-server API's {@code ClientEvent} format, and implements the
 * redaction algorithm of room versions 11 and 12.
 */
final class EventFormat {

  // Room version 11 keeps these content keys of these event types when redacting; all others go.
  private static final Map<String, Set<String>> KEPT_CONTENT = Map.of(
      "m.room.member", Set.of("membership", "join_authorised_via_users_server"),
      "m.room.join_rules", Set.of("join_rule", "allow"),
      "m.room.power_levels", Set.of(
          "ban", "events", "events_default", "invite", "kick", "redact", "state_default", "users", "users_default"),
      "m.room.history_visibility", Set.of("history_visibility"),
      "m.room.redaction", Set.of("redacts"));

  private EventFormat() {}

  /** What the redaction algorithm leaves of {@code content} for an event of {@code type}. */
  static ObjectNode redactedContent(String type, ObjectNode content) {
    ObjectNode out = SandboxJson.mapper().createObjectNode();
    if (type.equals("m.room.create")) {
      out.setAll(content);
      return out;
    }
    Set<String> kept = KEPT_CONTENT.getOrDefault(type, Set.of());
    for (String key : kept) {
      if (content.has(key)) {
        out.set(key, content.get(key));
      }
    }
    if (type.equals("m.room.member") && content.path("third_party_invite").has("signed")) {
      out.putObject("third_party_invite").set("signed", content.get("third_party_invite").get("signed"));
    }
    return out;
  }

  /**
   * The event as a client sees it.
   *
   * @param withRoomId false inside /sync, where the room id is the key of the room
   * @param viewerScope the transaction scope of the client asking, which sees its own {@code
   *     transaction_id}; null for application service pushes
   * @param now the server time in milliseconds, for {@code unsigned.age}
   * @param latestEdit the most recent valid {@code m.replace} of this event, bundled as the spec's
   *     aggregation, or null
   */
  static ObjectNode client(MxEvent e, boolean withRoomId, @Nullable String viewerScope, long now, @Nullable MxEvent latestEdit) {
    ObjectNode o = SandboxJson.mapper().createObjectNode();
    o.put("type", e.type);
    o.set("content", e.content.deepCopy());
    o.put("event_id", e.eventId);
    o.put("sender", e.sender);
    o.put("origin_server_ts", e.ts);
    if (withRoomId) {
      o.put("room_id", e.roomId);
    }
    if (e.stateKey != null) {
      o.put("state_key", e.stateKey);
    }
    // Room version 11 moved redacts into content; servers still add it on top for older clients.
    if (e.type.equals("m.room.redaction") && e.content.path("redacts").isString()) {
      o.put("redacts", e.content.get("redacts").asString());
    }
    ObjectNode unsigned = o.putObject("unsigned");
    unsigned.put("age", Math.max(0, now - e.ts));
    if (viewerScope != null && viewerScope.equals(e.txnScope) && e.txnId != null) {
      unsigned.put("transaction_id", e.txnId);
    }
    if (e.replaces != null) {
      unsigned.put("replaces_state", e.replaces.eventId);
      unsigned.set("prev_content", e.replaces.content.deepCopy());
    }
    if (e.redactedBecause != null) {
      unsigned.set("redacted_because", client(e.redactedBecause, withRoomId, null, now, null));
    } else if (latestEdit != null) {
      unsigned.putObject("m.relations").set("m.replace", client(latestEdit, withRoomId, null, now, null));
    }
    return o;
  }

  /** The stripped state event of invite and knock state. */
  static ObjectNode stripped(MxEvent e) {
    ObjectNode o = SandboxJson.mapper().createObjectNode();
    o.put("type", e.type);
    o.put("state_key", e.stateKey == null ? "" : e.stateKey);
    o.put("sender", e.sender);
    o.set("content", e.content.deepCopy());
    return o;
  }

  static boolean isObject(@Nullable JsonNode n) {
    return n != null && n.isObject();
  }
}
