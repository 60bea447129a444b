package coop.relay.telegram.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link FormattedText} in the Bot API's {@code parse_mode=HTML} dialect: the documented
 * tags only, {@code &lt; &gt; &amp;} in text and {@code &quot;} too in attribute values (the only
 * named entities the Bot API decodes), {@code <pre><code class="language-x">} for a code block with a
 * language, {@code tg://user?id=} links for mentions by id. Spans that would cross the span they sit
 * in are clipped to it, so the output always nests. Stateless.
 */
final class HtmlWriter {
  private HtmlWriter() {}

  static String write(FormattedText formatted) {
    String text = formatted.text();
    List<Span> spans = formatted.spans();
    StringBuilder html = new StringBuilder(text.length() + 16 * spans.size() + 16);
    Deque<Span> open = new ArrayDeque<>();
    int next = 0;
    for (int position = 0; position <= text.length(); position++) {
      while (!open.isEmpty() && open.peek().end() <= position) {
        html.append(close(open.pop()));
      }
      while (next < spans.size() && spans.get(next).start() <= position) {
        Span span = spans.get(next++);
        if (span.start() < position) {
          continue; // starts inside a span that already ended: it would cross, so it is dropped
        }
        Span parent = open.peek();
        Span inside = parent != null && span.end() > parent.end() ? span.clipped(0, parent.end()) : span;
        if (inside.length() > 0 && position < text.length()) {
          html.append(open(inside));
          open.push(inside);
        }
      }
      if (position < text.length()) {
        escapeText(text.charAt(position), html);
      }
    }
    return html.toString();
  }

  private static String open(Span span) {
    return switch (span.kind()) {
      case BOLD -> "<b>";
      case ITALIC -> "<i>";
      case UNDERLINE -> "<u>";
      case STRIKETHROUGH -> "<s>";
      case SPOILER -> "<tg-spoiler>";
      case CODE -> "<code>";
      case PRE -> span.argument() == null ? "<pre>" : "<pre><code class=\"language-" + attribute(span.argument()) + "\">";
      case TEXT_LINK, URL -> "<a href=\"" + attribute(span.argument()) + "\">";
      case TEXT_MENTION -> "<a href=\"tg://user?id=" + attribute(span.argument()) + "\">";
      case MENTION -> "";
      case BLOCKQUOTE -> "<blockquote>";
      case CUSTOM_EMOJI -> "<tg-emoji emoji-id=\"" + attribute(span.argument()) + "\">";
    };
  }

  private static String close(Span span) {
    return switch (span.kind()) {
      case BOLD -> "</b>";
      case ITALIC -> "</i>";
      case UNDERLINE -> "</u>";
      case STRIKETHROUGH -> "</s>";
      case SPOILER -> "</tg-spoiler>";
      case CODE -> "</code>";
      case PRE -> span.argument() == null ? "</pre>" : "</code></pre>";
      case TEXT_LINK, URL, TEXT_MENTION -> "</a>";
      case MENTION -> "";
      case BLOCKQUOTE -> "</blockquote>";
      case CUSTOM_EMOJI -> "</tg-emoji>";
    };
  }

  private static void escapeText(char c, StringBuilder html) {
    switch (c) {
      case '<' -> html.append("&lt;");
      case '>' -> html.append("&gt;");
      case '&' -> html.append("&amp;");
      default -> html.append(c);
    }
  }

  private static String attribute(@Nullable String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        out.append("&quot;");
      } else {
        escapeText(c, out);
      }
    }
    return out.toString();
  }
}
