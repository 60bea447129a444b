package coop.relay.discord.internal;

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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders {@link RichText} as Discord markdown that {@link MarkdownParser} reads back into the same
 * tree. Text is escaped so that it shows literally: a bridged {@code *not bold*} or
 * {@code <@123>} stays text. Mentions of this connector's users become {@code <@id>} (which pings
 * nobody unless {@code allowed_mentions} says so), mentions of linked people on other platforms
 * become the linked Discord user's mention, everyone else is plain {@code @name}.
 */
final class MarkdownRenderer {
  private static final Pattern URL = Pattern.compile("https?://[^\\s<]+[^<.,:;\"')\\]\\s]");
  private static final Pattern CUSTOM_EMOJI_PATH = Pattern.compile("/emojis/(\\d+)\\.(png|gif|webp)(\\?.*)?$");
  private static final Pattern CODE_LANGUAGE = Pattern.compile("[A-Za-z0-9_+#.-]{1,32}");
  /** Characters that start or end markdown anywhere in a line. */
  private static final String ALWAYS_ESCAPED = "\\*_~`|[]<>";

  private final String connectorId;
  private final Map<UserRef, String> linked;
  private final String cdnBaseUrl;

  MarkdownRenderer(String connectorId, Map<UserRef, String> linked, String cdnBaseUrl) {
    this.connectorId = connectorId;
    this.linked = Map.copyOf(linked);
    this.cdnBaseUrl = cdnBaseUrl;
  }

  /** The markdown of {@code text}. */
  String render(RichText text) {
    StringBuilder out = new StringBuilder();
    nodes(text.nodes(), out, EnumSet.noneOf(Style.class));
    return out.toString();
  }

  /** The Discord user ids that {@code text} mentions and that may be pinged (linked people only). */
  Set<String> pingableUsers(RichText text) {
    Set<String> ids = new java.util.LinkedHashSet<>();
    collectPingable(text.nodes(), ids);
    return ids;
  }

  private void collectPingable(List<Node> nodes, Set<String> ids) {
    for (Node node : nodes) {
      if (node instanceof UserMention mention) {
        String id = linked.get(mention.user());
        if (id != null) {
          ids.add(id);
        }
      } else if (node instanceof Styled styled) {
        collectPingable(styled.children(), ids);
      } else if (node instanceof Link link) {
        collectPingable(link.children(), ids);
      } else if (node instanceof Quote quote) {
        collectPingable(quote.children(), ids);
      }
    }
  }

  private void nodes(List<Node> nodes, StringBuilder out, Set<Style> active) {
    List<Node> merged = mergeAdjacentStyles(nodes);
    for (int i = 0; i < merged.size(); i++) {
      Node next = i + 1 < merged.size() ? merged.get(i + 1) : null;
      node(merged.get(i), next, out, active);
    }
  }

