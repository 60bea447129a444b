package coop.relay.core.internal;

import java.util.List;

/** A named bridge: its channels, each at most once. */
public record BridgeDefinition(String name, List<BridgeChannel> channels) {
  public BridgeDefinition {
    channels = List.copyOf(channels);
  }
}
