package coop.relay.matrix.internal;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders {@link RichText} as {@code org.matrix.custom.html}, using only tags and attributes the
 * spec allows ({@code strong}, {@code em}, {@code del}, {@code u}, {@code span data-mx-spoiler},
 * {@code code}, {@code pre}, {@code a href}, {@code blockquote}, {@code br}). Every text is escaped,
 * links with a scheme the spec does not allow become plain text, and mentions become pills only
 * for users of this connector: a mention of anyone else is plain {@code @name} that pings nobody.
 *
 * <p>{@link HtmlParser} reads the output back into the same tree for texts in canonical form, where
 * a code block is on lines of its own and a quote starts a line: the line break before a block is a
 * {@code <br>} (which HTML absorbs into the block), the one after a code block is implied by it.
 * Pure and thread-safe.
 */
final class HtmlRenderer {
  /** The link schemes the spec allows in {@code a href}. */
  static final Set<String> LINK_SCHEMES = Set.of("https", "http", "ftp", "mailto", "magnet");
  static final String USER_PILL_PREFIX = "https://matrix.to/#/";

  private final String connectorId;

  HtmlRenderer(String connectorId) {
    this.connectorId = connectorId;
  }

  /** The HTML for {@code text}. */
  String render(RichText text) {
    StringBuilder out = new StringBuilder();
    nodes(text.nodes(), out);
    return out.toString();
  }

  /** Whether {@code text} needs HTML at all: plain text and line breaks are said by {@code body} alone. */
  static boolean isPlain(RichText text) {
    for (Node node : text.nodes()) {
      if (!(node instanceof Text) && !(node instanceof LineBreak)) {
        return false;
      }
    }
    return true;
  }

  /** The Matrix user ids the text mentions as pills, for {@code m.mentions}. */
  Set<String> mentionedUsers(RichText text) {
    Set<String> users = new LinkedHashSet<>();
    collectMentions(text.nodes(), users);
    return users;
  }

  private void collectMentions(List<Node> nodes, Set<String> users) {
    for (Node node : nodes) {
      if (node instanceof UserMention mention) {
        if (isOurs(mention.user().connectorId()) && mention.user().userId().startsWith("@")) {
          users.add(mention.user().userId());
        }
      } else if (node instanceof Styled styled) {
        collectMentions(styled.children(), users);
      } else if (node instanceof Link link) {
        collectMentions(link.children(), users);
      } else if (node instanceof Quote quote) {
        collectMentions(quote.children(), users);
      }
    }
  }

  private void nodes(List<Node> nodes, StringBuilder out) {
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      if (node instanceof LineBreak && i > 0 && nodes.get(i - 1) instanceof CodeBlock) {
        continue; // a code block ends its line itself
      }
      node(node, out);
    }
  }

  private void node(Node node, StringBuilder out) {
    if (node instanceof Text text) {
      escape(text.value(), out);
    } else if (node instanceof LineBreak) {
      out.append("<br>");
    } else if (node instanceof Styled styled) {
      String[] tags = tags(styled.style());
      out.append(tags[0]);
      nodes(styled.children(), out);
      out.append(tags[1]);
    } else if (node instanceof InlineCode code) {
      out.append("<code>");
      escape(code.code(), out);
      out.append("</code>");
    } else if (node instanceof CodeBlock block) {
      out.append("<pre><code");
      if (block.language() != null) {
        out.append(" class=\"language-");
        escape(block.language(), out);
        out.append('"');
      }
      out.append('>');
      escape(block.code(), out);
      // Readers drop one final line feed of a code block, as Matrix clients write one.
      out.append("\n</code></pre>");
    } else if (node instanceof Link link) {
      link(link, out);
    } else if (node instanceof UserMention mention) {
      if (isOurs(mention.user().connectorId()) && mention.user().userId().startsWith("@")) {
        out.append("<a href=\"").append(USER_PILL_PREFIX);
        escape(mention.user().userId(), out);
        out.append("\">");
        escape(mention.displayName(), out);
        out.append("</a>");
      } else {
        escape("@" + mention.displayName(), out);
      }
    } else if (node instanceof ChannelMention mention) {
      String room = mention.channel().channelId();
      if (isOurs(mention.channel().connectorId()) && (room.startsWith("!") || room.startsWith("#"))) {
        out.append("<a href=\"").append(USER_PILL_PREFIX);
        escape(room, out);
        out.append("\">#");
        escape(mention.name(), out);
        out.append("</a>");
      } else {
        escape("#" + mention.name(), out);
      }
    } else if (node instanceof Emoji emoji) {
      escape(plain(emoji), out);
    } else if (node instanceof Quote quote) {
      out.append("<blockquote>");
      nodes(quote.children(), out);
      out.append("</blockquote>");
    }
  }

  private void link(Link link, StringBuilder out) {
    if (!allowedLink(link.url())) {
      escape(plain(link), out);
      return;
    }
    out.append("<a href=\"");
    escape(link.url(), out);
    out.append("\">");
    if (link.children().isEmpty()) {
      escape(link.url(), out);
    } else {
      nodes(link.children(), out);
    }
    out.append("</a>");
  }

  private boolean isOurs(String otherConnectorId) {
    return connectorId.equals(otherConnectorId);
  }

  private static String[] tags(Style style) {
    switch (style) {
      case BOLD:
        return new String[] {"<strong>", "</strong>"};
      case ITALIC:
        return new String[] {"<em>", "</em>"};
      case STRIKE:
        return new String[] {"<del>", "</del>"};
      case UNDERLINE:
        return new String[] {"<u>", "</u>"};
      default:
        return new String[] {"<span data-mx-spoiler>", "</span>"};
    }
  }

  static boolean allowedLink(String url) {
    int colon = url.indexOf(':');
    if (colon <= 0) {
      return false;
    }
    return LINK_SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  private static String plain(Node node) {
    StringBuilder out = new StringBuilder();
    node.appendPlainText(out);
    return out.toString();
  }

  static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '&') {
        out.append("&amp;");
      } else if (c == '<') {
        out.append("&lt;");
      } else if (c == '>') {
        out.append("&gt;");
      } else if (c == '"') {
        out.append("&quot;");
      } else {
        out.append(c);
      }
    }
  }
}
