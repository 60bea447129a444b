package coop.relay.discord.internal;

import coop.relay.support.BoundedMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where messages live that the relay refers to by {@code (bridged channel, message id)}: the thread
 * a message is in (REST calls need the thread's id), and for the copies this connector posted, the
 * webhook that posted them and the further parts of a split text. Bounded: after a restart, or for
 * very old messages, the connector asks Discord instead. Thread-safe.
 */
final class MessageLocations {
  /**
   * @param channelId the channel or thread the message is in
   * @param webhookId the webhook that posted it, or {@code null} when the bot did (or unknown)
   * @param posted whether this connector posted it
   * @param continuations the ids of the further parts of a split copy, in order
   */
  record Location(String channelId, @Nullable String webhookId, boolean posted, List<String> continuations) {
    Location {
      continuations = List.copyOf(continuations);
    }
  }

  private final BoundedMap<String, Location> locations = new BoundedMap<>(50_000);

  void posted(String messageId, String channelId, @Nullable String webhookId, List<String> continuations) {
    locations.put(messageId, new Location(channelId, webhookId, true, continuations));
    for (String part : continuations) {
      locations.put(part, new Location(channelId, webhookId, true, List.of()));
    }
  }

  void seenInThread(String messageId, String threadId) {
    if (!locations.containsKey(messageId)) {
      locations.put(messageId, new Location(threadId, null, false, List.of()));
    }
  }

  @Nullable Location get(String messageId) {
    return locations.get(messageId);
  }

  boolean isPosted(String messageId) {
    Location location = locations.get(messageId);
    return location != null && location.posted();
  }

  void forget(String messageId) {
    Location location = locations.remove(messageId);
    if (location != null) {
      location.continuations().forEach(locations::remove);
    }
  }
}
