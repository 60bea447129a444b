package coop.relay.api.event;

/** The life cycle of a connector, as reported through {@link ConnectorStateChanged}. */
public enum ConnectorState {
  /** Connecting for the first time. */
  STARTING,
  /** Connected and receiving. */
  CONNECTED,
  /** Lost the connection, or failed transiently; retrying with backoff in the background. */
  RECONNECTING,
  /** The platform rejected the credentials; the connector will not retry until reconfigured. */
  BAD_CREDENTIALS,
  /** Stopped on purpose. */
  STOPPED,
  /** Stopped by an error it cannot recover from; the detail says which and what to do. */
  FAILED;

  /** Whether the connector can deliver and receive in this state. */
  public boolean isUp() {
    return this == CONNECTED;
  }
}
