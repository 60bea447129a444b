package coop.relay.slack.internal;

import coop.relay.api.text.ChannelMention;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.InlineCode;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@link RichText} as Slack {@code mrkdwn} for {@code chat.postMessage}.
 *
 * <p>Every {@code &}, {@code <} and {@code >} of the content is escaped, so the only {@code <...>}
 * tokens in the output are the ones written here: links with a URI scheme and mentions of users and
 * channels of this very connector. Nothing else can turn into {@code <!here>}, {@code <!channel>},
 * {@code <!everyone>} or a user-group mention; mentions of people on other platforms are plain
 * {@code @name} text. Underline and spoiler, which Slack lacks, show their content plainly.
 *
 * <p>Immutable and thread-safe.
 */
final class MrkdwnRenderer {
  private final String connectorId;

  /** @param connectorId mentions of users and channels of this connector become Slack mentions */
  MrkdwnRenderer(String connectorId) {
    this.connectorId = connectorId;
  }

  String render(RichText text) {
    StringBuilder out = new StringBuilder();
    nodes(text.nodes(), out, EnumSet.noneOf(Style.class));
    return out.toString();
  }

  private void nodes(List<Node> nodes, StringBuilder out, Set<Style> active) {
    for (Node node : nodes) {
      node(node, out, active);
    }
  }

  private void node(Node node, StringBuilder out, Set<Style> active) {
    // Java 17 has no pattern switch; the chain covers every permitted Node type.
    if (node instanceof Text text) {
      escape(text.value(), out);
    } else if (node instanceof LineBreak) {
      out.append('\n');
    } else if (node instanceof Styled styled) {
      styled(styled, out, active);
    } else if (node instanceof InlineCode code) {
      if (!code.code().isEmpty()) {
        out.append('`');
        escape(code.code().replace('`', '\''), out);
        out.append('`');
      }
    } else if (node instanceof CodeBlock block) {
      out.append("```");
      escape(block.code().replace("```", "\'\'\'"), out);
      out.append("```");
    } else if (node instanceof Link link) {
      link(link, out);
    } else if (node instanceof UserMention mention) {
      if (mention.user().connectorId().equals(connectorId) && isSlackId(mention.user().userId())) {
        out.append("<@").append(mention.user().userId()).append('>');
      } else {
        out.append('@');
        escape(mention.displayName(), out);
      }
    } else if (node instanceof ChannelMention mention) {
      if (mention.channel().connectorId().equals(connectorId) && isSlackId(mention.channel().channelId())) {
        out.append("<#").append(mention.channel().channelId()).append('>');
      } else {
        out.append('#');
        escape(mention.name(), out);
      }
    } else if (node instanceof Emoji emoji) {
      emoji(emoji, out);
    } else if (node instanceof Quote quote) {
      quote(quote, out, active);
    }
  }

  private void styled(Styled styled, StringBuilder out, Set<Style> active) {
    String marker = switch (styled.style()) {
      case BOLD -> "*";
      case ITALIC -> "_";
      case STRIKE -> "~";
      case UNDERLINE, SPOILER -> "";
    };
    if (marker.isEmpty() || active.contains(styled.style())) {
      nodes(styled.children(), out, active);
      return;
    }
    Set<Style> inner = EnumSet.copyOf(active);
    inner.add(styled.style());
    StringBuilder content = new StringBuilder();
    nodes(styled.children(), content, inner);
    // Slack only sees a marker next to non-space characters, so white space goes outside of it.
    int start = 0;
    int end = content.length();
    while (start < end && Character.isWhitespace(content.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
      end--;
    }
    if (start == end || content.indexOf("\n", start) >= 0 && content.indexOf("\n", start) < end) {
      // Empty, or spanning lines, which Slack never formats: the content alone.
      out.append(content);
      return;
    }
    out.append(content, 0, start).append(marker).append(content, start, end).append(marker)
        .append(content, end, content.length());
  }

  private void link(Link link, StringBuilder out) {
    String label = new RichText(link.children()).plainText();
    if (!Urls.hasScheme(link.url())) {
      // Not a link Slack would show; keep what people read, never a token.
      escape(link.isBare() ? link.url() : label + " (" + link.url() + ")", out);
      return;
    }
    out.append('<').append(Urls.escapeForAngle(link.url()));
    if (!link.isBare() && !label.isBlank()) {
      out.append('|');
      escape(label.replace('\n', ' '), out);
    }
    out.append('>');
  }

  private static void emoji(Emoji emoji, StringBuilder out) {
    String unicode = emoji.unicode();
    if (unicode != null) {
      out.append(unicode);
    } else if (EmojiNames.isSlackName(emoji.name())) {
      out.append(':').append(emoji.name()).append(':');
    } else {
      out.append(':');
      escape(emoji.name(), out);
      out.append(':');
    }
  }

  private void quote(Quote quote, StringBuilder out, Set<Style> active) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    StringBuilder content = new StringBuilder();
    nodes(quote.children(), content, active);
    int length = content.length();
    if (length > 0 && content.charAt(length - 1) == '\n') {
      length--;
    }
    out.append("> ");
    for (int i = 0; i < length; i++) {
      char c = content.charAt(i);
      out.append(c);
      if (c == '\n') {
        out.append("> ");
      }
    }
    out.append('\n');
  }

  /** Slack ids are upper-case letters and digits ({@code U0123ABC}, {@code C0123ABC}). */
  private static boolean isSlackId(String id) {
    if (id.isEmpty() || id.length() > 32) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> {
          if (out.length() == 0 || out.charAt(out.length() - 1) == '\n') {
            // At the start of a line Slack would read it as a quote; a zero-width space keeps it text.
            out.append(MrkdwnParser.QUOTE_GUARD);
          }
          out.append("&gt;");
        }
        default -> out.append(c);
      }
    }
  }
}
