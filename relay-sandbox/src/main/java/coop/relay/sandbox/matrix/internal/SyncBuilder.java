package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.internal.SandboxJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code /sync} responses and {@code /rooms/{roomId}/messages} pages from the event stream.
 *
 * <p>A token names a place in the server's event stream: {@code s<n>} (from {@code /sync}) and
 * {@code t<n>} (from pagination) both mean "after the event at position n". An incremental sync
 * returns the events after {@code since}; when a room has more than the timeline limit, only the
 * latest are returned with {@code limited: true}, a {@code prev_batch} just before them, and the
 * state changes of the gap in {@code state}, as the spec describes.
 */
final class SyncBuilder {
  static final int DEFAULT_TIMELINE_LIMIT = 10;
  private static final Set<String> STRIPPED_TYPES = Set.of(
      "m.room.create", "m.room.join_rules", "m.room.name", "m.room.avatar", "m.room.canonical_alias",
      "m.room.encryption", "m.room.topic");

  private final MatrixState state;

  SyncBuilder(MatrixState state) {
    this.state = state;
  }

  /**
   * Parses a sync or pagination token.
   *
   * @throws MatrixError M_INVALID_PARAM for anything else
   */
  static long position(String token) {
    if (token.length() > 1 && (token.charAt(0) == 's' || token.charAt(0) == 't')) {
      try {
        long pos = Long.parseLong(token.substring(1));
        if (pos >= 0) {
          return pos;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw MatrixError.invalidParam("Invalid stream token " + token);
  }

  /**
   * A sync response, or null when {@code force} is false and nothing changed for the user since
   * {@code since} (the caller then waits for new events).
   */
  @Nullable ObjectNode sync(Requester who, @Nullable Long since, SyncFilter filter, boolean fullState, boolean force) {
    synchronized (state) {
      long upper = state.position();
      long now = state.now();
      ObjectNode join = obj();
      ObjectNode invite = obj();
      ObjectNode leave = obj();
      for (MxRoom room : state.rooms.values()) {
        if (!filter.rooms().allowsRoom(room.id)) {
          continue;
        }
        MxEvent member = room.state("m.room.member", who.userId());
        if (member == null) {
          continue;
        }
        String membership = member.membership();
        boolean changed = since == null || member.pos > since;
        switch (membership == null ? "leave" : membership) {
          case "join" -> {
            boolean fresh = since == null || changed;
            ObjectNode r = roomSection(who, room, fresh ? null : since, upper, filter, fresh || fullState, now);
            if (r != null) {
              summary(room, who.userId(), r);
              join.set(room.id, r);
            }
          }
          case "invite" -> {
            if (changed) {
              invite.set(room.id, inviteSection(room, who.userId()));
            }
          }
          case "knock" -> {
            // Knocking is not emulated.
          }
          default -> {
            if (since == null ? filter.includeLeave() : changed && wasIn(room, who.userId(), since)) {
              ObjectNode r = roomSection(who, room, since, member.pos, filter, since == null || fullState, now);
              leave.set(room.id, r == null ? emptyRoom() : r);
            }
          }
        }
      }
      if (!force && join.isEmpty() && invite.isEmpty() && leave.isEmpty()) {
        return null;
      }
      ObjectNode out = obj();
      out.put("next_batch", "s" + upper);
      ObjectNode rooms = obj();
      if (!join.isEmpty()) {
        rooms.set("join", join);
      }
      if (!invite.isEmpty()) {
        rooms.set("invite", invite);
      }
      if (!leave.isEmpty()) {
        rooms.set("leave", leave);
      }
      if (!rooms.isEmpty()) {
        out.set("rooms", rooms);
      }
      return out;
    }
  }

  private static boolean wasIn(MxRoom room, String userId, long pos) {
    String m = room.membershipAt(userId, pos);
    return m.equals("join") || m.equals("invite");
  }

  private static ObjectNode emptyRoom() {
    ObjectNode r = obj();
    ObjectNode timeline = r.putObject("timeline");
    timeline.putArray("events");
    timeline.put("limited", false);
    r.putObject("state").putArray("events");
    return r;
  }

  /**
   * The timeline and state of one room for events in (lower, upper], or null if there is nothing to
   * say (no new events and no full state asked for).
   */
  private @Nullable ObjectNode roomSection(
      Requester who, MxRoom room, @Nullable Long lower, long upper, SyncFilter filter, boolean full, long now) {
    long from = lower == null ? 0 : lower;
    List<MxEvent> candidates = new ArrayList<>();
    for (int i = room.indexAfter(from); i < room.events.size(); i++) {
      MxEvent e = room.events.get(i);
      if (e.pos > upper) {
        break;
      }
      if (filter.timeline().allows(e)) {
        candidates.add(e);
      }
    }
    if (candidates.isEmpty() && !full) {
      return null;
    }
    int limit = filter.timeline().limitOr(DEFAULT_TIMELINE_LIMIT);
    boolean limited = candidates.size() > limit;
    List<MxEvent> shown = limited ? candidates.subList(candidates.size() - limit, candidates.size()) : candidates;
    long start = shown.isEmpty() ? upper + 1 : shown.get(0).pos;
    ObjectNode r = obj();
    ObjectNode timeline = r.putObject("timeline");
    ArrayNode list = timeline.putArray("events");
    for (MxEvent e : shown) {
      list.add(EventFormat.client(e, false, who.txnScope(), now, limited ? state.latestEdit(e) : null));
    }
    timeline.put("limited", limited);
    timeline.put("prev_batch", "t" + (start - 1));
    Map<MxRoom.StateKey, MxEvent> before = room.stateBefore(start);
    Map<MxRoom.StateKey, MxEvent> stateEvents = new LinkedHashMap<>();
    if (full) {
      stateEvents.putAll(before);
    } else if (limited) {
      // The state delta of the gap: every key that changed between since and the timeline's start.
      for (MxEvent e : room.events) {
        if (e.pos > from && e.pos < start && e.stateKey != null) {
          MxRoom.StateKey key = new MxRoom.StateKey(e.type, e.stateKey);
          stateEvents.put(key, before.get(key));
        }
      }
    }
    ArrayNode stateList = r.putObject("state").putArray("events");
    Set<String> senders = new LinkedHashSet<>();
    shown.forEach(e -> senders.add(e.sender));
    senders.add(who.userId());
    EventFilter stateFilter = filter.state();
    for (MxEvent e : stateEvents.values()) {
      if (e == null || !stateFilter.allows(e)) {
        continue;
      }
      if (stateFilter.lazyLoadMembers() && e.type.equals("m.room.member") && !senders.contains(e.stateKey)) {
        continue;
      }
      stateList.add(EventFormat.client(e, false, who.txnScope(), now, null));
    }
    return r;
  }

  private static void summary(MxRoom room, String userId, ObjectNode r) {
    ObjectNode summary = r.putObject("summary");
    summary.put("m.joined_member_count", room.joinedMembers().size());
    summary.put("m.invited_member_count", room.members("invite").size());
    if (room.name() == null && room.state("m.room.canonical_alias", "") == null) {
      ArrayNode heroes = summary.putArray("m.heroes");
      List<String> members = new ArrayList<>(room.joinedMembers());
      members.addAll(room.members("invite"));
      members.stream().filter(m -> !m.equals(userId)).limit(5).forEach(heroes::add);
    }
  }

  private static ObjectNode inviteSection(MxRoom room, String userId) {
    ObjectNode r = obj();
    ArrayNode events = r.putObject("invite_state").putArray("events");
    room.state.forEach((key, e) -> {
      if (STRIPPED_TYPES.contains(key.type()) && !e.redacted()) {
        events.add(EventFormat.stripped(e));
      }
    });
    MxEvent invite = room.state("m.room.member", userId);
    if (invite != null) {
      MxEvent inviter = room.state("m.room.member", invite.sender);
      if (inviter != null && !invite.sender.equals(userId)) {
        events.add(EventFormat.stripped(inviter));
      }
      events.add(EventFormat.stripped(invite));
    }
    return r;
  }

  /** Where a user may read a room up to: now while joined, their leaving while left; -1 if never. */
  static long visibleUpTo(MxRoom room, String userId, long now) {
    MxEvent member = room.state("m.room.member", userId);
    if (member == null) {
      return -1;
    }
    if ("join".equals(member.membership())) {
      return now;
    }
    MxEvent joined = null;
    for (MxEvent e : room.events) {
      if (e.type.equals("m.room.member") && userId.equals(e.stateKey) && "join".equals(e.membership())) {
        joined = e;
      }
    }
    return joined == null ? -1 : member.pos;
  }

  /** A page of {@code /rooms/{roomId}/messages}. */
  ObjectNode messages(Requester who, String roomId, @Nullable String fromToken, @Nullable String toToken, String dir, int limit, EventFilter filter) {
    synchronized (state) {
      MxRoom room = state.rooms.get(roomId);
      long upper = state.position();
      long visible = room == null ? -1 : visibleUpTo(room, who.userId(), upper);
      if (room == null || visible < 0) {
        throw MatrixError.forbidden("User " + who.userId() + " not in room " + roomId + ", and room previews are disabled");
      }
      boolean backwards = dir.equals("b");
      long from = fromToken == null ? (backwards ? upper : 0) : position(fromToken);
      Long to = toToken == null ? null : position(toToken);
      long now = state.now();
      List<MxEvent> chunk = new ArrayList<>();
      boolean more = false;
      if (backwards) {
        long floor = to == null ? 0 : to;
        for (int i = room.indexAfter(Math.min(from, visible)) - 1; i >= 0; i--) {
          MxEvent e = room.events.get(i);
          if (e.pos <= floor) {
            break;
          }
          if (!filter.allows(e)) {
            continue;
          }
          if (chunk.size() == limit) {
            more = true;
            break;
          }
          chunk.add(e);
        }
      } else {
        long ceiling = Math.min(to == null ? upper : to, visible);
        for (int i = room.indexAfter(from); i < room.events.size(); i++) {
          MxEvent e = room.events.get(i);
          if (e.pos > ceiling) {
            break;
          }
          if (!filter.allows(e)) {
            continue;
          }
          if (chunk.size() == limit) {
            more = true;
            break;
          }
          chunk.add(e);
        }
      }
      ObjectNode out = obj();
      out.put("start", fromToken == null ? "t" + from : fromToken);
      ArrayNode list = out.putArray("chunk");
      Set<String> senders = new LinkedHashSet<>();
      for (MxEvent e : chunk) {
        list.add(EventFormat.client(e, true, who.txnScope(), now, state.latestEdit(e)));
        senders.add(e.sender);
      }
      if (more && !chunk.isEmpty()) {
        MxEvent last = chunk.get(chunk.size() - 1);
        out.put("end", "t" + (backwards ? last.pos - 1 : last.pos));
      }
      if (filter.lazyLoadMembers()) {
        ArrayNode members = out.putArray("state");
        for (String sender : senders) {
          MxEvent m = room.state("m.room.member", sender);
          if (m != null) {
            members.add(EventFormat.client(m, true, who.txnScope(), now, null));
          }
        }
      }
      return out;
    }
  }

  /** {@code GET /rooms/{roomId}/event/{eventId}}. */
  ObjectNode event(Requester who, String roomId, String eventId) {
    synchronized (state) {
      MxRoom room = state.rooms.get(roomId);
      MxEvent e = room == null ? null : room.byId.get(eventId);
      long visible = room == null ? -1 : visibleUpTo(room, who.userId(), state.position());
      if (e == null || e.pos > visible) {
        throw MatrixError.notFound("Event not found.");
      }
      return EventFormat.client(e, true, who.txnScope(), state.now(), state.latestEdit(e));
    }
  }

  private static ObjectNode obj() {
    return SandboxJson.mapper().createObjectNode();
  }
}
