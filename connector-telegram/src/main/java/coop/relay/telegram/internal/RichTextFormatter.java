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
import java.util.List;
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
    return new FormattedText(layout.out.toString(), layout.spans);
  }

  private final class Layout {
    final StringBuilder out = new StringBuilder();
    final List<Span> spans = new ArrayList<>();

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

    /** Appends text, breaking every {@code @username} so that it pings nobody on Telegram. */
    private void plain(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        out.append(c);
        if (c == '@' && looksLikeMention(value, i)) {
          out.append(MENTION_BREAK);
        }
      }
    }

    private boolean looksLikeMention(String value, int at) {
      boolean wordBefore = at > 0 ? isWord(value.charAt(at - 1)) : out.length() > 1 && isWord(out.charAt(out.length() - 2));
      if (wordBefore || at + 1 >= value.length() || !isAsciiLetter(value.charAt(at + 1))) {
        return false;
      }
      int length = 0;
      for (int i = at + 1; i < value.length() && isWord(value.charAt(i)); i++) {
        length++;
      }
      // Telegram usernames have at least five characters; shorter ones are never mentions.
      return length >= 4;
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
