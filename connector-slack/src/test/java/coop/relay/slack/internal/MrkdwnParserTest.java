package coop.relay.slack.internal;

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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MrkdwnParserTest {
  private final MrkdwnParser parser = new MrkdwnParser("sl", Map.of("U111", "Ada")::get, Map.of("C222", "general")::get);

  @Test
  void theTckSampleParsesIntoItsRichText() {
    RichText expected = RichText.builder()
        .text("TCK ").bold("bold").text(" and ").italic("italic").text(" with ").code("code()")
        .text(" and ").link("https://example.org/tck", "a link")
        .build();

    assertThat(parser.parse("TCK *bold* and _italic_ with `code()` and <https://example.org/tck|a link>"))
        .isEqualTo(expected);
  }

  @Test
  void stylesNest() {
    assertThat(parser.parse("*bold _both_* ~gone~")).isEqualTo(RichText.builder()
        .bold(b -> b.text("bold ").italic("both")).text(" ").strike("gone").build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2*3*4", "snake_case_name", "* not bold*", "*not bold *", "a * b * c", "*open", "~", "**"})
  void markersWithoutWordBoundariesStayText(String text) {
    assertThat(parser.parse(text)).isEqualTo(RichText.of(text));
  }

  @Test
  void stylesDoNotSpanLines() {
    assertThat(parser.parse("*one\ntwo*")).isEqualTo(RichText.of("*one\ntwo*"));
  }

  @Test
  void entitiesDecodeToLiteralCharacters() {
    assertThat(parser.parse("a &lt;b&gt; &amp; c &amp;lt;")).isEqualTo(RichText.of("a <b> & c &lt;"));
  }

  @Test
  void nothingIsFormattedInsideCode() {
    assertThat(parser.parse("`*a* &lt;b&gt;` and ```*x*\n_y_```")).isEqualTo(RichText.builder()
        .code("*a* <b>").text(" and ").codeBlock(null, "*x*\n_y_").build());
  }

  @Test
  void codeBlockFenceLineFeedsAreNotCode() {
    assertThat(parser.parse("```\nline 1\nline 2\n```").nodes()).containsExactly(new CodeBlock(null, "line 1\nline 2"));
  }

  @Test
  void quotesGatherConsecutiveLines() {
    RichText parsed = parser.parse("&gt; first\n&gt; *second*\nafter");

    assertThat(parsed.nodes()).containsExactly(
        new Quote(List.of(new Text("first"), LineBreak.INSTANCE, new Styled(Style.BOLD, List.of(new Text("second"))))),
        new Text("after"));
  }

  @Test
  void aGreaterThanSignInsideALineIsText() {
    assertThat(parser.parse("a &gt; b")).isEqualTo(RichText.of("a > b"));
  }

  @Test
  void linksWithAndWithoutLabels() {
    assertThat(parser.parse("<https://example.org/?a=1&amp;b=2> <mailto:x@example.org|mail me>").nodes()).containsExactly(
        new Link("https://example.org/?a=1&b=2", List.of(new Text("https://example.org/?a=1&b=2"))),
        new Text(" "),
        new Link("mailto:x@example.org", List.of(new Text("mail me"))));
  }

  @Test
  void mentionsUseLabelsOrKnownNamesOrIds() {
    assertThat(parser.parse("<@U111> <@U999|bob> <@U999> <#C222> <#C333|random>").nodes()).containsExactly(
        new UserMention(new UserRef("sl", "U111"), "Ada"), new Text(" "),
        new UserMention(new UserRef("sl", "U999"), "bob"), new Text(" "),
        new UserMention(new UserRef("sl", "U999"), "U999"), new Text(" "),
        new ChannelMention(ChannelRef.of("sl", "C222"), "general"), new Text(" "),
        new ChannelMention(ChannelRef.of("sl", "C333"), "random"));
  }

  @Test
  void specialMentionsBecomePlainText() {
    assertThat(parser.parse("<!here> <!channel> <!everyone> <!subteam^S123|@devs> <!subteam^S456> "
        + "<!date^1392734382^{date}|Feb 18, 2014>"))
        .isEqualTo(RichText.of("@here @channel @everyone @devs @S456 Feb 18, 2014"));
  }

  @Test
  void anglesThatAreNoTokenStayText() {
    assertThat(parser.parse("<not a link> <>")).isEqualTo(RichText.of("<not a link> <>"));
  }

  @Test
  void emojiCodesBecomeEmoji() {
    assertThat(parser.parse("ok :+1: :tada::partyparrot: :+1::skin-tone-3: 10:30:00 note:this:").nodes())
        .containsExactly(new Text("ok "),
            Emoji.unicode("+1", "👍"), new Text(" "), Emoji.unicode("tada", "🎉"), Emoji.custom("partyparrot", null),
            new Text(" "), Emoji.unicode("+1::skin-tone-3", "👍🏼"), new Text(" 10:30:00 note:this:"));
  }

  @Test
  void emptyAndNullTextAreEmpty() {
    assertThat(parser.parse(null)).isEqualTo(RichText.empty());
    assertThat(parser.parse("")).isEqualTo(RichText.empty());
  }
}
