package coop.relay.telegram.internal;

import coop.relay.spi.CursorStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Basic groups that Telegram upgraded to supergroups. Telegram then refuses every request to the
 * old id ({@code parameters.migrate_to_chat_id}); the connector remembers the new id, keeps it in
 * the cursor store so that it survives restarts, sends there from then on, and reports the move so
 * that people update the bridge. Thread-safe.
 */
final class ChatMigrations {
  private static final String CURSOR_PREFIX = "migrated.";
  private static final String NOT_MOVED = "";

  private final Map<String, String> moves = new ConcurrentHashMap<>();
  private volatile CursorStore.@Nullable Scoped cursors;
  private volatile Consumer<String> onMove = detail -> { };

  /** Reads and keeps moves in {@code store} from now on. */
  void attach(CursorStore.Scoped store) {
    this.cursors = store;
    moves.values().removeIf(NOT_MOVED::equals);
  }

  /** Where reports of a move go (the running connection's stream). */
  void onMove(Consumer<String> listener) {
    this.onMove = listener;
  }

  /** The chat to send to for {@code chatId}: the supergroup it became, following repeated moves. */
  String target(String chatId) {
    String current = chatId;
    for (int hops = 0; hops < 8; hops++) {
      String next = moves.computeIfAbsent(current, this::stored);
      if (next.equals(NOT_MOVED)) {
        return current;
      }
      current = next;
    }
    return current;
  }

  /** Records that {@code from} became {@code to}; reports it the first time. */
  void moved(String from, String to) {
    if (from.equals(to) || to.equals(moves.put(from, to))) {
      return;
    }
    CursorStore.Scoped store = cursors;
    if (store != null) {
      store.save(CURSOR_PREFIX + from, to);
    }
    onMove.accept("Telegram chat " + from + " was upgraded to the supergroup " + to + ": the connector now sends"
        + " what is bridged to " + from + " into " + to + " and relays what is posted in " + to + " as " + from
        + ". Replace " + from + " by " + to + " in the bridge configuration; messages from before the upgrade can no"
        + " longer be edited, deleted or reacted to.");
  }

  /**
   * The channel under which messages of {@code chatId} appear: the chat itself, unless it is the
   * supergroup a bridged group became while the supergroup itself is not bridged (yet).
   */
  String channelFor(String chatId, java.util.Set<String> bridged) {
    if (bridged.contains(chatId)) {
      return chatId;
    }
    for (String channel : bridged) {
      if (target(channel).equals(chatId)) {
        return channel;
      }
    }
    return chatId;
  }

  private String stored(String chatId) {
    CursorStore.Scoped store = cursors;
    return store == null ? NOT_MOVED : store.load(CURSOR_PREFIX + chatId).orElse(NOT_MOVED);
  }
}
