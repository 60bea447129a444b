package coop.relay.sandbox.slack.internal;

/** Where the state hands events for an app; the engine routes them to Socket Mode or HTTP. */
interface Outbox {
  /** Queues {@code event} for {@code app}; called under the state's lock, must not block. */
  void deliver(SlackApp app, EventCallback event);
}
