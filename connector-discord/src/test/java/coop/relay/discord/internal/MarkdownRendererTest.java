package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.text.InlineCode;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How styles are nested and delimited where Discord's delimiters would be ambiguous. */
class MarkdownRendererTest {
  private static final String CDN = "https://cdn.discordapp.com";
  private final MarkdownParser parser = new MarkdownParser("dc", CDN);
  private final MarkdownRenderer renderer = new MarkdownRenderer("dc", Map.of(), CDN);

  private static Styled styled(Style style, Node... children) {
    return new Styled(style, List.of(children));
  }

  private static Text text(String value) {
    return new Text(value);
  }

  /** Renders {@code nodes} and checks that the markdown reads back with the same meaning. */
  private String render(Node... nodes) {
    RichText text = new RichText(List.of(nodes));
    String markdown = renderer.render(text);
    assertThat(MarkdownPropertiesTest.meaning(parser.parse(markdown, MentionNames.NONE)))
        .as("%s rendered as %s", text, markdown)
        .isEqualTo(MarkdownPropertiesTest.meaning(text));
    return markdown;
  }

  @Test
  void italicAroundBoldAndUnderlineIsSplitAtTheSpaceBetweenThem() {
    // Written as one span, *…* would touch ** and _…_ would touch __: ***a** __a__* read back wrong.
    assertThat(render(styled(Style.ITALIC, styled(Style.BOLD, text("a")), text(" "), styled(Style.UNDERLINE, text("a")))))
        .isEqualTo("**_a_** __*a*__");
  }

  @Test
  void italicTakesTheMarkerThatItsNeighboursDoNotUse() {
    assertThat(render(text("x"), styled(Style.ITALIC, styled(Style.BOLD, text("a"))))).isEqualTo("x**_a_**");
    assertThat(render(styled(Style.UNDERLINE, styled(Style.ITALIC, text("a"))))).isEqualTo("__*a*__");
    assertThat(render(text("snake"), styled(Style.ITALIC, text("case")))).isEqualTo("snake*case*");
    assertThat(render(styled(Style.ITALIC, text("see "), new InlineCode("my_var")))).isEqualTo("*see `my_var`*");
  }

  @Test
  void strikeIsNeverClosedRightBeforeAnUnderscoreAsDiscordWouldNotCloseIt() {
    assertThat(render(styled(Style.STRIKE, text("a")), styled(Style.ITALIC, text("b")))).isEqualTo("~~a~~*b*");
    assertThat(render(styled(Style.STRIKE, text("a")), styled(Style.UNDERLINE, text("b")))).isEqualTo("~~a~~\u200b__b__");
    assertThat(render(styled(Style.UNDERLINE, styled(Style.STRIKE, text("a"))))).isEqualTo("~~__a__~~");
  }

  @Test
  void delimitersThatNothingElseCanSeparateGetAZeroWidthSpace() {
    // Bold "a", then italic "b" glued to plain "c": "_" cannot close before a letter, "*" would make "***".
    assertThat(render(styled(Style.BOLD, text("a")), styled(Style.ITALIC, text("b")), text("c")))
        .isEqualTo("**a**_b_\u200bc");
    // Discord ends ~~ at the first two tildes, escaped or not.
    assertThat(render(styled(Style.STRIKE, text("a~")))).isEqualTo("~~a\\~\u200b~~");
    assertThat(render(new InlineCode("a"), new InlineCode("b"))).isEqualTo("`a`\u200b`b`");
  }

  @Test
  void ordinarySpansNeedNoSeparator() {
    String markdown = render(styled(Style.BOLD, text("very "), styled(Style.ITALIC, text("important"))), text(" and "),
        styled(Style.SPOILER, styled(Style.STRIKE, text("gone"))), text(" "), styled(Style.UNDERLINE, text("u "),
            styled(Style.ITALIC, text("i"))));

    assertThat(markdown).isEqualTo("**very _important_** and ||~~gone~~|| __u *i*__");
  }

  @Test
  void blockMarkersAtTheStartOfASpanAreEscaped() {
    // Discord reads a span's content as a line: **# a** would be a heading, **> a** a quote.
    assertThat(render(styled(Style.BOLD, text("# a")))).isEqualTo("**\\# a**");
    assertThat(render(text("x "), styled(Style.BOLD, text("> a")))).isEqualTo("x **\\> a**");
  }

  @Test
  void aUrlTouchingADelimiterIsWrittenInAngleBrackets() {
    String url = "https://example.org/a";
    assertThat(render(styled(Style.BOLD, new Link(url, List.of(text(url)))))).isEqualTo("**<" + url + ">**");
    assertThat(render(styled(Style.BOLD, text("see "), new Link(url, List.of(text(url))), text(" now"))))
        .isEqualTo("**see " + url + " now**");
    // A URL in text still links, so it too must not swallow the delimiter after it.
    String markdown = renderer.render(new RichText(List.of(styled(Style.BOLD, text("see " + url)))));
    assertThat(markdown).isEqualTo("**see <" + url + ">**");
    assertThat(parser.parse(markdown, MentionNames.NONE).nodes())
        .containsExactly(styled(Style.BOLD, text("see "), new Link(url, List.of(text(url)))));
  }
}
