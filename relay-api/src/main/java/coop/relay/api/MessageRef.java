package coop.relay.api;

import java.util.Objects;

/**
 * One message on one platform.
 *
 * @param channel the channel the message is in
 * @param messageId the platform's id of the message (Telegram message_id, Slack ts, Discord snowflake, Matrix event id)
 */
public record MessageRef(ChannelRef channel, String messageId) {
  /** @throws IllegalArgumentException if {@code messageId} is blank */
  public MessageRef {
    Objects.requireNonNull(channel, "channel");
    Checks.notBlank(messageId, "messageId");
  }

  /** The id of the connector the message lives on. */
  public String connectorId() {
    return channel.connectorId();
  }

  @Override
  public String toString() {
    return channel + "/" + messageId;
  }
}
