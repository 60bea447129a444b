package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.RichText;
import org.junit.jupiter.api.Test;

/** Writing {@code org.matrix.custom.html}: escaping, pills only for this connector, links only with allowed schemes. */
class HtmlRendererTest {
  private final HtmlRenderer renderer = new HtmlRenderer("mx");

  @Test
  void textIsEscaped() {
    assertThat(renderer.render(RichText.of("<script>&\"x\"</script>")))
        .isEqualTo("&lt;script&gt;&amp;&quot;x&quot;&lt;/script&gt;");
  }

  @Test
  void stylesCodeAndLinksUseTheSpecsTags() {
    RichText text = RichText.builder().bold("b").italic("i").strike("s").underline("u").spoiler("p").code("c()")
        .link("https://example.org/?a=1&b=2", "link").lineBreak().codeBlock("java", "x < y").build();

    assertThat(renderer.render(text)).isEqualTo("<strong>b</strong><em>i</em><del>s</del><u>u</u>"
        + "<span data-mx-spoiler>p</span><code>c()</code><a href=\"https://example.org/?a=1&amp;b=2\">link</a>"
        + "<br><pre><code class=\"language-java\">x &lt; y\n</code></pre>");
  }

  @Test
  void mentionsOfThisConnectorArePillsAndOthersPlainText() {
    RichText text = RichText.builder()
        .mention(new UserRef("mx", "@alice:example.org"), "Alice").text(" and ")
        .mention(new UserRef("tg", "12345"), "Tom").text(" in ")
        .channel(new ChannelRef("mx", "!room:example.org"), "room").text(" and ")
        .channel(new ChannelRef("dc", "998877"), "general")
        .build();

    assertThat(renderer.render(text)).isEqualTo("<a href=\"https://matrix.to/#/@alice:example.org\">Alice</a> and @Tom"
        + " in <a href=\"https://matrix.to/#/!room:example.org\">#room</a> and #general");
    assertThat(renderer.mentionedUsers(text)).containsExactly("@alice:example.org");
  }

  @Test
  void linksWithForbiddenSchemesBecomeText() {
    RichText text = RichText.builder().link("javascript:alert(1)", "click").build();

    assertThat(renderer.render(text)).isEqualTo("click (javascript:alert(1))");
  }

  @Test
  void plainTextNeedsNoHtml() {
    assertThat(HtmlRenderer.isPlain(RichText.of("line one\nline two"))).isTrue();
    assertThat(HtmlRenderer.isPlain(RichText.builder().bold("x").build())).isFalse();
  }
}
