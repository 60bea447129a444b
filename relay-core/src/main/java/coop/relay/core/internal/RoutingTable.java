package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The immutable routing table compiled from the bridges. The engine swaps the whole table when a
 * bridge changes, so a message is always routed by one consistent table.
 */
final class RoutingTable {
  private final Map<String, BridgeDefinition> bridges;
  private final Map<ChannelRef, Route> routes;
  private final Map<String, Set<String>> channelsByConnector;
  private final Map<String, ConnectorHandle> connectors;
  private final Function<ChannelRef, DeliveryQueue> queues;

  private RoutingTable(
      Map<String, BridgeDefinition> bridges,
      Map<ChannelRef, Route> routes,
      Map<String, Set<String>> channelsByConnector,
      Map<String, ConnectorHandle> connectors,
      Function<ChannelRef, DeliveryQueue> queues) {
    this.bridges = bridges;
    this.routes = routes;
    this.channelsByConnector = channelsByConnector;
    this.connectors = connectors;
    this.queues = queues;
  }

  /**
   * Compiles the bridges: a channel that reads into a bridge routes to every channel of that bridge
   * that is written to, except itself; a destination reached through several bridges appears once.
   */
  static RoutingTable compile(
      Map<String, BridgeDefinition> bridges,
      Map<String, ConnectorHandle> connectors,
      Function<ChannelRef, DeliveryQueue> queues) {
    Map<ChannelRef, Set<ChannelRef>> destinations = new LinkedHashMap<>();
    Map<String, Set<String>> channelsByConnector = new HashMap<>();
    for (BridgeDefinition bridge : bridges.values()) {
      for (BridgeChannel source : bridge.channels()) {
        channelsByConnector
            .computeIfAbsent(source.channel().connectorId(), k -> new LinkedHashSet<>())
            .add(source.channel().channelId());
        if (!source.direction().readsFrom()) {
          continue;
        }
        Set<ChannelRef> targets = destinations.computeIfAbsent(source.channel(), k -> new LinkedHashSet<>());
        for (BridgeChannel target : bridge.channels()) {
          if (!target.channel().equals(source.channel()) && target.direction().writesTo()) {
            targets.add(target.channel());
          }
        }
      }
    }
    Map<ChannelRef, Route> routes = new HashMap<>();
    destinations.forEach((source, targets) ->
        routes.put(source, route(source, targets, connectors, queues)));
    Map<String, Set<String>> frozen = new HashMap<>();
    channelsByConnector.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    return new RoutingTable(Map.copyOf(bridges), Map.copyOf(routes), Map.copyOf(frozen), connectors, queues);
  }

  private static Route route(
      ChannelRef source,
      Set<ChannelRef> targets,
      Map<String, ConnectorHandle> connectors,
      Function<ChannelRef, DeliveryQueue> queues) {
    Map<String, List<DeliveryQueue>> byConnector = new LinkedHashMap<>();
    for (ChannelRef target : targets) {
      byConnector.computeIfAbsent(target.connectorId(), k -> new ArrayList<>()).add(queues.apply(target));
    }
    TargetGroup[] groups = new TargetGroup[byConnector.size()];
    int i = 0;
    for (Map.Entry<String, List<DeliveryQueue>> entry : byConnector.entrySet()) {
      ConnectorHandle handle = connectors.get(entry.getKey());
      groups[i++] = new TargetGroup(handle, entry.getValue().toArray(new DeliveryQueue[0]));
    }
    return new Route(source, groups, Set.copyOf(targets));
  }

  /** The route of messages read from {@code source}, or {@code null} when it reads into no bridge. */
  @Nullable Route route(ChannelRef source) {
    return routes.get(source);
  }

  /** The route of a message published into {@code bridge} from code, or {@code null} if there is no such bridge. */
  @Nullable Route publishRoute(String bridge, ChannelRef origin) {
    BridgeDefinition definition = bridges.get(bridge);
    if (definition == null) {
      return null;
    }
    Set<ChannelRef> targets = new LinkedHashSet<>();
    for (BridgeChannel channel : definition.channels()) {
      if (channel.direction().writesTo() && !channel.channel().equals(origin)) {
        targets.add(channel.channel());
      }
    }
    return route(origin, targets, connectors, queues);
  }

  Map<String, BridgeDefinition> bridges() {
    return bridges;
  }

  /** The ids of the channels of {@code connectorId} that are in some bridge. */
  Set<String> channelsOf(String connectorId) {
    return channelsByConnector.getOrDefault(connectorId, Set.of());
  }
}
