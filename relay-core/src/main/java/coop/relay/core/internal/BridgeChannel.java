package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.Direction;
import java.util.Objects;

/** One channel of a bridge and which way messages flow through it. */
public record BridgeChannel(ChannelRef channel, Direction direction) {
  public BridgeChannel {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(direction, "direction");
  }
}
