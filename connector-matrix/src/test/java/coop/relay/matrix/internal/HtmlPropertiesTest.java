package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

/**
 * Properties of the HTML conversion over generated texts: rendering then parsing gives the same
 * tree back (for texts in canonical form, see {@link HtmlRenderer}), the rendered HTML uses only
 * tags and attributes the spec allows, and parsing any HTML never lets a forbidden element through.
 */
class HtmlPropertiesTest {
  private static final Set<String> ALLOWED_TAGS = Set.of("strong", "em", "del", "u", "span", "code", "pre", "a",
      "blockquote", "br");
  private static final Set<String> ALLOWED_ATTRIBUTES = Set.of("href", "class", "data-mx-spoiler");

  private final HtmlRenderer renderer = new HtmlRenderer("mx");
  private final HtmlParser parser = new HtmlParser("mx");

  @Property(tries = 300)
  void renderingThenParsingGivesTheSameText(@ForAll("canonicalTexts") RichText text) {
    String html = renderer.render(text);

    assertThat(parser.parse(html)).as("parsed back from %s", html).isEqualTo(text);
  }

  @Property(tries = 300)
  void renderedHtmlUsesOnlyTheSpecsTagsAndAttributes(@ForAll("anyTexts") RichText text) {
    String html = renderer.render(text);

    for (Element element : Jsoup.parseBodyFragment(html).body().getAllElements()) {
      if (element.normalName().equals("body")) {
        continue;
      }
      assertThat(ALLOWED_TAGS).as("tag in %s", html).contains(element.normalName());
      for (Attribute attribute : element.attributes()) {
        assertThat(ALLOWED_ATTRIBUTES).as("attribute in %s", html).contains(attribute.getKey());
        if (attribute.getKey().equals("href")) {
          assertThat(HtmlRenderer.allowedLink(attribute.getValue())).as("link in %s", html).isTrue();
        }
      }
    }
  }

  @Property(tries = 300)
  void parsingNeverLetsScriptsThrough(@ForAll("hostileHtml") String html) {
    RichText text = parser.parse(html);

    assertThat(text.plainText()).doesNotContain("SECRET_SCRIPT").doesNotContain("SECRET_STYLE");
    assertLinksAllowed(text.nodes());
  }

  private static void assertLinksAllowed(List<Node> nodes) {
    for (Node node : nodes) {
      if (node instanceof Link link) {
        assertThat(HtmlRenderer.allowedLink(link.url())).as("link %s", link.url()).isTrue();
        assertLinksAllowed(link.children());
      } else if (node instanceof Styled styled) {
        assertLinksAllowed(styled.children());
      } else if (node instanceof Quote quote) {
        assertLinksAllowed(quote.children());
      }
    }
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<RichText> canonicalTexts() {
    Arbitrary<List<Node>> block = Arbitraries.oneOf(
        inline(2).list().ofMinSize(1).ofMaxSize(4),
        codeBlock().map(List::of),
        inline(1).list().ofMinSize(1).ofMaxSize(3).map(children -> List.of(new Quote(children))));
    // Blocks joined by line breaks, one or two, which is how code blocks and quotes sit in a text.
    return Combinators.combine(block.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(1, 2).list()
        .ofSize(4)).as((blocks, breaks) -> {
          List<Node> nodes = new ArrayList<>();
          for (int i = 0; i < blocks.size(); i++) {
            if (i > 0) {
              // A quote ends its line itself; otherwise one line break, or two for an empty line.
              int count = nodes.get(nodes.size() - 1) instanceof Quote ? breaks.get(i) - 1 : breaks.get(i);
              for (int b = 0; b < count; b++) {
                nodes.add(LineBreak.INSTANCE);
              }
            }
            nodes.addAll(blocks.get(i));
          }
          return new RichText(nodes);
        })
        .filter(HtmlPropertiesTest::canonical);
  }

  /**
   * Code blocks and quotes start a line (after a line break or a quote); a code block is followed by
   * a line break unless it ends the text, and that line break is not the text's last node.
   */
  private static boolean canonical(RichText text) {
    List<Node> nodes = text.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      Node before = i == 0 ? null : nodes.get(i - 1);
      if ((node instanceof CodeBlock || node instanceof Quote) && before != null
          && !(before instanceof LineBreak) && !(before instanceof Quote)) {
        return false;
      }
      if (node instanceof CodeBlock && i + 1 < nodes.size()
          && (!(nodes.get(i + 1) instanceof LineBreak) || i + 2 == nodes.size())) {
        return false;
      }
    }
    return !nodes.isEmpty();
  }

