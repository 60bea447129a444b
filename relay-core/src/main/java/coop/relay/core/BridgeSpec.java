package coop.relay.core;

import coop.relay.api.ChannelRef;
import coop.relay.api.Direction;
import coop.relay.api.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels of one bridge, filled in by the consumer given to {@link RelayBuilder#bridge} or
 * {@link Relay#bridge}. A channel may be read from ({@link Direction#IN}), written to
 * ({@link Direction#OUT}) or both (the default). Channels of one connector may be bridged with each
 * other as well as with channels of other connectors.
 */
public final class BridgeSpec {
  private final String name;
  private final Map<ChannelRef, Direction> channels = new LinkedHashMap<>();

  BridgeSpec(String name) {
    this.name = name;
  }

  /** Adds a channel that is read from and written to. */
  public BridgeSpec channel(String connectorId, String channelId) {
    return channel(connectorId, channelId, Direction.BOTH);
  }

  /**
   * Adds a channel with the given direction.
   *
   * @throws InvalidConfigurationException if the channel is already in this bridge or an id is blank
   */
  public BridgeSpec channel(String connectorId, String channelId, Direction direction) {
    ChannelRef ref;
    try {
      ref = new ChannelRef(connectorId, channelId);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException("bridge '" + name + "': " + e.getMessage());
    }
    if (channels.putIfAbsent(ref, direction) != null) {
      throw new InvalidConfigurationException(
          "bridge '" + name + "' lists channel " + ref + " twice; list each channel once, with one direction");
    }
    return this;
  }

  /** Adds a channel that is only read from. */
  public BridgeSpec in(String connectorId, String channelId) {
    return channel(connectorId, channelId, Direction.IN);
  }

  /** Adds a channel that is only written to. */
  public BridgeSpec out(String connectorId, String channelId) {
    return channel(connectorId, channelId, Direction.OUT);
  }

  String name() {
    return name;
  }

  List<Map.Entry<ChannelRef, Direction>> entries() {
    return new ArrayList<>(channels.entrySet());
  }
}
