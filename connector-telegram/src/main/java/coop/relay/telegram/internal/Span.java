package coop.relay.telegram.internal;

import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One formatting range of a {@link FormattedText}: a Telegram entity as the connector understands
 * it. Offsets are UTF-16 code units, as in the Bot API and in Java strings.
 *
 * @param kind what the range means
 * @param start the first code unit
 * @param end one past the last code unit
 * @param argument the link target ({@link Kind#TEXT_LINK}), the user id ({@link Kind#TEXT_MENTION}),
 *     the code block's language ({@link Kind#PRE}), the custom emoji id ({@link Kind#CUSTOM_EMOJI}),
 *     else {@code null}
 */
record Span(Kind kind, int start, int end, @Nullable String argument) {

  /** Outer ranges first: by start, then longer first, then by nesting rank. */
  static final Comparator<Span> NESTING = Comparator.comparingInt(Span::start)
      .thenComparing(Comparator.comparingInt(Span::end).reversed())
      .thenComparingInt(s -> s.kind().rank);

  /** The entity types Relay maps; the others stay plain text. */
  enum Kind {
    // The rank orders spans over the same range: containers outside, what becomes a leaf node
    // (mentions, custom emoji, code) inside, so that styles over the same range are kept.
    BLOCKQUOTE("blockquote", 0),
    TEXT_LINK("text_link", 1),
    BOLD("bold", 2),
    ITALIC("italic", 3),
    UNDERLINE("underline", 4),
    STRIKETHROUGH("strikethrough", 5),
    SPOILER("spoiler", 6),
    URL("url", 7),
    TEXT_MENTION("text_mention", 7),
    MENTION("mention", 7),
    CUSTOM_EMOJI("custom_emoji", 7),
    CODE("code", 8),
    PRE("pre", 8);

    final String wireName;
    final int rank;

    Kind(String wireName, int rank) {
      this.wireName = wireName;
      this.rank = rank;
    }

    /** The kind of a Bot API entity type, or {@code null} for types that stay plain text. */
    static @Nullable Kind of(@Nullable String type) {
      if (type == null) {
        return null;
      }
      return switch (type) {
        case "bold" -> BOLD;
        case "italic" -> ITALIC;
        case "underline" -> UNDERLINE;
        case "strikethrough" -> STRIKETHROUGH;
        case "spoiler" -> SPOILER;
        case "code" -> CODE;
        case "pre" -> PRE;
        case "text_link" -> TEXT_LINK;
        case "url" -> URL;
        case "mention" -> MENTION;
        case "text_mention" -> TEXT_MENTION;
        case "blockquote", "expandable_blockquote" -> BLOCKQUOTE;
        case "custom_emoji" -> CUSTOM_EMOJI;
        default -> null;
      };
    }
  }

  Span {
    Objects.requireNonNull(kind, "kind");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("a span covers [start, end) with 0 <= start <= end, got [" + start + ", " + end + ")");
    }
  }

  int length() {
    return end - start;
  }

  Span shifted(int delta) {
    return new Span(kind, start + delta, end + delta, argument);
  }

  Span clipped(int from, int to) {
    return new Span(kind, Math.max(start, from), Math.min(end, to), argument);
  }
}
