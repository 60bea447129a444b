package coop.relay.matrix.internal;

import coop.relay.support.BoundedMap;
import org.jspecify.annotations.Nullable;

/**
 * The display names and avatars of room members, as {@code m.room.member} events told them: Matrix
 * names are per room, and events carry only the sender's id. Bounded, thread-safe.
 */
final class MemberDirectory {
  /** One member's profile in one room. */
  record Member(@Nullable String displayName, @Nullable String avatarUrl) {}

  private record Key(String roomId, String userId) {}

  private final BoundedMap<Key, Member> members;

  MemberDirectory(int capacity) {
    this.members = new BoundedMap<>(capacity);
  }

  /** Records a membership event's content. */
  void update(String roomId, String userId, @Nullable String displayName, @Nullable String avatarUrl) {
    members.put(new Key(roomId, userId), new Member(displayName, avatarUrl));
  }

  /** What is known about {@code userId} in {@code roomId}, or {@code null}. */
  @Nullable Member get(String roomId, String userId) {
    return members.get(new Key(roomId, userId));
  }

  /** Whether the member is known. */
  boolean knows(String roomId, String userId) {
    return members.containsKey(new Key(roomId, userId));
  }

  /** The localpart of a user id, the name to show when the member's own name is unknown. */
  static String localpart(String userId) {
    int colon = userId.indexOf(':');
    return userId.startsWith("@") && colon > 1 ? userId.substring(1, colon) : userId;
  }
}
