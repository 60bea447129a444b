package coop.relay.slack.internal;

import coop.relay.support.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches what was posted in a channel while the connector was away ({@code conversations.history}
 * newer than the channel's cursor), so that neither a restart nor an outage loses messages: Slack
 * itself drops Socket Mode events while no connection is open and gives up on Events API retries.
 * Only channel messages come back this way (thread replies, edits, deletions and reactions from
 * the outage do not); what also arrives as an event is dropped by the connector's dedup.
 */
final class HistoryCatchUp {
  /** Messages per page, and pages per catch-up: a long outage replays the latest thousand at most. */
  private static final int PAGE_SIZE = 200;
  private static final int MAX_PAGES = 5;

  private final SlackWebApi api;

  HistoryCatchUp(SlackWebApi api) {
    this.api = api;
  }

  /**
   * The messages of {@code channel} after {@code oldest}, oldest first, each as the callback of a
   * {@code message} event. Fails as the Web API call fails.
   */
  Flux<Callback> since(String channel, String oldest) {
    return page(channel, oldest, null, MAX_PAGES)
        .collectList()
        .flatMapMany(messages -> {
          List<JsonNode> sorted = new ArrayList<>(messages);
          sorted.sort(Comparator.comparing(HistoryCatchUp::tsOf));
          return Flux.fromIterable(sorted).map(message -> asCallback(channel, message));
        });
  }

  private Flux<JsonNode> page(String channel, String oldest, @Nullable String cursor, int pagesLeft) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("channel", channel);
    query.put("oldest", oldest);
    query.put("limit", Integer.toString(PAGE_SIZE));
    // Other relays' origin markers are in other apps' metadata, which Slack leaves out unless asked.
    query.put("include_all_metadata", "true");
    if (cursor != null) {
      query.put("cursor", cursor);
    }
    return api.get("conversations.history", "history:" + channel, channel, query).flatMapMany(node -> {
      List<JsonNode> messages = new ArrayList<>();
      for (JsonNode message : node.path("messages")) {
        if (message.isObject()) {
          messages.add(message);
        }
      }
      String next = Nodes.text(node.path("response_metadata"), "next_cursor");
      boolean more = Nodes.bool(node, "has_more", false) && !next.isEmpty() && pagesLeft > 1;
      Flux<JsonNode> these = Flux.fromIterable(messages);
      return more ? these.concatWith(Flux.defer(() -> page(channel, oldest, next, pagesLeft - 1))) : these;
    });
  }

  private static Callback asCallback(String channel, JsonNode message) {
    ObjectNode event = ((ObjectNode) message).deepCopy();
    event.put("channel", channel);
    if (!event.has("type")) {
      event.put("type", "message");
    }
    ObjectNode callback = Json.mapper().createObjectNode();
    callback.put("type", "event_callback");
    callback.set("event", event);
    return WireReader.readCallback(Json.mapper().writeValueAsBytes(callback));
  }

  private static BigDecimal tsOf(JsonNode message) {
    String ts = Nodes.text(message, "ts");
    try {
      return new BigDecimal(ts);
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }

  /** Whether ts {@code a} is later than ts {@code b}; malformed values are never later. */
  static boolean isLater(String a, @Nullable String b) {
    if (b == null) {
      return true;
    }
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
