package coop.relay.sandbox.matrix.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A room: its events in stream order and its current state. Guarded by the state's lock. */
final class MxRoom {
  /** The key of a piece of room state. */
  record StateKey(String type, String stateKey) {}

  final String id;
  final String version;
  final List<MxEvent> events = new ArrayList<>();
  final Map<StateKey, MxEvent> state = new LinkedHashMap<>();
  final Map<String, MxEvent> byId = new HashMap<>();
  final Set<String> aliases = new LinkedHashSet<>();

  MxRoom(String id, String version) {
    this.id = id;
    this.version = version;
  }

  @Nullable MxEvent state(String type, String stateKey) {
    return state.get(new StateKey(type, stateKey));
  }

  /** The user's current membership, or "leave" if they never had one. */
  String membership(String userId) {
    MxEvent member = state("m.room.member", userId);
    String m = member == null ? null : member.membership();
    return m == null ? "leave" : m;
  }

  /** The user's membership event in force at stream position {@code pos} (inclusive), or null. */
  @Nullable MxEvent memberAt(String userId, long pos) {
    MxEvent found = null;
    for (MxEvent e : events) {
      if (e.pos > pos) {
        break;
      }
      if (e.type.equals("m.room.member") && userId.equals(e.stateKey)) {
        found = e;
      }
    }
    return found;
  }

  String membershipAt(String userId, long pos) {
    MxEvent e = memberAt(userId, pos);
    String m = e == null ? null : e.membership();
    return m == null ? "leave" : m;
  }

  /** The room state just before stream position {@code pos} (events with a lower position). */
  Map<StateKey, MxEvent> stateBefore(long pos) {
    Map<StateKey, MxEvent> out = new LinkedHashMap<>();
    for (MxEvent e : events) {
      if (e.pos >= pos) {
        break;
      }
      if (e.stateKey != null) {
        out.put(new StateKey(e.type, e.stateKey), e);
      }
    }
    return out;
  }

  List<String> joinedMembers() {
    List<String> out = new ArrayList<>();
    state.forEach((k, e) -> {
      if (k.type().equals("m.room.member") && "join".equals(e.membership())) {
        out.add(k.stateKey());
      }
    });
    return out;
  }

  List<String> members(String membership) {
    List<String> out = new ArrayList<>();
    state.forEach((k, e) -> {
      if (k.type().equals("m.room.member") && membership.equals(e.membership())) {
        out.add(k.stateKey());
      }
    });
    return out;
  }

  /** The index of the first event with a position above {@code pos}. */
  int indexAfter(long pos) {
    int lo = 0;
    int hi = events.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (events.get(mid).pos <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Nullable String name() {
    MxEvent e = state("m.room.name", "");
    return e == null || e.redacted() ? null : e.content.path("name").asString(null);
  }

  String joinRule() {
    MxEvent e = state("m.room.join_rules", "");
    return e == null ? "invite" : e.content.path("join_rule").asString("invite");
  }

  /** A user's power level by the current m.room.power_levels. */
  long powerLevel(String userId) {
    MxEvent pl = state("m.room.power_levels", "");
    if (pl == null) {
      MxEvent create = state("m.room.create", "");
      return create != null && create.sender.equals(userId) ? 100 : 0;
    }
    var users = pl.content.path("users");
    if (users.has(userId)) {
      return users.get(userId).asLong(0);
    }
    return pl.content.path("users_default").asLong(0);
  }

  /** The level needed to send an event of {@code type} ({@code state} for state events). */
  long requiredLevel(String type, boolean state) {
    MxEvent pl = state("m.room.power_levels", "");
    if (pl == null) {
      return 0;
    }
    var events = pl.content.path("events");
    if (events.has(type)) {
      return events.get(type).asLong(0);
    }
    return state ? pl.content.path("state_default").asLong(50) : pl.content.path("events_default").asLong(0);
  }

  long level(String action, long fallback) {
    MxEvent pl = state("m.room.power_levels", "");
    return pl == null ? fallback : pl.content.path(action).asLong(fallback);
  }
}
