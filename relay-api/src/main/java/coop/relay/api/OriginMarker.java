package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * The mark that every message Relay sends carries in a platform-native place (a Matrix content key,
 * Slack message metadata, a Discord nonce, ...), so that its echo is recognised when the platform
 * sends it back.
 *
 * @param relayId the id of the relay instance that sent the copy
 * @param deliveryId the id of the delivery within that relay; unique per copy
 */
public record OriginMarker(String relayId, String deliveryId) {
  private static final char SEPARATOR = '.';

  /** Checks the components. */
  public OriginMarker {
    Checks.notBlank(relayId, "relayId");
    Checks.notBlank(deliveryId, "deliveryId");
    if (relayId.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("relayId must not contain '" + SEPARATOR + "': " + relayId);
    }
  }

  /** The marker as one short ASCII token, {@code relayId.deliveryId}; {@link #parse} reads it back. */
  public String encode() {
    return relayId + SEPARATOR + deliveryId;
  }

  /** Reads a token written by {@link #encode}; {@code null} if the token is not one. */
  public static @Nullable OriginMarker parse(@Nullable String token) {
    if (token == null) {
      return null;
    }
    int dot = token.indexOf(SEPARATOR);
    if (dot <= 0 || dot == token.length() - 1) {
      return null;
    }
    String relay = token.substring(0, dot);
    String delivery = token.substring(dot + 1);
    if (relay.isBlank() || delivery.isBlank()) {
      return null;
    }
    return new OriginMarker(relay, delivery);
  }
}
