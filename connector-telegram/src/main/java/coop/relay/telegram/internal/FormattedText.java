package coop.relay.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Text with its formatting ranges: Telegram's own model of a message, between the Bot API's entities
 * and HTML on one side and {@link coop.relay.api.text.RichText} on the other.
 *
 * @param text the characters
 * @param spans the ranges, sorted {@link Span#NESTING outer first}; they nest and never cross
 */
record FormattedText(String text, List<Span> spans) {

  FormattedText {
    Objects.requireNonNull(text, "text");
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(Span.NESTING);
    spans = List.copyOf(sorted);
  }

  static FormattedText plain(String text) {
    return new FormattedText(text, List.of());
  }

  /** The part {@code [from, to)}, with every span clipped to it and shifted to start at 0. */
  FormattedText slice(int from, int to) {
    List<Span> inside = new ArrayList<>();
    for (Span span : spans) {
      if (span.start() < to && span.end() > from) {
        Span clipped = span.clipped(from, to);
        if (clipped.length() > 0) {
          inside.add(clipped.shifted(-from));
        }
      }
    }
    return new FormattedText(text.substring(from, to), inside);
  }

  /** This text followed by {@code other}. */
  FormattedText append(FormattedText other) {
    List<Span> all = new ArrayList<>(spans);
    for (Span span : other.spans) {
      all.add(span.shifted(text.length()));
    }
    return new FormattedText(text + other.text, all);
  }
}
