package coop.relay.matrix.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code org.matrix.custom.html} into {@link RichText}, by an allowlist: only the tags the
 * Matrix spec allows are interpreted, and of them only the attributes the spec allows ({@code href}
 * with the spec's schemes, a code block's {@code language-} class, {@code data-mx-spoiler}, an
 * image's {@code alt}, a list's {@code start}). Anything else is stripped, never passed through: an
 * unknown tag leaves only its text, elements that hold no text for people ({@code script},
 * {@code style}, {@code svg}, ...) and reply fallbacks ({@code <mx-reply>}) leave nothing, a link with
 * another scheme leaves its label. Styles, code, links, quotes and line structure map to nodes; pills
 * ({@code https://matrix.to/#/@user:server}) become mentions of this connector's users and rooms.
 * Pure and thread-safe.
 */
final class HtmlParser {
  private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
      "pre", "ul", "ol", "li", "hr", "table", "thead", "tbody", "tr", "caption", "details", "summary");
  /** Elements whose content is no text for people; an HTML parser still sees text in some of them. */
  private static final Evaluator INVISIBLE =
      QueryParser.parse("mx-reply, script, style, template, svg, math, iframe, object, embed, noscript, title, head");

  private final String connectorId;

  HtmlParser(String connectorId) {
    this.connectorId = connectorId;
  }

  /** The rich text of {@code html}; never fails, whatever the input. */
  RichText parse(String html) {
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0 && html.indexOf('\n') < 0) {
      return RichText.of(html); // no markup at all: spare the parser
    }
    Document document = Jsoup.parseBodyFragment(html);
    document.select(INVISIBLE).remove();
    Out out = new Out();
    children(document.body(), out, 0);
    return new RichText(out.resolve());
  }

  /** A line boundary implied by a block element; becomes line breaks only between inline content. */
  private record SoftBreak(int lines) {}

  /** Nodes and soft breaks as they are read, resolved into nodes at the end of each container. */
  private static final class Out {
    final List<Object> items = new ArrayList<>();

    void add(Node node) {
      items.add(node);
    }

    void softBreak(int lines) {
      items.add(new SoftBreak(lines));
    }

    boolean atLineStart() {
      for (int i = items.size() - 1; i >= 0; i--) {
        Object item = items.get(i);
        if (item instanceof SoftBreak) {
          continue;
        }
        return item instanceof LineBreak;
      }
      return true;
    }

    List<Node> resolve() {
      List<Node> nodes = new ArrayList<>();
      int pending = 0;
      for (Object item : items) {
        if (item instanceof SoftBreak soft) {
          pending = Math.max(pending, soft.lines());
          continue;
        }
        if (pending > 0 && !nodes.isEmpty()) {
          Node previous = nodes.get(nodes.size() - 1);
          // A <br> right before a block and the end of a quote already end the line.
          int lines = previous instanceof LineBreak || previous instanceof Quote ? pending - 1 : pending;
          for (int i = 0; i < lines; i++) {
            nodes.add(LineBreak.INSTANCE);
          }
        }
        pending = 0;
        nodes.add((Node) item);
      }
      return nodes;
    }
  }

  private void children(Element parent, Out out, int listDepth) {
    List<org.jsoup.nodes.Node> nodes = parent.childNodes();
    for (int i = 0; i < nodes.size(); i++) {
      org.jsoup.nodes.Node child = nodes.get(i);
      if (child instanceof TextNode text) {
        text(text, i == 0 ? null : nodes.get(i - 1), i + 1 < nodes.size() ? nodes.get(i + 1) : null, parent, out);
      } else if (child instanceof Element element) {
        element(element, out, listDepth);
      }
    }
  }

  private static void text(TextNode node, org.jsoup.nodes.@Nullable Node before, org.jsoup.nodes.@Nullable Node after,
      Element parent, Out out) {
    String value = node.getWholeText();
    if (value.isBlank() && (isBlock(before) || isBlock(after)
        || ((before == null || after == null) && BLOCKS.contains(parent.normalName())))) {
      return; // formatting between blocks, as in "<p>a</p>\n<p>b</p>"
    }
    // Outside <pre>, a line feed is white space in HTML; the lines are made by <br> and blocks.
    StringBuilder text = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r') {
        continue;
      }
      if (c == '\n') {
        boolean atStart = text.length() == 0 && out.atLineStart();
        boolean beforeBreak = i == value.length() - 1 && (isBreak(after) || after == null && BLOCKS.contains(parent.normalName()));
        if (!atStart && !beforeBreak) {
          text.append(' ');
        }
        continue;
      }
      text.append(c);
    }
    if (text.length() > 0) {
      out.add(new Text(text.toString()));
    }
  }

  private static boolean isBlock(org.jsoup.nodes.@Nullable Node node) {
    return node instanceof Element element && BLOCKS.contains(element.normalName());
  }

  private static boolean isBreak(org.jsoup.nodes.@Nullable Node node) {
    return node instanceof Element element && (element.normalName().equals("br") || BLOCKS.contains(element.normalName()));
  }

  private void element(Element element, Out out, int listDepth) {
    String tag = element.normalName();
    switch (tag) {
      case "br" -> out.add(LineBreak.INSTANCE);
      case "b", "strong" -> styled(Style.BOLD, element, out, listDepth);
      case "i", "em" -> styled(Style.ITALIC, element, out, listDepth);
      case "del", "s" -> styled(Style.STRIKE, element, out, listDepth);
      case "u" -> styled(Style.UNDERLINE, element, out, listDepth);
      case "span" -> {
        if (element.hasAttr("data-mx-spoiler")) {
          styled(Style.SPOILER, element, out, listDepth);
        } else {
          children(element, out, listDepth);
        }
      }
      case "code" -> {
        String code = element.wholeText();
        if (!code.isEmpty()) {
          out.add(new InlineCode(code));
        }
      }
      case "pre" -> {
        out.softBreak(1);
        out.add(codeBlock(element));
        out.softBreak(1);
      }
      case "a" -> link(element, out, listDepth);
      case "blockquote" -> {
        out.softBreak(1);
        Out inner = new Out();
        children(element, inner, listDepth);
        out.add(new Quote(inner.resolve()));
        out.softBreak(1);
      }
      case "p" -> block(element, out, listDepth, 2);
      case "h1", "h2", "h3", "h4", "h5", "h6" -> {
        out.softBreak(2);
        styled(Style.BOLD, element, out, listDepth);
        out.softBreak(2);
      }
      case "ul", "ol" -> list(element, out, listDepth, tag.equals("ol"));
      case "li", "div", "table", "thead", "tbody", "tr", "caption", "details", "summary" -> block(element, out, listDepth, 1);
      case "td", "th" -> {
        if (element.elementSiblingIndex() > 0) {
          out.add(new Text(" | "));
        }
        children(element, out, listDepth);
      }
      case "hr" -> {
        out.softBreak(1);
        out.add(new Text("---"));
        out.softBreak(1);
      }
      case "img" -> image(element, out);
      default -> children(element, out, listDepth); // font, sup, sub: only their content shows
    }
  }

  private void styled(Style style, Element element, Out out, int listDepth) {
    Out inner = new Out();
    children(element, inner, listDepth);
    List<Node> nodes = inner.resolve();
    if (!nodes.isEmpty()) {
      out.add(new Styled(style, nodes));
    }
  }

  private void block(Element element, Out out, int listDepth, int lines) {
    out.softBreak(lines);
    children(element, out, listDepth);
    out.softBreak(lines);
  }

  private void list(Element list, Out out, int listDepth, boolean ordered) {
    int number = 1;
    if (ordered) {
      try {
        number = Integer.parseInt(list.attr("start").strip());
      } catch (NumberFormatException noStart) {
        number = 1;
      }
    }
    out.softBreak(1);
    for (Element item : list.children()) {
      if (!item.normalName().equals("li")) {
        element(item, out, listDepth + 1);
        continue;
      }
      out.softBreak(1);
      out.add(new Text("  ".repeat(listDepth) + (ordered ? number++ + ". " : "• ")));
      children(item, out, listDepth + 1);
      out.softBreak(1);
    }
    out.softBreak(1);
  }

  private static CodeBlock codeBlock(Element pre) {
    String language = null;
    Element code = pre.selectFirst("code");
    if (code != null) {
      for (String name : code.classNames()) {
        if (name.startsWith("language-") && name.length() > "language-".length()) {
          language = name.substring("language-".length());
        }
      }
    }
    String text = pre.wholeText();
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    return new CodeBlock(language, text);
  }

  private void link(Element anchor, Out out, int listDepth) {
    String href = anchor.attr("href").strip();
    Out inner = new Out();
    children(anchor, inner, listDepth);
    List<Node> label = inner.resolve();
    boolean matrixUri = href.regionMatches(true, 0, "matrix:", 0, 7);
    if (href.isEmpty() || !(HtmlRenderer.allowedLink(href) || matrixUri)) {
      label.forEach(out::add); // no target, or a scheme the spec does not allow: only the label is left
      return;
    }
    String target = pillTarget(href);
    String text = anchor.text().strip();
    if (target != null && target.startsWith("@")) {
      String name = text.startsWith("@") ? text.substring(1) : text;
      out.add(new UserMention(new UserRef(connectorId, target), name.isEmpty() ? target : name));
      return;
    }
    if (target != null && (target.startsWith("!") || target.startsWith("#"))) {
      String name = text.startsWith("#") ? text.substring(1) : text;
      out.add(new ChannelMention(new ChannelRef(connectorId, target), name.isEmpty() ? target : name));
      return;
    }
    if (matrixUri) {
      label.forEach(out::add); // a matrix: URI that names no user or room
      return;
    }
    out.add(new Link(href, label.isEmpty() ? List.of(new Text(href)) : label));
  }

  /**
   * The user, room or alias a pill points at: {@code https://matrix.to/#/@alice:example.org} or
   * {@code matrix:u/alice:example.org}; {@code null} for any other link (event permalinks included).
   */
  static @Nullable String pillTarget(String href) {
    if (href.startsWith(HtmlRenderer.USER_PILL_PREFIX)) {
      String id = href.substring(HtmlRenderer.USER_PILL_PREFIX.length());
      int query = id.indexOf('?');
      if (query >= 0) {
        id = id.substring(0, query);
      }
      id = decode(id);
      boolean oneId = id.indexOf('/') < 0 && id.indexOf(':') > 1;
      return oneId && (id.startsWith("@") || id.startsWith("!") || id.startsWith("#")) ? id : null;
    }
    if (href.regionMatches(true, 0, "matrix:", 0, 7)) {
      String rest = href.substring(7);
      int query = rest.indexOf('?');
      if (query >= 0) {
        rest = rest.substring(0, query);
      }
      String[] parts = rest.split("/");
      if (parts.length == 2 && parts[1].indexOf(':') > 0) {
        String id = decode(parts[1]);
        return switch (parts[0]) {
          case "u" -> "@" + id;
          case "r" -> "#" + id;
          case "roomid" -> "!" + id;
          default -> null;
        };
      }
    }
    return null;
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return value;
    }
  }

  private static void image(Element image, Out out) {
    String alt = image.attr("alt").strip();
    if (alt.isEmpty()) {
      alt = image.attr("title").strip();
    }
    if (alt.length() > 2 && alt.startsWith(":") && alt.endsWith(":")) {
      out.add(Emoji.custom(alt.substring(1, alt.length() - 1), null)); // a custom emoji (mxc images are not public)
    } else if (!alt.isEmpty()) {
      out.add(new Text(alt));
    }
  }
}
