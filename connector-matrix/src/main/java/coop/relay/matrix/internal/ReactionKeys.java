package coop.relay.matrix.internal;

import coop.relay.api.text.Emoji;
import java.util.Map;

/**
 * Matrix reaction keys and the relay's {@link Emoji}: a key is the emoji itself (a Unicode sequence)
 * or, from some clients, a {@code :shortcode:}. Names of the common reactions are added, so that
 * platforms that react by name (Slack) can bridge them without a table of their own.
 */
final class ReactionKeys {
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("\uD83D\uDC4D", "+1"), Map.entry("\uD83D\uDC4E", "-1"), Map.entry("\u2764\uFE0F", "heart"),
      Map.entry("\u2764", "heart"), Map.entry("\uD83D\uDE02", "joy"), Map.entry("\uD83C\uDF89", "tada"),
      Map.entry("\uD83D\uDC40", "eyes"), Map.entry("\uD83D\uDE80", "rocket"), Map.entry("\uD83D\uDE04", "smile"),
      Map.entry("\uD83D\uDE15", "confused"), Map.entry("\uD83D\uDE4F", "pray"), Map.entry("\uD83D\uDD25", "fire"),
      Map.entry("\u2705", "white_check_mark"), Map.entry("\uD83D\uDE2E", "open_mouth"), Map.entry("\uD83D\uDE22", "cry"));

  private ReactionKeys() {}

  /** The emoji of a reaction key. */
  static Emoji emoji(String key) {
    if (key.length() > 2 && key.startsWith(":") && key.endsWith(":") && key.indexOf(' ') < 0) {
      return Emoji.custom(key.substring(1, key.length() - 1), null);
    }
    return Emoji.unicode(NAMES.getOrDefault(key, ""), key);
  }

  /** The reaction key for an emoji: its Unicode sequence, or {@code :name:} for a custom one. */
  static String key(Emoji emoji) {
    String unicode = emoji.unicode();
    return unicode != null ? unicode : ":" + emoji.name() + ":";
  }
}
