package coop.relay.sandbox.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlParserTest {

  private static FormattedText parse(String html) {
    return HtmlParser.parse(html, id -> id == 42);
  }

  @Test
  void everyDocumentedTagBecomesItsEntity() {
    FormattedText t = parse("<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike>"
        + "<del>d</del><tg-spoiler>p</tg-spoiler><span class=\"tg-spoiler\">q</span><code>c</code>"
        + "<blockquote>quote</blockquote><blockquote expandable>more</blockquote>"
        + "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji><tg-time unix=\"1647531900\" format=\"wDT\">t</tg-time>");
    assertThat(t.entities()).extracting(Entity::type).containsExactly(
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough", "strikethrough", "strikethrough",
        "spoiler", "spoiler", "code", "blockquote", "expandable_blockquote", "custom_emoji", "date_time");
    assertThat(t.text()).isEqualTo("bsieunskdpqcquotemore👍t");
    Entity emoji = t.entities().get(14);
    assertThat(emoji.customEmojiId()).isEqualTo("5368324170671202286");
    assertThat(emoji.length()).isEqualTo(2);
    Entity time = t.entities().get(15);
    assertThat(time.unixTime()).isEqualTo(1647531900L);
    assertThat(time.dateTimeFormat()).isEqualTo("wDT");
  }

  @Test
  void offsetsAreUtf16CodeUnitsAndNestedEntitiesKeepTheirRanges() {
    FormattedText t = parse("𝄞 <b>bold <i>both</i></b>");
    assertThat(t.text()).isEqualTo("𝄞 bold both");
    assertThat(t.entities()).containsExactly(Entity.of("italic", 8, 4), Entity.of("bold", 3, 9));
  }

  @Test
  void preWithNestedCodeCarriesTheLanguageAndStandaloneCodeDoesNot() {
    FormattedText t = parse("<pre><code class=\"language-python\">print(1)</code></pre> <code class=\"language-x\">y</code>");
    assertThat(t.entities().get(0)).isEqualTo(Entity.of("pre", 0, 8).withLanguage("python"));
    assertThat(t.entities().get(1).type()).isEqualTo("code");
  }

  @Test
  void linksBecomeTextLinksAndUserLinksMentionKnownUsersOnly() {
    FormattedText t = parse("<a href=\"https://relay.coop/a?b=1&amp;c=2\">site</a> <a href='tg://user?id=42'>Ann</a>"
        + " <a href=\"tg://user?id=7\">Nobody</a> <a href=relay.coop>bare</a>");
    assertThat(t.entities()).containsExactly(
        Entity.of("text_link", 0, 4).withUrl("https://relay.coop/a?b=1&c=2"),
        Entity.of("text_mention", 5, 3).withUser(42),
        Entity.of("text_link", 16, 4).withUrl("http://relay.coop"));
  }

  @Test
  void onlyFourNamedEntitiesAndAllNumericOnesAreDecoded() {
    assertThat(parse("&lt;&gt;&amp;&quot;&#65;&#x1F600;&nbsp;&copy; a & b").text()).isEqualTo("<>&\"A😀&nbsp;&copy; a & b");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "<b>bold|Can't find end tag corresponding to start tag \"b\"",
      "é<br>|Unsupported start tag \"br\" at byte offset 2",
      "</b>|Unexpected end tag at byte offset 0",
      "<b>x</i>|Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"",
      "<span>x</span>|Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
      "<b|Unclosed start tag at byte offset 0",
      "<b>x</b|Unclosed end tag at byte offset 4",
      "<tg-emoji emoji-id=\"abc\">x</tg-emoji>|Invalid custom emoji identifier specified",
      "a < b|Unsupported start tag \"\" at byte offset 2",
  })
  void malformedMarkupIsRefusedAsTheBotApiDoes(String html, String why) {
    assertThatThrownBy(() -> parse(html))
        .isInstanceOfSatisfying(BotApiException.class, e -> {
          assertThat(e.code).isEqualTo(400);
          assertThat(e.description()).isEqualTo("Bad Request: can't parse entities: " + why);
        });
  }

  @Test
  void renderingParsedTextGivesBackEquivalentHtml() {
    String html = "😀 <b>bold <i>both</i></b> <a href=\"https://x.org/?a=1&amp;b\">l&lt;ink</a> "
        + "<pre><code class=\"language-java\">int x;</code></pre> <tg-spoiler>s</tg-spoiler>";
    FormattedText parsed = parse(html);
    String rendered = HtmlRenderer.render(parsed);
    assertThat(parse(rendered)).isEqualTo(parsed);
  }

  @Test
  void crossingEntitiesAreRenderedAsValidNesting() {
    FormattedText crossing = new FormattedText("abcdef", java.util.List.of(Entity.of("bold", 0, 4), Entity.of("italic", 2, 4)));
    String html = HtmlRenderer.render(crossing);
    assertThat(html).isEqualTo("<b>ab<i>cd</i></b><i>ef</i>");
    FormattedText back = parse(html);
    assertThat(back.text()).isEqualTo("abcdef");
  }

  @Test
  void normalizationStripsOuterWhitespaceAndClipsEntities() {
    FormattedText t = parse("  <b> padded </b>\n").normalized();
    assertThat(t.text()).isEqualTo("padded");
    assertThat(t.entities()).containsExactly(Entity.of("bold", 0, 6));
  }
}