  /** Two adjacent spans of one style would render as {@code **a****b**}, which no parser reads back. */
  private static List<Node> mergeAdjacentStyles(List<Node> nodes) {
    List<Node> out = null;
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      if (i > 0 && node instanceof Styled styled && nodes.get(i - 1) instanceof Styled
          && ((Styled) nodes.get(i - 1)).style() == styled.style()) {
        if (out == null) {
          out = new ArrayList<>(nodes.subList(0, i));
        }
        Styled previous = (Styled) out.remove(out.size() - 1);
        List<Node> children = new ArrayList<>(previous.children());
        children.addAll(styled.children());
        out.add(new Styled(styled.style(), children));
      } else if (out != null) {
        out.add(node);
      }
    }
    return out == null ? nodes : out;
  }

  private void node(Node node, @Nullable Node next, StringBuilder out, Set<Style> active) {
    if (node instanceof Text text) {
      text(text.value(), out);
    } else if (node instanceof LineBreak) {
      out.append('\n');
    } else if (node instanceof Styled styled) {
      styled(styled, next, out, active);
    } else if (node instanceof InlineCode code) {
      inlineCode(code.code(), out);
    } else if (node instanceof CodeBlock block) {
      codeBlock(block, out);
    } else if (node instanceof Link link) {
      link(link, next, out, active);
    } else if (node instanceof UserMention mention) {
      userMention(mention, out);
    } else if (node instanceof ChannelMention mention) {
      if (mention.channel().connectorId().equals(connectorId) && isSnowflake(mention.channel().channelId())) {
        out.append("<#").append(mention.channel().channelId()).append('>');
      } else {
        text("#" + mention.name(), out);
      }
    } else if (node instanceof Emoji emoji) {
      emoji(emoji, out);
    } else if (node instanceof Quote quote) {
      quote(quote, out, active);
    }
  }

  private void userMention(UserMention mention, StringBuilder out) {
    String linkedId = linked.get(mention.user());
    if (linkedId != null) {
      out.append("<@").append(linkedId).append('>');
    } else if (mention.user().connectorId().equals(connectorId) && isSnowflake(mention.user().userId())) {
      out.append("<@").append(mention.user().userId()).append('>');
    } else {
      text("@" + mention.displayName(), out);
    }
  }

  private void emoji(Emoji emoji, StringBuilder out) {
    String unicode = emoji.unicode();
    if (unicode != null) {
      out.append(unicode);
      return;
    }
    String id = customEmojiId(emoji);
    if (id != null && !emoji.name().isBlank() && emoji.name().matches("[A-Za-z0-9_]{2,32}")) {
      String url = emoji.imageUrl();
      out.append(url != null && url.contains(".gif") ? "<a:" : "<:").append(emoji.name()).append(':').append(id).append('>');
    } else {
      text(":" + emoji.name() + ":", out);
    }
  }

  /** The Discord id of a custom emoji that came from this connector's CDN, or {@code null}. */
  @Nullable String customEmojiId(Emoji emoji) {
    String url = emoji.imageUrl();
    if (url == null || !url.startsWith(cdnBaseUrl)) {
      return null;
    }
    Matcher matcher = CUSTOM_EMOJI_PATH.matcher(url.substring(cdnBaseUrl.length()));
    return matcher.find() ? matcher.group(1) : null;
  }

  private void styled(Styled styled, @Nullable Node next, StringBuilder out, Set<Style> active) {
    Style style = styled.style();
    if (active.contains(style)) {
      nodes(styled.children(), out, active);
      return;
    }
    Set<Style> inner = EnumSet.copyOf(active.isEmpty() ? EnumSet.noneOf(Style.class) : active);
    inner.add(style);
    StringBuilder content = new StringBuilder();
    nodes(styled.children(), content, inner);
    if (content.toString().isBlank()) {
      out.append(content);
      return;
    }
    // Discord ignores a delimiter that touches whitespace on its inner side: keep spaces outside.
    int start = 0;
    int end = content.length();
    while (start < end && Character.isWhitespace(content.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(content.charAt(end - 1))) {
      end--;
    }
    String body = content.substring(start, end);
    String marker = switch (style) {
      case BOLD -> "**";
      case UNDERLINE -> "__";
      case STRIKE -> "~~";
      case SPOILER -> "||";
      case ITALIC -> active.contains(Style.UNDERLINE) ? "*"
          : italicMarker(body, start > 0 ? ' ' : lastChar(out), end < content.length() ? ' ' : firstChar(next));
    };
    out.append(content, 0, start).append(marker).append(body).append(marker).append(content, end, content.length());
  }

  /**
   * Inside an underline, always {@code *} (three underscores in a row are ambiguous). Otherwise
   * {@code _} unless it would touch a word character or another underscore run (where Discord does
   * not read it as italic); {@code *} unless the content itself starts or ends with one.
   */
  private static String italicMarker(String body, char before, char after) {
    boolean underscoreFails = isWordChar(before) || isWordChar(after) || after == '_'
        || body.startsWith("_") || body.endsWith("_");
    return underscoreFails ? "*" : "_";
  }

  private static char lastChar(StringBuilder out) {
    return out.length() == 0 ? ' ' : out.charAt(out.length() - 1);
  }

  private static char firstChar(@Nullable Node next) {
    if (next == null) {
      return ' ';
    }
    if (next instanceof Text text) {
      return text.value().isEmpty() ? ' ' : firstEscaped(text.value().charAt(0));
    }
    if (next instanceof Styled styled) {
      return styled.style() == Style.UNDERLINE || styled.style() == Style.ITALIC ? '_' : '*';
    }
    return next instanceof LineBreak ? ' ' : '<';
  }

  private static char firstEscaped(char c) {
    return ALWAYS_ESCAPED.indexOf(c) >= 0 ? '\\' : c;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static void inlineCode(String code, StringBuilder out) {
    if (code.isEmpty()) {
      return;
    }
    String single = code.replace('\n', ' ');
    if (single.indexOf('`') < 0) {
      out.append('`').append(single).append('`');
    } else {
      // Double backticks allow single ones inside; the spaces keep edge backticks apart.
      out.append("`` ").append(single.replace("``", "`\u200b`")).append(" ``");
    }
  }

  private static void codeBlock(CodeBlock block, StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    String language = block.language();
    out.append("```");
    if (language != null && CODE_LANGUAGE.matcher(language).matches()) {
      out.append(language);
    }
    out.append('\n').append(block.code().replace("```", "``\u200b`"));
    if (!block.code().endsWith("\n")) {
      out.append('\n');
    }
    out.append("```");
  }

  private void link(Link link, @Nullable Node next, StringBuilder out, Set<Style> active) {
    String url = link.url();
    boolean web = url.startsWith("https://") || url.startsWith("http://");
    if (!web) {
      StringBuilder label = new StringBuilder();
      nodes(link.children(), label, active);
      out.append(label);
      if (!link.isBare()) {
        text(" (" + url + ")", out);
      }
      return;
    }
    String safe = url.replace(" ", "%20").replace(")", "%29").replace(">", "%3E");
    if (link.isBare()) {
      boolean autolinks = URL.matcher(safe).matches();
      boolean separated = next == null || next instanceof LineBreak
          || next instanceof Text text && !text.value().isEmpty() && Character.isWhitespace(text.value().charAt(0));
      if (autolinks && separated) {
        out.append(safe);
      } else {
        out.append('<').append(safe).append('>');
      }
      return;
    }
    StringBuilder label = new StringBuilder();
    nodes(link.children(), label, active);
    out.append('[').append(label).append("](").append(safe).append(')');
  }

  private void quote(Quote quote, StringBuilder out, Set<Style> active) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    StringBuilder content = new StringBuilder();
    nodes(quote.children(), content, active);
    String body = content.toString();
    if (body.endsWith("\n")) {
      body = body.substring(0, body.length() - 1);
    }
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i].isEmpty() ? ">" : "> ").append(lines[i]);
      out.append('\n');
    }
  }

  /** Appends literal text, escaped; URLs stay as they are so that they still link. */
  void text(String value, StringBuilder out) {
    Matcher url = URL.matcher(value);
    int from = 0;
    while (url.find()) {
      escape(value, from, url.start(), out);
      out.append(url.group());
      from = url.end();
    }
    escape(value, from, value.length(), out);
  }

  private static void escape(String value, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      boolean lineStart = out.length() == 0 || out.charAt(out.length() - 1) == '\n';
      if (ALWAYS_ESCAPED.indexOf(c) >= 0) {
        out.append('\\');
      } else if (c == '@' && (value.startsWith("everyone", i + 1) || value.startsWith("here", i + 1))) {
        out.append('\\');
      } else if (lineStart && (c == '#' || c == '>')) {
        out.append('\\');
      } else if (lineStart && (c == '-' || c == '+') && i + 1 < to
          && (value.charAt(i + 1) == ' ' || value.charAt(i + 1) == '#')) {
        out.append('\\');
      } else if (c == '.' && i + 1 < to && value.charAt(i + 1) == ' ' && startsWithNumberedItem(out)) {
        out.append('\\');
      }
      out.append(c);
    }
  }

  /** Whether the current line so far is only digits, so that a following {@code ". "} would make a list. */
  private static boolean startsWithNumberedItem(StringBuilder out) {
    int i = out.length() - 1;
    int digits = 0;
    while (i >= 0 && Character.isDigit(out.charAt(i))) {
      i--;
      digits++;
    }
    return digits > 0 && (i < 0 || out.charAt(i) == '\n');
  }

  static boolean isSnowflake(String id) {
    if (id.isEmpty() || id.length() > 20) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
