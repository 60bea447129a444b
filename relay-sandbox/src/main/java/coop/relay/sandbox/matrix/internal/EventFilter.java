package coop.relay.sandbox.matrix.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@code RoomEventFilter}: which events to include by type, sender, room and {@code url}, how many,
 * and whether to lazy-load members. Types may use {@code *} as a wildcard; an absent list includes
 * everything, and the {@code not_} lists win over the others.
 */
record EventFilter(
    @Nullable Integer limit,
    @Nullable List<Pattern> types,
    List<Pattern> notTypes,
    @Nullable List<String> senders,
    List<String> notSenders,
    @Nullable List<String> rooms,
    List<String> notRooms,
    @Nullable Boolean containsUrl,
    boolean lazyLoadMembers) {

  static final EventFilter ALL = new EventFilter(null, null, List.of(), null, List.of(), null, List.of(), null, false);

  /**
   * Reads a filter object.
   *
   * @throws MatrixError M_BAD_JSON if a field has the wrong type or {@code limit} is not positive
   */
  static EventFilter parse(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return ALL;
    }
    if (!node.isObject()) {
      throw MatrixError.badJson("a RoomEventFilter must be a JSON object");
    }
    Integer limit = null;
    if (node.has("limit")) {
      JsonNode l = node.get("limit");
      if (!l.isIntegralNumber() || l.asLong() < 1) {
        throw MatrixError.badJson("filter limit must be an integer greater than 0");
      }
      limit = (int) Math.min(Integer.MAX_VALUE, l.asLong());
    }
    List<String> types = strings(node, "types");
    List<String> notTypes = strings(node, "not_types");
    Boolean containsUrl = null;
    if (node.has("contains_url")) {
      if (!node.get("contains_url").isBoolean()) {
        throw MatrixError.badJson("contains_url must be a boolean");
      }
      containsUrl = node.get("contains_url").asBoolean();
    }
    return new EventFilter(
        limit,
        types == null ? null : types.stream().map(EventFilter::wildcard).toList(),
        notTypes == null ? List.of() : notTypes.stream().map(EventFilter::wildcard).toList(),
        strings(node, "senders"),
        orEmpty(strings(node, "not_senders")),
        strings(node, "rooms"),
        orEmpty(strings(node, "not_rooms")),
        containsUrl,
        node.path("lazy_load_members").asBoolean(false));
  }

  private static List<String> orEmpty(@Nullable List<String> list) {
    return list == null ? List.of() : list;
  }

  private static @Nullable List<String> strings(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw MatrixError.badJson("filter field " + field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : value) {
      if (!v.isString()) {
        throw MatrixError.badJson("filter field " + field + " must be a list of strings");
      }
      out.add(v.asString());
    }
    return out;
  }

  private static Pattern wildcard(String glob) {
    String[] parts = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!parts[i].isEmpty()) {
        regex.append(Pattern.quote(parts[i]));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  boolean allowsRoom(String roomId) {
    return !notRooms.contains(roomId) && (rooms == null || rooms.contains(roomId));
  }

  boolean allows(MxEvent e) {
    if (!allowsRoom(e.roomId)) {
      return false;
    }
    if (notSenders.contains(e.sender) || (senders != null && !senders.contains(e.sender))) {
      return false;
    }
    for (Pattern p : notTypes) {
      if (p.matcher(e.type).matches()) {
        return false;
      }
    }
    if (types != null && types.stream().noneMatch(p -> p.matcher(e.type).matches())) {
      return false;
    }
    if (containsUrl != null && containsUrl != e.content.has("url")) {
      return false;
    }
    return true;
  }

  int limitOr(int fallback) {
    return limit == null ? fallback : limit;
  }
}
