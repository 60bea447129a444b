package coop.relay.sandbox.matrix.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The parts of a sync {@code Filter} the emulator applies: the room list, the timeline and state
 * event filters, and {@code include_leave}. Presence, account data and ephemeral events are never
 * produced, so their filters have nothing to do.
 */
record SyncFilter(EventFilter rooms, EventFilter timeline, EventFilter state, boolean includeLeave) {

  static final SyncFilter DEFAULT = new SyncFilter(EventFilter.ALL, EventFilter.ALL, EventFilter.ALL, false);

  /**
   * Reads a filter definition.
   *
   * @throws MatrixError M_BAD_JSON if it is not a valid filter
   */
  static SyncFilter parse(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT;
    }
    if (!node.isObject()) {
      throw MatrixError.badJson("a filter must be a JSON object");
    }
    if (node.has("event_format") && !node.get("event_format").asString("").matches("client|federation")) {
      throw MatrixError.badJson("event_format must be client or federation");
    }
    JsonNode room = node.path("room");
    if (!room.isMissingNode() && !room.isObject()) {
      throw MatrixError.badJson("the room filter must be a JSON object");
    }
    EventFilter roomList = EventFilter.parse(room.isObject() ? stripped(room) : null);
    return new SyncFilter(
        roomList,
        EventFilter.parse(room.get("timeline")),
        EventFilter.parse(room.get("state")),
        room.path("include_leave").asBoolean(false));
  }

  // The RoomFilter's own rooms/not_rooms are the only fields an EventFilter reads from it.
  private static JsonNode stripped(JsonNode room) {
    var out = coop.relay.sandbox.internal.SandboxJson.mapper().createObjectNode();
    if (room.has("rooms")) {
      out.set("rooms", room.get("rooms"));
    }
    if (room.has("not_rooms")) {
      out.set("not_rooms", room.get("not_rooms"));
    }
    return out;
  }
}
