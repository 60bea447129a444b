package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import org.junit.jupiter.api.Test;

/** RichText → Bot API HTML, through {@link RichTextFormatter} and {@link HtmlWriter}. */
class HtmlRenderingTest {
  private final RichTextFormatter formatter = new RichTextFormatter("tg");

  private String html(RichText text) {
    return HtmlWriter.write(formatter.format(text));
  }

  @Test
  void markupCharactersInTextAreEscaped() {
    assertThat(html(RichText.of("a <b> & \"c\" </i>"))).isEqualTo("a &lt;b&gt; &amp; \"c\" &lt;/i&gt;");
  }

  @Test
  void stylesBecomeTheDocumentedTags() {
    RichText text = RichText.builder().bold("b").italic("i").underline("u").strike("s").spoiler("p").build();

    assertThat(html(text)).isEqualTo("<b>b</b><i>i</i><u>u</u><s>s</s><tg-spoiler>p</tg-spoiler>");
  }

  @Test
  void nestedStylesNest() {
    RichText text = RichText.builder().bold(b -> b.text("x ").italic(i -> i.text("y ").strike("z"))).build();

    assertThat(html(text)).isEqualTo("<b>x <i>y <s>z</s></i></b>");
  }

  @Test
  void codeAndCodeBlocksEscapeTheirContentAndKeepTheLanguage() {
    RichText text = RichText.builder().code("a<b").lineBreak().codeBlock("c++", "if (a && b)\n  x();")
        .codeBlock(null, "plain").build();

    assertThat(html(text)).isEqualTo("<code>a&lt;b</code>\n<pre><code class=\"language-c++\">if (a &amp;&amp; b)\n  x();"
        + "</code></pre><pre>plain</pre>");
  }

  @Test
  void linkTargetsAreEscapedAsAttributeValues() {
    RichText text = RichText.builder().link("https://example.org/?a=1&b=\"2\"", "label").build();

    assertThat(html(text)).isEqualTo("<a href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\">label</a>");
  }

  @Test
  void insideALinkCodeAndInnerLinksDegradeToTheirText() {
    RichText text = RichText.builder().link("https://a.example", l -> l
        .text("see ").code("x()").text(" and ").link("https://b.example", "b")).build();

    assertThat(html(text)).isEqualTo("<a href=\"https://a.example\">see x() and b</a>");
  }

  @Test
  void quotesDoNotNest() {
    RichText text = RichText.builder().quote(q -> q.text("outer ").quote(inner -> inner.text("inner"))).build();

    assertThat(html(text)).isEqualTo("<blockquote>outer inner</blockquote>");
  }

  @Test
  void mentionsOfThisConnectorsUsersPing() {
    RichText text = RichText.builder()
        .mention(new UserRef("tg", "42"), "Bob")
        .text(" ")
        .mention(new UserRef("tg", "@alice"), "alice")
        .build();

    assertThat(html(text)).isEqualTo("<a href=\"tg://user?id=42\">Bob</a> @alice");
  }

  @Test
  void mentionsOfOtherPlatformsAndAtNamesInTextPingNobody() {
    RichText text = RichText.builder()
        .mention(new UserRef("dc", "1234"), "everyone")
        .text(" and @channel_admin, but mail@example.org and @ab stay")
        .build();

    assertThat(html(text)).isEqualTo("@\u2060everyone and @\u2060channel_admin, but mail@example.org and @ab stay");
  }

  @Test
  void aNameThatGoesOnInTheNextNodeIsStillBrokenButCodeIsLeftAsItIs() {
    RichText text = RichText.builder()
        .text("@ali").bold("ce_tg")
        .text(" ")
        .code("@Override")
        .build();

    assertThat(html(text)).isEqualTo("@\u2060ali<b>ce_tg</b> <code>@Override</code>");
  }

  @Test
  void channelMentionsAndEmojiBecomeText() {
    RichText text = RichText.builder()
        .channel(ChannelRef.of("sl", "C1"), "general")
        .text(" ")
        .emoji("thumbsup", "\uD83D\uDC4D")
        .append(Emoji.custom("partyparrot", "https://example.org/p.gif"))
        .append(new Emoji("5368324170671202286", "\uD83D\uDE00", null))
        .build();

    assertThat(html(text)).isEqualTo("#general \uD83D\uDC4D:partyparrot:"
        + "<tg-emoji emoji-id=\"5368324170671202286\">\uD83D\uDE00</tg-emoji>");
  }

  @Test
  void emptyStylesLeaveNoEmptyTags() {
    RichText text = RichText.builder().text("a").bold("").text("b").build();

    assertThat(html(text)).isEqualTo("ab");
  }
}
