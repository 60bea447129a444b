package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Properties of Discord markdown: rendered text always reads back as what was rendered. */
class MarkdownPropertiesTest {
  private static final String CDN = "https://cdn.discordapp.com";
  private final MarkdownParser parser = new MarkdownParser("dc", CDN);
  private final MarkdownRenderer renderer = new MarkdownRenderer("dc", Map.of(), CDN);

  /** Any characters, markup ones included, come back literally: bridged text never turns into formatting. */
  @Property(tries = 500)
  void plainTextSurvivesRenderingAndParsing(@ForAll("markupHeavyText") String value) {
    RichText text = RichText.of(value);

    RichText back = parser.parse(renderer.render(text), MentionNames.NONE);

    assertThat(back).isEqualTo(text);
  }

  /**
   * Any tree of styles, nested or side by side, glued to words or not, around code, links, mentions
   * and emoji, reads back with the same meaning: every character keeps its styles and its place in a
   * link, code or mention. The tree may come back in another shape (see {@link #meaning}).
   */
  @Property(tries = 1000)
  void styledTextKeepsItsMeaningThroughRenderingAndParsing(@ForAll("styledText") RichText text) {
    String markdown = renderer.render(text);

    RichText back = parser.parse(markdown, MentionNames.NONE);

    assertThat(meaning(back)).as("%s rendered as %s", text, markdown).isEqualTo(meaning(text));
  }

  /**
   * One thing a reader sees: a character, or a whole code span, mention or emoji, with the styles it
   * shows in and the links and quotes around it.
   *
   * @param shown the character, or a description of the atom
   * @param styles the styles it shows in
   * @param context the links and quotes it is in, outermost first
   */
  record Cell(String shown, Set<Style> styles, String context) {}

  /**
   * What {@code text} looks like to a reader, as a sequence of cells. Trees that look the same have
   * the same meaning although they differ: {@code **a** **b**} (two spans) and a span over
   * {@code a b} differ only in the style of the space, which does not show, so styles on whitespace
   * are left out; {@code ***a***} is bold in italic or italic in bold; adjacent spans of one style
   * read as one. Zero-width spaces are left out, as they show nothing (the renderer uses them to
   * keep delimiters apart).
   */
  static List<Cell> meaning(RichText text) {
    List<Cell> cells = new ArrayList<>();
    cells(text.nodes(), EnumSet.noneOf(Style.class), "", cells);
    return cells;
  }

  private static void cells(List<Node> nodes, Set<Style> styles, String context, List<Cell> out) {
    for (Node node : nodes) {
      if (node instanceof Text text) {
        chars(text.value(), styles, context, out);
      } else if (node instanceof LineBreak) {
        out.add(new Cell("\n", Set.of(), context));
      } else if (node instanceof Styled styled) {
        Set<Style> inner = EnumSet.of(styled.style());
        inner.addAll(styles);
        cells(styled.children(), inner, context, out);
      } else if (node instanceof InlineCode code) {
        out.add(new Cell("code " + code.code(), Set.copyOf(styles), context));
      } else if (node instanceof CodeBlock block) {
        out.add(new Cell("block " + block.language() + " " + block.code(), Set.of(), context));
      } else if (node instanceof Link link) {
        String inLink = context + "link " + link.url() + "/";
        if (link.children().isEmpty()) {
          chars(link.url(), styles, inLink, out);
        } else {
          cells(link.children(), styles, inLink, out);
        }
      } else if (node instanceof UserMention mention) {
        out.add(new Cell("user " + mention.user(), Set.copyOf(styles), context));
      } else if (node instanceof ChannelMention mention) {
        out.add(new Cell("channel " + mention.channel(), Set.copyOf(styles), context));
      } else if (node instanceof Emoji emoji) {
        String shown = emoji.unicode() == null ? "emoji " + emoji.name() + " " + emoji.imageUrl() : emoji.unicode();
        out.add(new Cell(shown, Set.copyOf(styles), context));
      } else if (node instanceof Quote quote) {
        cells(quote.children(), styles, context + "quote/", out);
      }
    }
  }

  private static void chars(String value, Set<Style> styles, String context, List<Cell> out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\u200b') {
        continue;
      }
      boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c);
      out.add(new Cell(String.valueOf(c), blank ? Set.of() : Set.copyOf(styles), context));
    }
  }

  @Provide
  Arbitrary<String> markupHeavyText() {
    return Arbitraries.strings().withChars("abc XYZ019*_~`|[]()<>@#:-+.!\\/\n").ofMaxLength(40)
        .filter(s -> !s.contains("://"));
  }

  @Provide
  Arbitrary<RichText> styledText() {
    return nodes(3, true).map(RichText::new);
  }

  /**
   * Lists of nodes as far as {@code depth} styles deep; in a link's label ({@code !blocks}) without
   * line breaks and further links, which Discord cannot show there.
   */
  private Arbitrary<List<Node>> nodes(int depth, boolean outsideLinks) {
    Arbitrary<Node> word = Arbitraries.strings().withChars("abcxyz19 *_~|<>#-.`\\").ofMinLength(1).ofMaxLength(6)
        .map(Text::new);
    Arbitrary<Node> code = Arbitraries.strings().withChars("ab*_ ~|`").ofMinLength(1).ofMaxLength(5)
        .filter(s -> !s.isBlank() && s.equals(s.strip()) && !s.contains("``")).map(InlineCode::new);
    Arbitrary<Node> mention = Arbitraries.strings().numeric().ofMinLength(17).ofMaxLength(19)
        .filter(id -> id.charAt(0) != '0')
        .map(id -> new UserMention(new UserRef("dc", id), "someone"));
    Arbitrary<Node> emoji = Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(5),
            Arbitraries.longs().between(100_000_000_000_000_000L, 999_999_999_999_999_999L))
        .as((name, id) -> (Node) Emoji.custom(name, CDN + "/emojis/" + id + ".png"));
    Arbitrary<String> url = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5)
        .map(path -> "https://example.org/" + path);
    List<Tuple.Tuple2<Integer, Arbitrary<Node>>> leaves = new ArrayList<>(List.of(
        Tuple.of(8, word), Tuple.of(1, code), Tuple.of(1, mention), Tuple.of(1, emoji)));
    if (outsideLinks) {
      leaves.add(Tuple.of(1, Arbitraries.just(LineBreak.INSTANCE)));
      leaves.add(Tuple.of(1, url.map(u -> new Link(u, List.of(new Text(u))))));
      leaves.add(Tuple.of(1, Combinators.combine(url, nodes(Math.min(depth, 1), false))
          .as((u, label) -> (Node) new Link(u, label))));
    }
    Arbitrary<Node> leaf = Arbitraries.frequencyOf(leaves);
    Arbitrary<Node> node = depth == 0 ? leaf : Arbitraries.frequencyOf(
        Tuple.of(3, leaf),
        Tuple.of(2, Combinators.combine(Arbitraries.of(Style.values()), nodes(depth - 1, outsideLinks))
            .as((style, children) -> (Node) new Styled(style, children))));
    Arbitrary<Boolean> spaced = Arbitraries.of(true, false);
    return Combinators.combine(node.list().ofMinSize(1).ofMaxSize(4), spaced).as(MarkdownPropertiesTest::join);
  }

  /** Nodes side by side, with spaces between them as people mostly write, or glued together. */
  private static List<Node> join(List<Node> nodes, boolean spaced) {
    List<Node> out = new ArrayList<>();
    for (Node node : nodes) {
      if (spaced && !out.isEmpty()) {
        out.add(new Text(" "));
      }
      out.add(node);
    }
    return new RichText(out).nodes();
  }
}
