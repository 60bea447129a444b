package coop.relay.samples.sandbox;

import coop.relay.api.Direction;
import java.util.Objects;

/**
 * A room the sandbox app created on one platform.
 *
 * @param platform the emulator's platform, e.g. {@code telegram}
 * @param channelId the platform's id of the room
 * @param name the room's title as the platform shows it
 * @param bridge the bridge it belongs to ({@link SandboxApp#COOP} or {@link SandboxApp#ANNOUNCEMENTS})
 * @param direction how the bridge uses it: {@code BOTH}, {@code IN} (only read, e.g. the announcement
 *     source) or {@code OUT} (only written)
 * @param bridged whether the room is actually in the relay: false while its platform's connector is
 *     not available
 */
public record Room(String platform, String channelId, String name, String bridge, Direction direction, boolean bridged) {

  /** @throws NullPointerException if a component is null */
  public Room {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bridge, "bridge");
    Objects.requireNonNull(direction, "direction");
  }
}
