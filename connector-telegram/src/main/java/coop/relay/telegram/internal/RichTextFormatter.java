package coop.relay.telegram.internal;

import coop.relay.api.text.ChannelMention;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.InlineCode;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lays {@link RichText} out as Telegram text with spans, within Telegram's nesting rules: styles
 * nest anywhere except inside code; links, mentions and code do not contain each other (an inner one
 * degrades to its text); block quotes do not nest (an inner one is flattened into the outer).
 *
 * <p>Mentions ping only when they should: a mention of one of this connector's users becomes a
 * Telegram mention ({@code text_mention} by id, or the {@code @username} it came from), and any other
 * {@code @name}, in a mention of another platform's user or in plain text, gets a word joiner after
 * the {@code @} so that Telegram does not turn it into a mention of whoever owns that username here.
 * Stateless and thread-safe.
 */
final class RichTextFormatter {
  /** U+2060 WORD JOINER: invisible, and it stops Telegram from reading {@code @name} as a mention. */
  static final char MENTION_BREAK = '\u2060';

  private final String connectorId;

  RichTextFormatter(String connectorId) {
    this.connectorId = connectorId;
  }

  FormattedText format(RichText text) {
    Layout layout = new Layout();
    layout.nodes(text.nodes(), false, false);
    return breakMentions(layout.out, layout.spans, layout.trusted);
  }

  /**
   * Puts a word joiner after every {@code @} that would start a Telegram mention, except those of
   * mentions of this connector's users and those inside code, links and mentions (where Telegram
   * finds no mentions, and where an invisible character would change code people copy). Done on the
   * whole text, since a name can go on in the next node.
   */
  private static FormattedText breakMentions(StringBuilder text, List<Span> spans, Set<Integer> trusted) {
    List<Integer> breaks = new ArrayList<>();
    for (int i = text.indexOf("@"); i >= 0; i = text.indexOf("@", i + 1)) {
      if (!trusted.contains(i) && !insideOpaque(spans, i) && looksLikeMention(text, i)) {
        breaks.add(i + 1);
      }
    }
    if (breaks.isEmpty()) {
      return new FormattedText(text.toString(), spans);
    }
    StringBuilder out = new StringBuilder(text.length() + breaks.size());
    int from = 0;
    for (int at : breaks) {
      out.append(text, from, at).append(MENTION_BREAK);
      from = at;
    }
    out.append(text, from, text.length());
    List<Span> shifted = new ArrayList<>(spans.size());
    for (Span span : spans) {
      // A joiner right at a span's start goes before the span, one right at its end after it.
      shifted.add(new Span(span.kind(), span.start() + count(breaks, span.start(), true),
          span.end() + count(breaks, span.end(), false), span.argument()));
    }
    return new FormattedText(out.toString(), shifted);
  }

  private static boolean insideOpaque(List<Span> spans, int position) {
    for (Span span : spans) {
      if (span.start() <= position && position < span.end()) {
        switch (span.kind()) {
          case TEXT_LINK, URL, TEXT_MENTION, MENTION, CUSTOM_EMOJI, CODE, PRE -> {
            return true;
          }
          default -> { }
        }
      }
    }
    return false;
  }

  private static int count(List<Integer> breaks, int position, boolean inclusive) {
    int n = 0;
    for (int at : breaks) {
      if (inclusive ? at <= position : at < position) {
        n++;
      }
    }
    return n;
  }

  private static boolean looksLikeMention(CharSequence text, int at) {
    if ((at > 0 && isWord(text.charAt(at - 1))) || at + 1 >= text.length() || !isAsciiLetter(text.charAt(at + 1))) {
      return false;
    }
    int length = 0;
    for (int i = at + 1; i < text.length() && isWord(text.charAt(i)); i++) {
      length++;
    }
    // Telegram usernames have at least four characters (five, or four bought on Fragment).
    return length >= 4;
  }

  private final class Layout {
    final StringBuilder out = new StringBuilder();
    final List<Span> spans = new ArrayList<>();
    final Set<Integer> trusted = new HashSet<>();

    void nodes(List<Node> nodes, boolean inLink, boolean inQuote) {
      for (Node node : nodes) {
        node(node, inLink, inQuote);
      }
    }

    void node(Node node, boolean inLink, boolean inQuote) {
      int start = out.length();
      // Java 17 has no pattern switch; the chain covers every permitted Node type.
      if (node instanceof Text t) {
        plain(t.value());
      } else if (node instanceof LineBreak) {
        out.append('\n');
      } else if (node instanceof Styled s) {
        nodes(s.children(), inLink, inQuote);
        span(kindOf(s), start, null);
      } else if (node instanceof InlineCode c) {
        out.append(c.code());
        if (!inLink) {
          span(Span.Kind.CODE, start, null);
        }
      } else if (node instanceof CodeBlock c) {
        out.append(c.code());
        if (!inLink) {
          span(Span.Kind.PRE, start, c.language());
        }
      } else if (node instanceof Link l) {
        if (l.children().isEmpty()) {
          plain(l.url());
        } else {
          nodes(l.children(), true, inQuote);
        }
        if (!inLink) {
          span(Span.Kind.TEXT_LINK, start, l.url());
        }
      } else if (node instanceof UserMention m) {
        mention(m, inLink);
      } else if (node instanceof ChannelMention c) {
        plain("#" + c.name());
      } else if (node instanceof Emoji e) {
        emoji(e, inLink);
      } else if (node instanceof Quote q) {
        nodes(q.children(), inLink, true);
        if (!inQuote) {
          span(Span.Kind.BLOCKQUOTE, start, null);
        }
      }
    }

    private void mention(UserMention m, boolean inLink) {
      String userId = m.user().userId();
      if (m.user().connectorId().equals(connectorId)) {
        if (userId.startsWith("@")) {
          trusted.add(out.length());
          out.append(userId); // the @username Telegram itself marked; it pings here as it did there
          return;
        }
        if (isNumeric(userId) && !inLink) {
          int start = out.length();
          out.append(m.displayName().isBlank() ? userId : m.displayName());
          span(Span.Kind.TEXT_MENTION, start, userId);
          return;
        }
      }
      plain("@" + m.displayName());
    }

    private void emoji(Emoji e, boolean inLink) {
      String unicode = e.unicode();
      if (unicode == null) {
        plain(":" + e.name() + ":");
      } else if (isNumeric(e.name()) && !inLink) {
        // A Telegram custom emoji decoded earlier: its name is the custom_emoji_id, its text the fallback.
        int start = out.length();
        out.append(unicode);
        span(Span.Kind.CUSTOM_EMOJI, start, e.name());
      } else {
        out.append(unicode);
      }
    }

    private void span(Span.Kind kind, int start, @Nullable String argument) {
      if (out.length() > start) {
        spans.add(new Span(kind, start, out.length(), argument));
      }
    }

    private void plain(String value) {
      out.append(value);
    }
  }

  private static Span.Kind kindOf(Styled styled) {
    return switch (styled.style()) {
      case BOLD -> Span.Kind.BOLD;
      case ITALIC -> Span.Kind.ITALIC;
      case UNDERLINE -> Span.Kind.UNDERLINE;
      case STRIKE -> Span.Kind.STRIKETHROUGH;
      case SPOILER -> Span.Kind.SPOILER;
    };
  }

  static boolean isNumeric(String value) {
    if (value.isEmpty() || value.length() > 20) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isWord(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
