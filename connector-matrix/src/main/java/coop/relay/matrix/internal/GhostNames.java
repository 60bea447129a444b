package coop.relay.matrix.internal;

import coop.relay.api.UserRef;
import java.nio.charset.StandardCharsets;

/**
 * The localparts of ghost users: {@code <prefix><connector>.<user>}, each id escaped so that every
 * remote account gets its own Matrix id. Lowercase letters, digits and {@code -} stay; an uppercase
 * letter becomes {@code _} and the letter in lower case; every other byte of the UTF-8 form becomes
 * {@code =} and two hex digits. The escaped alphabet has no {@code .}, so the separator is
 * unambiguous and the mapping injective.
 */
final class GhostNames {
  private GhostNames() {}

  /** The ghost localpart for {@code remote}. */
  static String localpart(String prefix, UserRef remote) {
    return prefix + escape(remote.connectorId()) + "." + escape(remote.userId());
  }

  static String escape(String id) {
    StringBuilder out = new StringBuilder(id.length() + 8);
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
        out.append((char) c);
      } else if (c >= 'A' && c <= 'Z') {
        out.append('_').append((char) (c + ('a' - 'A')));
      } else {
        out.append('=').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
      }
    }
    return out.toString();
  }
}
