package coop.relay.sandbox.discord.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A reaction emoji: a Unicode emoji ({@code id} null) or a guild's custom emoji. Parsed from the
 * forms Discord accepts in reaction routes ({@code 👍} URL-encoded, {@code name:id}) and the
 * markdown form people type ({@code <:name:id>}, {@code <a:name:id>}).
 */
record Emoji(@Nullable Long id, String name, boolean animated) {
  private static final Pattern CUSTOM = Pattern.compile("<?(?:(a)?:)?([A-Za-z0-9_]{2,32}):([0-9]{1,20})>?");

  /** The key reactions are grouped under: the Unicode emoji, or {@code name:id}. */
  String key() {
    return id == null ? name : name + ":" + id;
  }

  /**
   * Parses {@code text}; returns null if it is neither a custom emoji reference nor something that
   * looks like a Unicode emoji (letters, digits and most ASCII are refused, as Discord answers
   * "Unknown Emoji" for them).
   */
  static @Nullable Emoji parse(String text) {
    String t = text.strip();
    Matcher m = CUSTOM.matcher(t);
    if (m.matches()) {
      return new Emoji(Long.parseLong(m.group(3)), m.group(2), m.group(1) != null);
    }
    if (t.isEmpty() || t.length() > 32) {
      return null;
    }
    boolean pictographic = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80 && !(cp == '#' || cp == '*' || (cp >= '0' && cp <= '9'))) {
        return null;
      }
      if (cp >= 0xA9 && cp != 0xFE0F && cp != 0x200D && !(cp >= 0x1F3FB && cp <= 0x1F3FF)) {
        pictographic = true;
      }
    }
    return pictographic ? new Emoji(null, t, false) : null;
  }
}
