package coop.relay.discord.internal;

import coop.relay.api.OriginMarker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The origin marker in a message's {@code nonce}, which Discord limits to 25 characters: the
 * marker's own token when it fits, else {@code ~} and short hashes of the relay id and the delivery
 * id. A relay recognises its own compact nonces by hashing its id; other relays' compact nonces
 * still read as some relay's marker.
 */
final class Nonces {
  static final int MAX_LENGTH = 25;
  private static final char COMPACT = '~';

  private Nonces() {}

  /** The nonce for a message carrying {@code origin}. */
  static String encode(OriginMarker origin) {
    String token = origin.encode();
    if (token.length() <= MAX_LENGTH) {
      return token;
    }
    return COMPACT + hash(origin.relayId(), 8) + '.' + hash(origin.deliveryId(), MAX_LENGTH - 10);
  }

  /** The marker in {@code nonce} as seen by relay {@code relayId}, or {@code null} when it carries none. */
  static @Nullable OriginMarker decode(@Nullable String nonce, String relayId) {
    if (nonce == null || nonce.isEmpty()) {
      return null;
    }
    if (nonce.charAt(0) == COMPACT && nonce.length() == MAX_LENGTH && nonce.charAt(9) == '.') {
      String relay = nonce.substring(1, 9);
      String delivery = nonce.substring(10);
      return relay.equals(hash(relayId, 8)) ? new OriginMarker(relayId, delivery)
          : new OriginMarker(COMPACT + relay, delivery);
    }
    try {
      return OriginMarker.parse(nonce);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String hash(String value, int length) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
