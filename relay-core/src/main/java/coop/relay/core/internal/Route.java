package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import java.util.Set;

/** Where messages from one source channel go: each destination once, grouped by connector. */
final class Route {
  final ChannelRef source;
  final TargetGroup[] groups;
  final Set<ChannelRef> destinations;

  Route(ChannelRef source, TargetGroup[] groups, Set<ChannelRef> destinations) {
    this.source = source;
    this.groups = groups;
    this.destinations = destinations;
  }

  boolean reaches(ChannelRef channel) {
    return destinations.contains(channel);
  }
}
