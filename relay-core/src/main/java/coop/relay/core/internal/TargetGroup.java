package coop.relay.core.internal;

/**
 * The destination channels of one route that live on one connector: a message is intercepted and
 * rendered once per group and then queued to each of its channels.
 */
final class TargetGroup {
  final ConnectorHandle connector;
  final DeliveryQueue[] queues;

  TargetGroup(ConnectorHandle connector, DeliveryQueue[] queues) {
    this.connector = connector;
    this.queues = queues;
  }
}