  @Provide
  Arbitrary<RichText> anyTexts() {
    Arbitrary<Node> any = Arbitraries.oneOf(inline(2), codeBlock(), Arbitraries.just(LineBreak.INSTANCE),
        words().map(w -> (Node) Emoji.custom(w.strip().isEmpty() ? "x" : w.strip(), "https://example.org/e.png")),
        Arbitraries.of("javascript:alert(1)", "data:text/html,x", "https://ok.example/?q=<>", "matrix:u/x:y")
            .map(url -> (Node) new Link(url, List.of(new Text("label")))),
        words().map(w -> (Node) new ChannelMention(new ChannelRef("dc", "1234"), w)),
        words().map(w -> (Node) new UserMention(new UserRef("tg", "42"), w)));
    return any.list().ofMinSize(1).ofMaxSize(8).map(RichText::new);
  }

  private Arbitrary<Node> inline(int depth) {
    Arbitrary<Node> leaf = Arbitraries.oneOf(
        words().map(Text::new),
        words().map(InlineCode::new),
        Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8), words())
            .as((path, label) -> new Link("https://example.org/" + path, List.of(new Text(label)))),
        Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(n -> "Name " + n))
            .as((local, name) -> new UserMention(new UserRef("mx", "@" + local + ":example.org"), name)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Node> styled = Combinators.combine(Arbitraries.of(Style.class),
            inline(depth - 1).list().ofMinSize(1).ofMaxSize(3))
        .as((style, children) -> (Node) new Styled(style, children))
        .filter(n -> !((Styled) n).children().isEmpty());
    Arbitrary<Node> lineBreak = Arbitraries.just(LineBreak.INSTANCE);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, leaf), net.jqwik.api.Tuple.of(2, styled), net.jqwik.api.Tuple.of(1, lineBreak));
  }

  private static Arbitrary<Node> codeBlock() {
    Arbitrary<String> language = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)
        .injectNull(0.3);
    Arbitrary<String> code = Arbitraries.strings().withChars("abc xyz<>&\"{}();\n\t").ofMaxLength(40);
    return Combinators.combine(language, code).as((lang, body) -> (Node) new CodeBlock(lang, body));
  }

  /** Text with markup characters, non-ASCII letters and an emoji, never only white space. */
  private static Arbitrary<String> words() {
    return Arbitraries.strings()
        .withChars("abcdefgh XYZ0123<>&\"'#*_`~[](){}!?.,;:/=é√ß")
        .withChars("\uD83D\uDE00".toCharArray()[0])
        .ofMinLength(1).ofMaxLength(12)
        .map(s -> s.replace("\uD83D", "\uD83D\uDE00"))
        .filter(s -> !s.isBlank());
  }

  @Provide
  Arbitrary<String> hostileHtml() {
    Arbitrary<String> piece = Arbitraries.oneOf(
        Arbitraries.of("<script>SECRET_SCRIPT</script>", "<style>SECRET_STYLE</style>",
            "<a href=\"javascript:SECRET()\">x</a>", "<img src=\"https://t.example/p\" onerror=\"SECRET()\">",
            "<iframe src=\"https://evil.example\"></iframe>", "<b>", "</b>", "<blockquote>", "</blockquote>",
            "<pre><code>", "</code></pre>", "<a href=\"https://matrix.to/#/@a:b\">", "</a>", "<br>", "<p>", "</p>",
            "<mx-reply>quoted</mx-reply>", "<object data=\"x\">", "<svg><script>SECRET_SCRIPT</script></svg>"),
        // Escaped, so that a word never runs into the next tag ("<a" + "<script>" is one odd tag, not a script).
        words().map(w -> w.replace("&", "&amp;").replace("<", "&lt;")));
    return piece.list().ofMinSize(1).ofMaxSize(10).map(pieces -> String.join("", pieces));
  }
}
