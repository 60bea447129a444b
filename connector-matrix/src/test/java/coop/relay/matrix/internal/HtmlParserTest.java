package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.ChannelMention;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Link;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code org.matrix.custom.html}: what maps to which node, and what never passes through. */
class HtmlParserTest {
  private final HtmlParser parser = new HtmlParser("mx");

  @Test
  void stylesMapToStyledNodes() {
    RichText text = parser.parse("<b>b</b><strong>s</strong><i>i</i><em>e</em><del>d</del><s>x</s><u>u</u>"
        + "<span data-mx-spoiler=\"plot\">hidden</span>");

    assertThat(text.nodes()).containsExactly(
        styled(Style.BOLD, "b"), styled(Style.BOLD, "s"), styled(Style.ITALIC, "i"), styled(Style.ITALIC, "e"),
        styled(Style.STRIKE, "d"), styled(Style.STRIKE, "x"), styled(Style.UNDERLINE, "u"),
        styled(Style.SPOILER, "hidden"));
  }

  @Test
  void codeBlockKeepsItsLanguageAndLinesWithoutTheFinalLineFeed() {
    RichText text = parser.parse("<pre><code class=\"language-java\">int a;\n  a++;\n</code></pre>");

    assertThat(text.nodes()).containsExactly(new CodeBlock("java", "int a;\n  a++;"));
  }

  @Test
  void pillsBecomeMentionsOfThisConnector() {
    RichText text = parser.parse("hi <a href=\"https://matrix.to/#/@alice:example.org\">Alice</a> in "
        + "<a href=\"https://matrix.to/#/%23room:example.org\">#room</a> and "
        + "<a href=\"matrix:u/bob:example.org?action=chat\">@Bob</a>");

    assertThat(text.nodes()).containsExactly(
        new Text("hi "), new UserMention(new UserRef("mx", "@alice:example.org"), "Alice"), new Text(" in "),
        new ChannelMention(new ChannelRef("mx", "#room:example.org"), "room"), new Text(" and "),
        new UserMention(new UserRef("mx", "@bob:example.org"), "Bob"));
  }

  @Test
  void anEventPermalinkStaysALink() {
    String href = "https://matrix.to/#/!room:example.org/$event:example.org";

    assertThat(parser.parse("<a href=\"" + href + "\">that</a>").nodes())
        .containsExactly(new Link(href, List.of(new Text("that"))));
  }

  @Test
  void replyFallbackIsRemoved() {
    RichText text = parser.parse("<mx-reply><blockquote><a href=\"https://matrix.to/#/!r:x/$e:x\">In reply to</a>"
        + " <a href=\"https://matrix.to/#/@bob:x\">@bob:x</a><br>the question</blockquote></mx-reply>the answer");

    assertThat(text).isEqualTo(RichText.of("the answer"));
  }

  @Test
  void scriptsStylesAndUnknownTagsNeverPassThrough() {
    RichText text = parser.parse("<script>alert('x')</script><style>p{}</style><marquee>moving</marquee>"
        + "<iframe src=\"https://evil.example\">frame</iframe><b onclick=\"steal()\">bold</b>");

    assertThat(text.plainText()).isEqualTo("movingbold");
    assertThat(text.nodes()).contains(styled(Style.BOLD, "bold"));
  }

  @Test
  void linksWithSchemesTheSpecForbidsLoseTheirTarget() {
    RichText text = parser.parse("<a href=\"javascript:steal()\">click</a> <a href=\"data:text/html,x\">data</a>");

    assertThat(text).isEqualTo(RichText.of("click data"));
  }

  @Test
  void paragraphsAndLineBreaksBecomeLines() {
    RichText text = parser.parse("<p>first</p>\n<p>second<br>\nthird</p>\n");

    assertThat(text.plainText()).isEqualTo("first\n\nsecond\nthird");
  }

  @Test
  void listsAndHeadingsKeepTheirStructureInText() {
    RichText text = parser.parse("<h1>Title</h1><ul><li>one</li><li>two</li></ul><ol start=\"3\"><li>three</li></ol>");

    assertThat(text.plainText()).isEqualTo("Title\n\n• one\n• two\n3. three");
    assertThat(text.nodes().get(0)).isEqualTo(styled(Style.BOLD, "Title"));
  }

  @Test
  void quoteIsAQuoteNode() {
    RichText text = parser.parse("said:<blockquote>the <em>quote</em></blockquote>and then");

    assertThat(text.nodes()).containsExactly(new Text("said:"), LineBreak.INSTANCE,
        new Quote(List.of(new Text("the "), styled(Style.ITALIC, "quote"))), new Text("and then"));
  }

  @Test
  void customEmojiImagesBecomeCustomEmojiAndOtherImagesTheirAltText() {
    RichText text = parser.parse("<img data-mx-emoticon src=\"mxc://x/y\" alt=\":party:\"> "
        + "<img src=\"mxc://x/z\" alt=\"a cat\"> <img src=\"https://tracker.example/p.png\" alt=\"pixel\">");

    assertThat(text.nodes()).containsExactly(Emoji.custom("party", null), new Text(" a cat pixel"));
  }

  @Test
  void entitiesAreDecoded() {
    assertThat(parser.parse("a &lt;b&gt; &amp; &quot;c&quot; &#128512;").plainText()).isEqualTo("a <b> & \"c\" 😀");
  }

  private static Styled styled(Style style, String text) {
    return new Styled(style, List.of(new Text(text)));
  }
}
