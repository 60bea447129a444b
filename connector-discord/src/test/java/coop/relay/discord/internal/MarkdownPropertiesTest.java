package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.text.InlineCode;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  /** Styled spans, nested or side by side, come back as the same tree. */
  @Property(tries = 300)
  void styledTextSurvivesRenderingAndParsing(@ForAll("styledText") RichText text) {
    RichText back = parser.parse(renderer.render(text), MentionNames.NONE);

    assertThat(back).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> markupHeavyText() {
    return Arbitraries.strings().withChars("abc XYZ019*_~`|[]()<>@#:-+.!\\/\n").ofMaxLength(40)
        .filter(s -> !s.contains("://"));
  }

  @Provide
  Arbitrary<RichText> styledText() {
    return nodes(2).map(RichText::new);
  }

  private Arbitrary<List<Node>> nodes(int depth) {
    Arbitrary<Node> word = Arbitraries.strings().withChars("abcxyz*_<").ofMinLength(1).ofMaxLength(6).map(Text::new);
    Arbitrary<Node> code = Arbitraries.strings().withChars("ab*_ ").ofMinLength(1).ofMaxLength(5)
        .filter(s -> !s.isBlank() && s.equals(s.strip())).map(InlineCode::new);
    Arbitrary<Node> leaf = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, word), net.jqwik.api.Tuple.of(1, code),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(LineBreak.INSTANCE)));
    Arbitrary<Node> node = depth == 0 ? leaf : Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf),
        net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of(Style.values()), nodes(depth - 1))
            .as((style, children) -> (Node) new Styled(style, children))));
    return node.list().ofMinSize(1).ofMaxSize(4).map(MarkdownPropertiesTest::separate)
        .filter(MarkdownPropertiesTest::canonical);
  }

  /** Spaces between nodes, as people write: "**a** b", never "**a**b" glued to a word. */
  private static List<Node> separate(List<Node> nodes) {
    List<Node> out = new ArrayList<>();
    for (Node node : nodes) {
      if (!out.isEmpty()) {
        out.add(new Text(" "));
      }
      out.add(node);
    }
    return new RichText(out).nodes();
  }

  /**
   * The trees a renderer can give back unchanged: no empty or edge-whitespace spans, no span
   * nested in the same style, no line break at a span's edge, no span that only wraps another.
   */
  private static boolean canonical(List<Node> nodes) {
    return nodes.stream().allMatch(node -> canonical(node, List.of()));
  }

  private static boolean canonical(Node node, List<Style> outer) {
    if (!(node instanceof Styled styled)) {
      return true;
    }
    List<Node> children = styled.children();
    if (children.isEmpty() || outer.contains(styled.style())) {
      return false;
    }
    if (children.size() == 1 && children.get(0) instanceof Styled) {
      return false; // bold-in-italic and italic-in-bold are the same text: either order may come back
    }
    String plain = new RichText(children).plainText();
    if (plain.isBlank() || !plain.equals(plain.strip())) {
      return false;
    }
    List<Style> inner = new ArrayList<>(outer);
    inner.add(styled.style());
    return children.stream().allMatch(child -> canonical(child, inner));
  }
}
