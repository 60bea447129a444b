package coop.relay.testkit.internal;

import coop.relay.testkit.ChannelStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** One channel: its messages in posting order and the connectors' operation counts. Guarded by the engine's lock. */
final class ChannelState {
  final String id;
  final Map<String, StoredMessage> messages = new LinkedHashMap<>();
  long posts;
  long edits;
  long deletes;
  long reactionsAdded;
  long reactionsRemoved;
  long failures;

  ChannelState(String id) {
    this.id = id;
  }

  ChannelStats stats() {
    return new ChannelStats(posts, edits, deletes, reactionsAdded, reactionsRemoved, failures);
  }
}
