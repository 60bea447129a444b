package coop.relay.api;

import org.jspecify.annotations.Nullable;

/** Argument checks shared by the value types of this package; messages say what to fix. */
final class Checks {
  private Checks() {}

  static String notBlank(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be null or blank");
    }
    return value;
  }
}
