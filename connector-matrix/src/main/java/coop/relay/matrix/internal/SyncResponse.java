package coop.relay.matrix.internal;

import coop.relay.api.DeliveryException;
import coop.relay.support.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The parts of a {@code /sync} answer the connector reads: the next batch token, and per joined room
 * its timeline (with {@code limited} and {@code prev_batch}) and state. Everything else (presence,
 * account data, device lists, unread counts) is skipped by the parser without building it. Events
 * stay JSON trees here, so that one malformed event is skipped alone by {@link EventDecoder}.
 *
 * @param nextBatch the token to sync from next
 * @param rooms the rooms part, or {@code null} when nothing happened
 */
record SyncResponse(@Nullable String nextBatch, @Nullable Rooms rooms) {

  /** The rooms the account is in and is invited to. */
  record Rooms(@Nullable Map<String, JoinedRoom> join, @Nullable Map<String, JsonNode> invite) {}

  /** What happened in one joined room. */
  record JoinedRoom(@Nullable Timeline timeline, @Nullable Events state) {}

  /** A room's new events, oldest first. */
  record Timeline(@Nullable List<JsonNode> events, boolean limited, @Nullable String prevBatch) {}

  /** A list of events. */
  record Events(@Nullable List<JsonNode> events) {}

  /**
   * Reads an answer.
   *
   * @throws DeliveryException (transient) when it is not a sync answer, so the same poll is tried again
   */
  static SyncResponse read(byte[] body) {
    SyncResponse response;
    try {
      response = Json.mapper().readValue(body, SyncResponse.class);
    } catch (JacksonException e) {
      throw DeliveryException.transientFailure("the homeserver answered /sync with malformed JSON; retrying", e);
    }
    if (response == null || response.nextBatch() == null || response.nextBatch().isEmpty()) {
      throw DeliveryException.transientFailure("the homeserver answered /sync without next_batch; retrying", null);
    }
    return response;
  }

  /** The joined rooms, empty when none. */
  Map<String, JoinedRoom> joined() {
    Rooms r = rooms;
    return r == null || r.join() == null ? Map.of() : r.join();
  }

  /** The ids of rooms the account is invited to. */
  java.util.Set<String> invited() {
    Rooms r = rooms;
    return r == null || r.invite() == null ? java.util.Set.of() : r.invite().keySet();
  }

  static List<JsonNode> events(@Nullable Events events) {
    return events == null || events.events() == null ? List.of() : events.events();
  }

  static List<JsonNode> events(@Nullable Timeline timeline) {
    return timeline == null || timeline.events() == null ? List.of() : timeline.events();
  }
}
