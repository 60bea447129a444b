package coop.relay.support;

import coop.relay.api.InvalidConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * A credential (bot token, signing secret, hs_token) that never shows itself by accident:
 * {@link #toString()} prints {@code Secret[***]}, and {@link #equals} and {@link #matches} compare in
 * constant time. Only {@link #reveal()} gives the value, for the one place that must send it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a credential.
   *
   * @param what the option it came from, used in the error message (e.g. {@code "token"})
   * @throws InvalidConfigurationException if the value is null or blank
   */
  public static Secret of(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigurationException(what + " must not be null or blank; pass the credential the platform issued");
    }
    return new Secret(value);
  }

  /** The credential itself. Call it only where the value is sent; never log the result. */
  public String reveal() {
    return value;
  }

  /**
   * Whether {@code candidate} equals this secret. Takes the same time however many characters match
   * (and, by hashing first, whatever the lengths), so a caller cannot guess the secret byte by byte.
   * A {@code null} candidate never matches.
   */
  public boolean matches(@Nullable String candidate) {
    return candidate != null && constantTimeEquals(value, candidate);
  }

  /**
   * Whether {@code a} equals {@code b}, compared in time that depends on neither the content nor the
   * lengths. Use it for every comparison of a received secret or signature.
   */
  public static boolean constantTimeEquals(String a, String b) {
    // Comparing fixed-length digests also hides the length of the expected value.
    return MessageDigest.isEqual(sha256(a), sha256(b));
  }

  /** Equal when the other secret has the same value; compared in constant time. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Secret secret && constantTimeEquals(value, secret.value);
  }

  /** A constant: a hash of the value would leak information about it. */
  @Override
  public int hashCode() {
    return 0x5EC7E7;
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
