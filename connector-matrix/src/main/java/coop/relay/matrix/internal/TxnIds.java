package coop.relay.matrix.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Transaction ids for {@code PUT .../send/{eventType}/{txnId}} and {@code .../redact/{eventId}/{txnId}},
 * derived from what is being sent rather than drawn at random: the homeserver answers a repeated
 * transaction id with the event it created the first time, so a send retried after a timeout (the
 * first attempt may have arrived) can never post twice.
 */
final class TxnIds {
  private static final String PREFIX = "relay";

  private TxnIds() {}

  /**
   * A transaction id for the parts, in order: operation, destination, source, origin delivery,
   * and whatever else distinguishes two sends that must both happen. 26 URL-safe characters.
   */
  static String of(String... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      // A separator that cannot occur in ids keeps ("ab","c") and ("a","bc") apart.
      digest.update((byte) 0);
    }
    byte[] hash = digest.digest();
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 21);
  }
}
