package coop.relay.sandbox.telegram.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Text with its entities, after parsing and the server-side fixes Telegram applies. */
record FormattedText(String text, List<Entity> entities) {

  static final Comparator<Entity> ORDER =
      Comparator.comparingInt(Entity::offset).thenComparing(Comparator.comparingInt(Entity::length).reversed());

  FormattedText {
    entities = List.copyOf(entities);
  }

  static FormattedText plain(String text) {
    return new FormattedText(text, List.of());
  }

  /** Characters as Telegram counts them for its length limits: Unicode code points. */
  int codePoints() {
    return text.codePointCount(0, text.length());
  }

  /**
   * What Telegram does to every text it accepts: strips leading and trailing white space (clipping
   * entities to what is left), drops empty and out-of-range entities, sorts the rest.
   */
  FormattedText normalized() {
    int start = 0;
    int end = text.length();
    while (start < end && isStrippable(text.charAt(start))) {
      start++;
    }
    while (end > start && isStrippable(text.charAt(end - 1))) {
      end--;
    }
    List<Entity> kept = new ArrayList<>();
    for (Entity e : entities) {
      int from = Math.max(e.offset(), start);
      int to = Math.min(e.end(), end);
      if (e.offset() >= 0 && e.length() > 0 && to > from) {
        kept.add(e.at(from - start, to - from));
      }
    }
    kept.sort(ORDER);
    return new FormattedText(text.substring(start, end), kept);
  }

  private static boolean isStrippable(char c) {
    return Character.isWhitespace(c) || c == '\u00a0';
  }
}
