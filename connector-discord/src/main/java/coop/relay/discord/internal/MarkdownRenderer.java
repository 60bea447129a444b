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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders {@link RichText} as Discord markdown that means the same when Discord (or
 * {@link MarkdownParser}, which follows Discord's rules) reads it back: the same characters with the
 * same styles, links, code, mentions and emoji. Text is escaped so that it shows literally: a bridged
 * {@code *not bold*} or {@code <@123>} stays text. Mentions of this connector's users become
 * {@code <@id>} (which pings nobody unless {@code allowed_mentions} says so), mentions of linked people
 * on other platforms become the linked Discord user's mention, everyone else is plain {@code @name}.
 *
 * <p>Styles are not written node by node. Discord's delimiters are ambiguous where they touch
 * ({@code ***a** b*}, {@code ___a__ b_}) and where an underscore touches a word, so the styled nodes
 * are first flattened into units (a character, or an atom such as inline code or a mention) that each
 * carry their set of styles. Each line is then nested anew: styles that last longer open first,
 * styles that end together are ordered so that their delimiters can be told apart, and every italic
 * span takes whichever of {@code _} and {@code *} nothing ambiguous touches. When neither does, the
 * span is split at a space inside it (a space's style does not show); when there is no such space, an
 * invisible zero-width space keeps the delimiters apart.
 */
final class MarkdownRenderer {
  private static final Pattern URL = Pattern.compile("https?://[^\\s<]+[^<.,:;\"')\\]\\s]");
  private static final Pattern CUSTOM_EMOJI_PATH = Pattern.compile("/emojis/(\\d+)\\.(png|gif|webp)(\\?.*)?$");
  private static final Pattern CODE_LANGUAGE = Pattern.compile("[A-Za-z0-9_+#.-]{1,32}");
  /** Characters that start or end markdown anywhere in a line. */
  private static final String ALWAYS_ESCAPED = "\\*_~`|[]<>";
  /** Keeps two delimiters apart where nothing else can; Discord shows nothing for it. */
  private static final char SEPARATOR = '\u200b';
  private static final int ITALIC = bit(Style.ITALIC);
  private static final int STRIKE = bit(Style.STRIKE);
  /** Styles from outermost to innermost when they open and close together; see {@link #order}. */
  private static final List<Style> NESTING = List.of(Style.SPOILER, Style.STRIKE, Style.BOLD, Style.UNDERLINE,
      Style.ITALIC);

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
    blocks(text.nodes(), 0, out);
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

  // ---- flattening: nodes into units that carry their styles ----

  /** What flattening yields: units, and the line breaks and blocks that end a line. */
  private sealed interface Item permits Unit, Break, QuoteItem, BlockItem {}

  private enum Kind { CHAR, ATOM, URL }

  /**
   * One character of text (escaped when written), an atom written as it is (inline code, a mention,
   * a masked link), or a URL that is written bare or in angle brackets, whichever its neighbours allow.
   *
   * @param styles a bit set of {@link Style} ordinals
   */
  private record Unit(Kind kind, String value, int styles) implements Item {
    boolean isBlank() {
      return kind == Kind.CHAR && MarkdownRenderer.isBlank(value.charAt(0));
    }

    Unit withStyles(int newStyles) {
      return newStyles == styles ? this : new Unit(kind, value, newStyles);
    }
  }

  private enum Break implements Item { INSTANCE }

  private record QuoteItem(List<Node> children, int styles) implements Item {}

  private record BlockItem(CodeBlock block) implements Item {}

  /** Renders nodes that may hold line breaks and blocks; {@code styles} apply to all of them. */
  private void blocks(List<Node> nodes, int styles, StringBuilder out) {
    List<Item> items = new ArrayList<>();
    flatten(nodes, styles, false, items);
    List<Unit> line = new ArrayList<>();
    for (Item item : items) {
      if (item instanceof Unit unit) {
        line.add(unit);
        continue;
      }
      line(line, true, out);
      line.clear();
      if (item instanceof Break) {
        out.append('\n');
      } else if (item instanceof QuoteItem quote) {
        quote(quote, out);
      } else if (item instanceof BlockItem block) {
        codeBlock(block.block(), out);
      }
    }
    line(line, true, out);
  }

  /**
   * Appends the items of {@code nodes}. In a link's label ({@code inLabel}) everything stays on one
   * line and links nest no further, as Discord allows neither there.
   */
  private void flatten(List<Node> nodes, int styles, boolean inLabel, List<Item> out) {
    for (Node node : nodes) {
      if (node instanceof Text text) {
        textUnits(text.value(), styles, out);
      } else if (node instanceof LineBreak) {
        if (inLabel) {
          out.add(new Unit(Kind.CHAR, " ", styles));
        } else {
          out.add(Break.INSTANCE);
        }
      } else if (node instanceof Styled styled) {
        flatten(styled.children(), styles | bit(styled.style()), inLabel, out);
      } else if (node instanceof InlineCode code) {
        atom(inlineCode(code.code()), styles, out);
      } else if (node instanceof CodeBlock block) {
        if (inLabel) {
          atom(inlineCode(block.code()), styles, out);
        } else {
          out.add(new BlockItem(block));
        }
      } else if (node instanceof Link link) {
        link(link, styles, inLabel, out);
      } else if (node instanceof UserMention mention) {
        userMention(mention, styles, out);
      } else if (node instanceof ChannelMention mention) {
        if (mention.channel().connectorId().equals(connectorId) && isSnowflake(mention.channel().channelId())) {
          atom("<#" + mention.channel().channelId() + ">", styles, out);
        } else {
          textUnits("#" + mention.name(), styles, out);
        }
      } else if (node instanceof Emoji emoji) {
        emoji(emoji, styles, out);
      } else if (node instanceof Quote quote) {
        if (inLabel) {
          flatten(quote.children(), styles, true, out);
        } else {
          out.add(new QuoteItem(quote.children(), styles));
        }
      }
    }
  }

  /** Characters of literal text; URLs in it stay URLs so that they still link. */
  private static void textUnits(String value, int styles, List<Item> out) {
    Matcher url = URL.matcher(value);
    int from = 0;
    while (url.find()) {
      chars(value, from, url.start(), styles, out);
      out.add(new Unit(Kind.URL, url.group(), styles));
      from = url.end();
    }
    chars(value, from, value.length(), styles, out);
  }

  private static void chars(String value, int from, int to, int styles, List<Item> out) {
    for (int i = from; i < to; i++) {
      out.add(new Unit(Kind.CHAR, String.valueOf(value.charAt(i)), styles));
    }
  }

  private static void atom(String markdown, int styles, List<Item> out) {
    if (!markdown.isEmpty()) {
      out.add(new Unit(Kind.ATOM, markdown, styles));
    }
  }

  private void userMention(UserMention mention, int styles, List<Item> out) {
    String linkedId = linked.get(mention.user());
    if (linkedId != null) {
      atom("<@" + linkedId + ">", styles, out);
    } else if (mention.user().connectorId().equals(connectorId) && isSnowflake(mention.user().userId())) {
      atom("<@" + mention.user().userId() + ">", styles, out);
    } else {
      textUnits("@" + mention.displayName(), styles, out);
    }
  }

  private void emoji(Emoji emoji, int styles, List<Item> out) {
    String unicode = emoji.unicode();
    if (unicode != null) {
      textUnits(unicode, styles, out); // escaped: keycap emoji start with * and #
      return;
    }
    String id = customEmojiId(emoji);
    if (id != null && !emoji.name().isBlank() && emoji.name().matches("[A-Za-z0-9_]{2,32}")) {
      String url = emoji.imageUrl();
      atom((url != null && url.contains(".gif") ? "<a:" : "<:") + emoji.name() + ':' + id + '>', styles, out);
    } else {
      textUnits(":" + emoji.name() + ":", styles, out);
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

  private void link(Link link, int styles, boolean inLabel, List<Item> out) {
    String url = link.url();
    boolean web = url.startsWith("https://") || url.startsWith("http://");
    if (!web || inLabel) {
      // Not a link Discord can show (or one inside another's label): its label, then where it points.
      if (link.children().isEmpty()) {
        chars(url, 0, url.length(), styles, out);
      } else {
        flatten(link.children(), styles, inLabel, out);
      }
      if (!link.isBare()) {
        chars(" (" + url + ")", 0, url.length() + 3, styles, out);
      }
      return;
    }
    String safe = url.replace(" ", "%20").replace(")", "%29").replace(">", "%3E");
    if (link.isBare()) {
      out.add(new Unit(Kind.URL, safe, styles));
      return;
    }
    // The label is nested on its own; the styles of the whole link are written around it.
    List<Item> items = new ArrayList<>();
    flatten(link.children(), styles, true, items);
    List<Unit> label = new ArrayList<>(items.size());
    for (Item item : items) {
      Unit unit = (Unit) item; // a label holds no line breaks or blocks
      label.add(unit.withStyles(unit.styles() & ~styles));
    }
    StringBuilder markdown = new StringBuilder("[");
    line(label, false, markdown);
    atom(markdown.append("](").append(safe).append(')').toString(), styles, out);
  }

  // ---- nesting one line ----

  private enum TokenKind { OPEN, CLOSE, TEXT, ATOM, URL }

  /**
   * A piece of a planned line: a delimiter of span {@code span} (whose italic marker the plan chooses
   * later) or content. Units {@code [from, to)} are the ones that the token stands for.
   */
  private record Token(TokenKind kind, String value, int style, int span, int from, int to) {
    boolean isDelimiter() {
      return kind == TokenKind.OPEN || kind == TokenKind.CLOSE;
    }
  }

  /** The tokens of a line and the marker ({@code '*'} or {@code '_'}) of each italic span. */
  private record Plan(List<Token> tokens, char[] italics) {}

  /**
   * Appends one line of units. {@code blankAfter} says whether what follows the line (a line feed, the
   * end) ends a bare URL, which a link label's closing bracket does not.
   */
  private static void line(List<Unit> input, boolean blankAfter, StringBuilder out) {
    if (input.isEmpty()) {
      return;
    }
    List<Unit> units = trimmed(input);
    while (true) {
      Plan plan = plan(units);
      List<Integer> splits = chooseItalics(plan, units);
      if (splits.isEmpty()) {
        write(plan, blankAfter, out);
        return;
      }
      for (int blank : splits) {
        units = withoutItalic(units, blank);
      }
    }
  }

  /**
   * Takes every style off the blanks at the ends of its runs: Discord ignores a delimiter that touches
   * a space on its inner side, and a style does not show on a space at the edge of a span.
   */
  private static List<Unit> trimmed(List<Unit> units) {
    int n = units.size();
    int[] styles = new int[n];
    for (int i = 0; i < n; i++) {
      styles[i] = units.get(i).styles();
    }
    for (Style style : Style.values()) {
      int b = bit(style);
      int i = 0;
      while (i < n) {
        if ((styles[i] & b) == 0) {
          i++;
          continue;
        }
        int end = i;
        while (end < n && (styles[end] & b) != 0) {
          end++;
        }
        int first = i;
        while (first < end && units.get(first).isBlank()) {
          styles[first++] &= ~b;
        }
        for (int last = end - 1; last >= first && units.get(last).isBlank(); last--) {
          styles[last] &= ~b;
        }
        i = end;
      }
    }
    List<Unit> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(units.get(i).withStyles(styles[i]));
    }
    return out;
  }

  /**
   * Nests the styles of a line with a stack: a style that ends closes the styles opened inside it and
   * reopens those that go on; styles that start together open longest first. A style never opens on a
   * blank, where its delimiter would touch the blank: it waits for the next character.
   */
  private static Plan plan(List<Unit> units) {
    int n = units.size();
    int[][] runEnd = new int[Style.values().length][n + 1];
    for (Style style : Style.values()) {
      int b = bit(style);
      int[] ends = runEnd[style.ordinal()];
      ends[n] = n;
      for (int i = n - 1; i >= 0; i--) {
        ends[i] = (units.get(i).styles() & b) == 0 ? i : (i + 1 < n && (units.get(i + 1).styles() & b) != 0 ? ends[i + 1] : i + 1);
      }
    }
    List<Token> tokens = new ArrayList<>();
    int[] stack = new int[Style.values().length];
    int[] stackSpan = new int[stack.length];
    int depth = 0;
    int open = 0;
    int spans = 0;
    for (int i = 0; i < n; i++) {
      Unit unit = units.get(i);
      int target = unit.styles();
      int keep = 0;
      while (keep < depth && (target & stack[keep]) != 0) {
        keep++;
      }
      for (int d = depth - 1; d >= keep; d--) {
        tokens.add(new Token(TokenKind.CLOSE, "", stack[d], stackSpan[d], i, i));
        open &= ~stack[d];
      }
      depth = keep;
      int opening = unit.isBlank() ? 0 : target & ~open;
      for (Style style : order(opening, runEnd, i)) {
        tokens.add(new Token(TokenKind.OPEN, "", bit(style), spans, i, i));
        stack[depth] = bit(style);
        stackSpan[depth++] = spans++;
        open |= bit(style);
      }
      Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
      if (unit.kind() == Kind.CHAR && last != null && last.kind() == TokenKind.TEXT) {
        tokens.set(tokens.size() - 1, new Token(TokenKind.TEXT, last.value() + unit.value(), 0, -1, last.from(), i + 1));
      } else {
        TokenKind kind = switch (unit.kind()) {
          case CHAR -> TokenKind.TEXT;
          case ATOM -> TokenKind.ATOM;
          case URL -> TokenKind.URL;
        };
        tokens.add(new Token(kind, unit.value(), 0, -1, i, i + 1));
      }
    }
    for (int d = depth - 1; d >= 0; d--) {
      tokens.add(new Token(TokenKind.CLOSE, "", stack[d], stackSpan[d], n, n));
    }
    return new Plan(tokens, new char[spans]);
  }

  /**
   * The styles in {@code opening} from outermost to innermost: longest run first, so that fewer spans
   * must close and reopen; among styles that end together, in {@link #NESTING} order, which keeps
   * italic innermost (it can then always pick a marker unlike its neighbour's) and strike outside
   * underline (Discord does not close {@code ~~} before an underscore).
   */
  private static List<Style> order(int opening, int[][] runEnd, int at) {
    if (opening == 0) {
      return List.of();
    }
    List<Style> styles = new ArrayList<>(NESTING.size());
    for (Style style : NESTING) {
      if ((opening & bit(style)) != 0) {
        styles.add(style);
      }
    }
    styles.sort((a, b) -> Integer.compare(runEnd[b.ordinal()][at], runEnd[a.ordinal()][at]));
    return styles;
  }

  /**
   * Gives each italic span of the plan the marker that nothing ambiguous touches, {@code _} when both
   * do. Returns the indexes of blanks inside spans that need {@code _} at one end and {@code *} at the
   * other: the caller splits those spans there and plans again. A span that cannot be helped so keeps
   * the marker with fewer conflicts, and {@link #write} separates what still touches.
   */
  private static List<Integer> chooseItalics(Plan plan, List<Unit> units) {
    List<Integer> splits = new ArrayList<>();
    List<Token> tokens = plan.tokens();
    char[] italics = plan.italics();
    int[] openAt = new int[italics.length];
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      if (token.style() != ITALIC) {
        continue;
      }
      if (token.kind() == TokenKind.OPEN) {
        openAt[token.span()] = t;
        continue;
      }
      int opened = openAt[token.span()];
      int[] openConflicts = new int[2];
      int[] closeConflicts = new int[2];
      int[] costs = new int[2];
      char[] markers = {'_', '*'};
      for (int m = 0; m < 2; m++) {
        italics[token.span()] = markers[m];
        openConflicts[m] = conflicts(plan, opened);
        closeConflicts[m] = conflicts(plan, t);
        costs[m] = openConflicts[m] + closeConflicts[m] + rawInside(tokens, opened, t, markers[m]);
      }
      int best = costs[0] <= costs[1] ? 0 : 1;
      italics[token.span()] = markers[best];
      if (costs[best] == 0 || openConflicts[best] + closeConflicts[best] == 0) {
        continue;
      }
      boolean openSideFits = openConflicts[0] == 0 || openConflicts[1] == 0;
      boolean closeSideFits = closeConflicts[0] == 0 || closeConflicts[1] == 0;
      if (openSideFits && closeSideFits) {
        for (int i = tokens.get(opened).from(); i < token.from(); i++) {
          if (units.get(i).isBlank() && (units.get(i).styles() & ITALIC) != 0) {
            splits.add(i);
            break;
          }
        }
      }
    }
    return splits;
  }

  /**
   * How many atoms between tokens {@code from} and {@code to} hold {@code marker} unescaped, as code
   * and URLs may: Discord looks for the end of an italic span without skipping them.
   */
  private static int rawInside(List<Token> tokens, int from, int to, char marker) {
    int count = 0;
    for (int t = from + 1; t < to; t++) {
      Token token = tokens.get(t);
      if ((token.kind() == TokenKind.ATOM || token.kind() == TokenKind.URL) && token.value().indexOf(marker) >= 0) {
        count++;
      }
    }
    return count;
  }

  /** How many of the two places where token {@code t} touches its neighbours are ambiguous. */
  private static int conflicts(Plan plan, int t) {
    List<Token> tokens = plan.tokens();
    Token token = tokens.get(t);
    Token before = t > 0 ? tokens.get(t - 1) : null;
    Token after = t + 1 < tokens.size() ? tokens.get(t + 1) : null;
    return (ambiguous(plan, before, token) ? 1 : 0) + (ambiguous(plan, token, after) ? 1 : 0);
  }

  /**
   * Whether {@code left} directly followed by {@code right} would not read back as written: two
   * delimiters of one character merge into a longer run ({@code ***}, {@code ___}), and so do the
   * backticks of two code spans; Discord's strike
   * does not close before an underscore; an italic underscore touching a letter or digit on its
   * outer side is part of a word; a delimiter touching a blank on its inner side is no delimiter.
   */
  private static boolean ambiguous(Plan plan, @Nullable Token left, @Nullable Token right) {
    if (left == null || right == null) {
      return false;
    }
    char l = lastChar(plan, left);
    char r = firstChar(plan, right);
    if (left.isDelimiter() && right.isDelimiter() && l == r || l == '`' && r == '`') {
      return true;
    }
    if (left.kind() == TokenKind.CLOSE && left.style() == STRIKE && r == '_') {
      return true;
    }
    if (left.kind() == TokenKind.TEXT && right.kind() == TokenKind.CLOSE && (r == '~' || r == '|') && l == r) {
      return true; // Discord finds the end of ~~ and || ignoring escapes: \~~~ ends before the tilde
    }
    if (right.kind() == TokenKind.OPEN && right.style() == ITALIC && r == '_' && isWordChar(l)) {
      return true;
    }
    if (left.kind() == TokenKind.CLOSE && left.style() == ITALIC && l == '_' && isWordChar(r)) {
      return true;
    }
    return left.kind() == TokenKind.OPEN && isBlank(r) || right.kind() == TokenKind.CLOSE && isBlank(l);
  }

  private static char firstChar(Plan plan, Token token) {
    return switch (token.kind()) {
      case OPEN, CLOSE -> marker(plan, token).charAt(0);
      case TEXT -> ALWAYS_ESCAPED.indexOf(token.value().charAt(0)) >= 0 ? '\\' : token.value().charAt(0);
      case ATOM -> token.value().charAt(0);
      case URL -> '<'; // next to a delimiter a URL is always written in angle brackets
    };
  }

  private static char lastChar(Plan plan, Token token) {
    return switch (token.kind()) {
      case OPEN, CLOSE -> marker(plan, token).charAt(0);
      case TEXT, ATOM -> token.value().charAt(token.value().length() - 1);
      case URL -> '>';
    };
  }

  private static String marker(Plan plan, Token token) {
    return switch (Style.values()[Integer.numberOfTrailingZeros(token.style())]) {
      case BOLD -> "**";
      case UNDERLINE -> "__";
      case STRIKE -> "~~";
      case SPOILER -> "||";
      case ITALIC -> String.valueOf(plan.italics()[token.span()]);
    };
  }

  /** The units with italic taken off the blanks around {@code blank}, which splits the span there. */
  private static List<Unit> withoutItalic(List<Unit> units, int blank) {
    List<Unit> out = new ArrayList<>(units);
    for (int i = blank; i < out.size() && out.get(i).isBlank(); i++) {
      out.set(i, out.get(i).withStyles(out.get(i).styles() & ~ITALIC));
    }
    for (int i = blank - 1; i >= 0 && out.get(i).isBlank(); i--) {
      out.set(i, out.get(i).withStyles(out.get(i).styles() & ~ITALIC));
    }
    return out;
  }

  private static void write(Plan plan, boolean blankAfter, StringBuilder out) {
    List<Token> tokens = plan.tokens();
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      Token before = t > 0 ? tokens.get(t - 1) : null;
      Token after = t + 1 < tokens.size() ? tokens.get(t + 1) : null;
      if (ambiguous(plan, before, token)) {
        out.append(SEPARATOR);
      }
      switch (token.kind()) {
        case OPEN, CLOSE -> out.append(marker(plan, token));
        case TEXT -> escape(token.value(), 0, token.value().length(), before != null && before.kind() == TokenKind.OPEN, out);
        case ATOM -> out.append(token.value());
        case URL -> {
          // Bare only where Discord's URL pattern stops exactly at its end and a word does not glue to it.
          boolean bare = URL.matcher(token.value()).matches()
              && (before == null ? out.isEmpty() || !isWordChar(out.charAt(out.length() - 1))
                  : (before.kind() == TokenKind.TEXT || before.kind() == TokenKind.ATOM)
                      && !isWordChar(lastChar(plan, before)))
              && (after == null ? blankAfter : after.kind() == TokenKind.TEXT && isBlank(after.value().charAt(0)));
          if (bare) {
            out.append(token.value());
          } else {
            out.append('<').append(token.value()).append('>');
          }
        }
      }
    }
  }

  // ---- blocks and literal text ----

  private static String inlineCode(String code) {
    if (code.isEmpty()) {
      return "";
    }
    String single = code.replace('\n', ' ');
    if (single.indexOf('`') < 0) {
      return '`' + single + '`';
    }
    // Double backticks allow single ones inside; the spaces keep edge backticks apart.
    return "`` " + single.replace("``", "`\u200b`") + " ``";
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

  private void quote(QuoteItem quote, StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    StringBuilder content = new StringBuilder();
    blocks(quote.children(), quote.styles(), content);
    String body = content.toString();
    if (body.endsWith("\n")) {
      body = body.substring(0, body.length() - 1);
    }
    String[] lines = body.split("\n", -1);
    for (String line : lines) {
      out.append(line.isEmpty() ? ">" : "> ").append(line);
      out.append('\n');
    }
  }

  /** Appends literal text, escaped; URLs stay as they are so that they still link. */
  void text(String value, StringBuilder out) {
    Matcher url = URL.matcher(value);
    int from = 0;
    while (url.find()) {
      escape(value, from, url.start(), false, out);
      out.append(url.group());
      from = url.end();
    }
    escape(value, from, value.length(), false, out);
  }

  /**
   * Appends {@code value} escaped. Discord reads the content of a span as it reads a line, so that
   * {@code **# a**} at a line's start is a heading and {@code a **> b**} a quote: at
   * {@code spanStart}, what would start a block is escaped as at a line's start.
   */
  private static void escape(String value, int from, int to, boolean spanStart, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      boolean lineStart = i == from && spanStart || out.length() == 0 || out.charAt(out.length() - 1) == '\n';
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

  private static int bit(Style style) {
    return 1 << style.ordinal();
  }

  /** Whitespace as either Discord or {@link MarkdownParser} sees it (no-break spaces included). */
  private static boolean isBlank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\ufeff';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
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
