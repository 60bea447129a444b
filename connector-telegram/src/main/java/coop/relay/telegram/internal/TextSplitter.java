package coop.relay.telegram.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a {@link FormattedText} that is too long for one message into parts of at most
 * {@code limit} UTF-16 code units (so also at most {@code limit} characters, however Telegram counts).
 *
 * <p>A cut never falls inside a surrogate pair. It falls outside every span when it can: after the
 * last line break that fits, else after the last white space, else at the last position between
 * spans. Only when a single span is longer than a whole part (a huge code block) is it cut, and then
 * each part carries its own piece of the span, so every part is well-formed on its own. Parts that
 * would be only white space (Telegram refuses empty messages) are dropped. Stateless.
 */
final class TextSplitter {
  private TextSplitter() {}

  static List<FormattedText> split(FormattedText formatted, int limit) {
    if (limit < 2) {
      throw new IllegalArgumentException("a part must hold at least 2 code units (a surrogate pair), got " + limit);
    }
    String text = formatted.text();
    if (text.length() <= limit) {
      return isBlank(text) ? List.of() : List.of(formatted);
    }
    boolean[] insideAny = insideSpans(formatted, false);
    boolean[] insideAtomic = insideSpans(formatted, true);
    List<FormattedText> parts = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.length() - start <= limit ? text.length() : cut(text, insideAny, insideAtomic, start, start + limit);
      FormattedText part = formatted.slice(start, end);
      if (!isBlank(part.text())) {
        parts.add(part);
      }
      start = end;
    }
    return parts;
  }

  /** The best cut in {@code (from, max]}: see the class comment. */
  private static int cut(String text, boolean[] insideAny, boolean[] insideAtomic, int from, int max) {
    int outside = cut(text, insideAny, from, max);
    if (outside > 0) {
      return outside;
    }
    // A style or quote longer than a part: cut it, but keep links, mentions and code whole.
    int insideStyles = cut(text, insideAtomic, from, max);
    if (insideStyles > 0) {
      return insideStyles;
    }
    // A code block longer than a part: cut inside it, still never inside a surrogate pair.
    return splitsPair(text, max) ? max - 1 : max;
  }

  /** The best cut in {@code (from, max]} where {@code forbidden} is false, or -1. */
  private static int cut(String text, boolean[] forbidden, int from, int max) {
    int lineBreak = -1;
    int space = -1;
    int any = -1;
    for (int at = max; at > from; at--) {
      if (splitsPair(text, at) || forbidden[at]) {
        continue;
      }
      char before = text.charAt(at - 1);
      if (before == '\n') {
        lineBreak = at;
        break;
      }
      if (space < 0 && Character.isWhitespace(before)) {
        space = at;
      }
      if (any < 0) {
        any = at;
      }
    }
    // Prefer a line break, unless it would leave a tiny part: then a later space reads better.
    if (lineBreak > 0 && (lineBreak - from >= (max - from) / 4 || space < 0)) {
      return lineBreak;
    }
    if (space > 0) {
      return space;
    }
    return any;
  }

  private static boolean splitsPair(String text, int at) {
    return at > 0 && at < text.length()
        && Character.isHighSurrogate(text.charAt(at - 1)) && Character.isLowSurrogate(text.charAt(at));
  }

  /**
   * {@code inside[i]}: some span (only links, mentions, code and custom emoji when {@code atomicOnly})
   * has {@code start < i < end}, so a cut at {@code i} would split it.
   */
  private static boolean[] insideSpans(FormattedText formatted, boolean atomicOnly) {
    int length = formatted.text().length();
    int[] depth = new int[length + 2];
    for (Span span : formatted.spans()) {
      if (span.length() > 1 && (!atomicOnly || isAtomic(span.kind()))) {
        depth[span.start() + 1]++;
        depth[span.end()]--;
      }
    }
    boolean[] inside = new boolean[length + 1];
    int running = 0;
    for (int i = 0; i <= length; i++) {
      running += depth[i];
      inside[i] = running > 0;
    }
    return inside;
  }

  private static boolean isAtomic(Span.Kind kind) {
    return switch (kind) {
      case BOLD, ITALIC, UNDERLINE, STRIKETHROUGH, SPOILER, BLOCKQUOTE -> false;
      default -> true;
    };
  }

  private static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\u00a0' && c != RichTextFormatter.MENTION_BREAK) {
        return false;
      }
    }
    return true;
  }
}
