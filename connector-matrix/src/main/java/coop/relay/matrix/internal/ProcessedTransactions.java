package coop.relay.matrix.internal;

import coop.relay.spi.CursorStore;
import coop.relay.support.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The ids of the last transactions the homeserver pushed and the connector relayed, kept in the
 * cursor store as {@value #CURSOR}: a transaction pushed again (the homeserver did not get the answer)
 * is acknowledged without relaying its events twice, also after a restart. Thread-safe.
 */
final class ProcessedTransactions {
  static final String CURSOR = "appservice.transactions";
  private static final int REMEMBERED = 64;

  private final CursorStore.Scoped cursors;
  private final Deque<String> order = new ArrayDeque<>();
  private final Set<String> ids = new HashSet<>();

  ProcessedTransactions(CursorStore.Scoped cursors) {
    this.cursors = cursors;
    cursors.load(CURSOR).ifPresent(saved -> {
      try {
        for (JsonNode id : Json.mapper().readTree(saved)) {
          remember(id.asString(""));
        }
      } catch (JacksonException e) {
        // A damaged cursor only means a repeated transaction might be relayed again; dedup catches that.
      }
    });
  }

  synchronized boolean contains(String txnId) {
    return ids.contains(txnId);
  }

  /** Records {@code txnId} as relayed and saves the list. */
  synchronized void add(String txnId) {
    if (!remember(txnId)) {
      return;
    }
    ArrayNode saved = Json.mapper().createArrayNode();
    order.forEach(saved::add);
    cursors.save(CURSOR, saved.toString());
  }

  private boolean remember(String txnId) {
    if (txnId.isEmpty() || !ids.add(txnId)) {
      return false;
    }
    order.addLast(txnId);
    while (order.size() > REMEMBERED) {
      ids.remove(order.removeFirst());
    }
    return true;
  }
}
