package coop.relay.sandbox.matrix.internal;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes the opaque identifiers a homeserver hands out: event ids in the room version 4+ format
 * ({@code $} and 43 URL-safe Base64 characters), room ids, media ids, device ids and access tokens.
 */
final class Ids {
  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private final SecureRandom random = new SecureRandom();

  String eventId() {
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
  }

  String roomId(String serverName) {
    return "!" + pick(LETTERS, 18) + ":" + serverName;
  }

  String mediaId() {
    return pick(LETTERS, 24);
  }

  String deviceId() {
    return pick(UPPER, 10);
  }

  String accessToken(String localpart) {
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    return "syt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(localpart.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  private String pick(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
