package coop.relay.api;

/**
 * A channel (room, group, conversation) on one connector.
 *
 * @param connectorId the id the connector was registered with, e.g. {@code "tg"}
 * @param channelId the platform's own id of the channel, e.g. {@code "-1001234567890"} or {@code "!room:example.org"}
 */
public record ChannelRef(String connectorId, String channelId) {
  /** @throws IllegalArgumentException if either id is blank */
  public ChannelRef {
    Checks.notBlank(connectorId, "connectorId");
    Checks.notBlank(channelId, "channelId");
  }

  /** Shorthand for {@code new ChannelRef(connectorId, channelId)}. */
  public static ChannelRef of(String connectorId, String channelId) {
    return new ChannelRef(connectorId, channelId);
  }

  /** A reference to the message with the given platform id in this channel. */
  public MessageRef message(String messageId) {
    return new MessageRef(this, messageId);
  }

  @Override
  public String toString() {
    return connectorId + ":" + channelId;
  }
}
