package coop.relay.slack.internal;

import coop.relay.api.event.ChannelEvent;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link EventDecoder} made of one Slack event: an event to relay, an event that is fine but
 * not for the bridge, or a payload it could not use.
 */
sealed interface Decoded {

  /**
   * An event for the relay.
   *
   * @param event the event, its author shown by id until {@code userId} is looked up
   * @param userId the Slack user whose name and avatar to look up, or {@code null} when the payload
   *     already told them (bot messages)
   * @param dedupKey the key that is the same on every redelivery of the event
   */
  record Relayed(ChannelEvent event, @Nullable String userId, String dedupKey) implements Decoded {
    public Relayed {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(dedupKey, "dedupKey");
    }
  }

  /**
   * A well-formed event the bridge does not relay: another event type, a channel notice, our own
   * post or its echo.
   *
   * @param reason why, for the debug log
   */
  record Ignored(String reason) implements Decoded {
    public Ignored {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A payload the bridge cannot use: a field it needs is missing or malformed. Logged as a warning.
   *
   * @param reason what is wrong, without the payload's content
   */
  record Skipped(String reason) implements Decoded {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
