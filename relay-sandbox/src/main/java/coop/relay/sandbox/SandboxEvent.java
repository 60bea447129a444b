package coop.relay.sandbox;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change of an emulator's state, as followed by {@link SandboxControl#changes()} and served as
 * Server-Sent Events ({@code event:} is the type's {@link Type#wireName()}, {@code id:} the sequence).
 *
 * @param sequence increases by one per change of this emulator, from 1
 * @param type what changed
 * @param platform the emulator's platform
 * @param at when it changed
 * @param channelId the channel concerned, or {@code null} for user changes
 * @param message the message's state after the change, for message and reaction changes
 * @param channel the channel's state after the change, for channel changes
 * @param user the user, for user changes
 */
public record SandboxEvent(
    long sequence,
    Type type,
    String platform,
    Instant at,
    @Nullable String channelId,
    @Nullable HistoryEntry message,
    @Nullable SandboxChannel channel,
    @Nullable SandboxUser user) {

  /** What changed. */
  public enum Type {
    /** A user was created. */
    USER_CREATED("user.created"),
    /** A channel was created. */
    CHANNEL_CREATED("channel.created"),
    /** A channel changed (renamed, or replaced by another). */
    CHANNEL_UPDATED("channel.updated"),
    /** A message was posted, by a user or a bot. */
    MESSAGE_CREATED("message.created"),
    /** A message was edited. */
    MESSAGE_EDITED("message.edited"),
    /** A message was deleted. */
    MESSAGE_DELETED("message.deleted"),
    /** A message's reactions changed. */
    REACTIONS_CHANGED("reactions.changed");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The SSE event name, e.g. {@code message.created}. */
    public String wireName() {
      return wireName;
    }
  }

  /** @throws NullPointerException if a required component is null */
  public SandboxEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(at, "at");
  }
}
