package coop.relay.testkit.internal;

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
import java.util.List;

/**
 * Renders portable text into the in-memory platform's markdown-like markup: {@code **bold**},
 * {@code _italic_}, {@code ~~strike~~}, {@code __underline__}, {@code ||spoiler||}, backtick code,
 * {@code [label](url)}, {@code <@user>} and {@code <#channel>} for this connector's own users and
 * channels, {@code @name}/{@code #name} (which ping nobody) for everyone else's, and {@code "> "}
 * quotes. Markup characters in literal text are escaped with a backslash, so rendering is
 * deterministic and injective enough for assertions.
 */
public final class MarkupRenderer {
  private static final String SPECIAL = "\\*_~`|[]<>#@:";

  private MarkupRenderer() {}

  /** The markup of {@code text} as seen by the connector {@code ownConnectorId}. */
  public static String render(RichText text, String ownConnectorId) {
    StringBuilder out = new StringBuilder();
    appendAll(text.nodes(), ownConnectorId, out);
    return out.toString();
  }

  private static void appendAll(List<Node> nodes, String own, StringBuilder out) {
    for (Node node : nodes) {
      append(node, own, out);
    }
  }

  // Java 17 has no pattern switch; the final else keeps a new node kind from passing silently.
  private static void append(Node node, String own, StringBuilder out) {
    if (node instanceof Text t) {
      escape(t.value(), out);
    } else if (node instanceof Styled s) {
      String mark = switch (s.style()) {
        case BOLD -> "**";
        case ITALIC -> "_";
        case STRIKE -> "~~";
        case UNDERLINE -> "__";
        case SPOILER -> "||";
      };
      out.append(mark);
      appendAll(s.children(), own, out);
      out.append(mark);
    } else if (node instanceof InlineCode c) {
      out.append('`').append(c.code().replace("`", "'")).append('`');
    } else if (node instanceof CodeBlock b) {
      out.append("```");
      if (b.language() != null) {
        out.append(b.language());
      }
      out.append('\n').append(b.code().replace("```", "'''")).append("\n```");
    } else if (node instanceof Link l) {
      if (l.isBare()) {
        out.append(l.url());
      } else {
        out.append('[');
        appendAll(l.children(), own, out);
        out.append("](").append(l.url()).append(')');
      }
    } else if (node instanceof UserMention m) {
      if (m.user().connectorId().equals(own)) {
        out.append("<@").append(m.user().userId()).append('>');
      } else {
        out.append('@');
        escape(m.displayName(), out);
      }
    } else if (node instanceof ChannelMention m) {
      if (m.channel().connectorId().equals(own)) {
        out.append("<#").append(m.channel().channelId()).append('>');
      } else {
        out.append('#');
        escape(m.name(), out);
      }
    } else if (node instanceof Emoji e) {
      if (e.unicode() != null) {
        out.append(e.unicode());
      } else {
        out.append(':').append(e.name()).append(':');
      }
    } else if (node instanceof Quote q) {
      StringBuilder inner = new StringBuilder();
      appendAll(q.children(), own, inner);
      for (String line : inner.toString().split("\n", -1)) {
        out.append("> ").append(line).append('\n');
      }
    } else if (node instanceof LineBreak) {
      out.append('\n');
    } else {
      throw new IllegalStateException("no markup for rich text node " + node.getClass().getName());
    }
  }

  private static void escape(String literal, StringBuilder out) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (SPECIAL.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
  }
}
