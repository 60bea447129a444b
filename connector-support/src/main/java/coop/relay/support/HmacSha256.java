package coop.relay.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA256 keyed with a {@link Secret}, as platforms use to sign webhooks (Slack signs
 * {@code v0:<timestamp>:<raw body>}). Immutable and thread-safe; {@link #toString()} hides the key.
 */
public final class HmacSha256 {
  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;

  private HmacSha256(SecretKeySpec key) {
    this.key = key;
  }

  /** A signer keyed with the UTF-8 bytes of {@code key}. */
  public static HmacSha256 keyedWith(Secret key) {
    Objects.requireNonNull(key, "key");
    return new HmacSha256(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
  }

  /** The MAC over the concatenation of {@code parts}, without copying them into one array. */
  public byte[] sign(byte[]... parts) {
    Mac mac = newMac();
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /** The MAC over the concatenation of {@code parts}, as lower-case hex. */
  public String hex(byte[]... parts) {
    return HEX.formatHex(sign(parts));
  }

  /**
   * Whether {@code expectedHex} (any case) is the MAC over {@code parts}, compared in constant time.
   * A {@code null} or malformed value never matches.
   */
  public boolean verifyHex(@Nullable String expectedHex, byte[]... parts) {
    if (expectedHex == null) {
      return false;
    }
    return Secret.constantTimeEquals(hex(parts), expectedHex.toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return "HmacSha256[key=***]";
  }

  private Mac newMac() {
    try {
      // A Mac is not thread-safe; a fresh one per call keeps this class shareable.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}
