package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.UserRef;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.InlineCode;
import coop.relay.api.text.Link;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EntityDecoderTest {
  private final EntityDecoder decoder = new EntityDecoder("tg");

  private static Wire.MessageEntity entity(String type, int offset, int length) {
    return new Wire.MessageEntity(type, offset, length, null, null, null, null);
  }

  private static Wire.MessageEntity entity(String type, int offset, int length, @Nullable String url,
      Wire.@Nullable User user, @Nullable String language, @Nullable String customEmojiId) {
    return new Wire.MessageEntity(type, offset, length, url, user, language, customEmojiId);
  }

  @Test
  void everyStyleBecomesItsStyledNode() {
    String text = "b i u s p";
    RichText decoded = decoder.decode(text, List.of(entity("bold", 0, 1), entity("italic", 2, 1),
        entity("underline", 4, 1), entity("strikethrough", 6, 1), entity("spoiler", 8, 1)));

    assertThat(decoded).isEqualTo(RichText.builder()
        .bold("b").text(" ").italic("i").text(" ").underline("u").text(" ").strike("s").text(" ").spoiler("p")
        .build());
  }

  @Test
  void codeAndPreWithLanguageKeepTheirTextLiterally() {
    String text = "run x<y now\nint a = 1;";
    RichText decoded = decoder.decode(text, List.of(entity("code", 4, 3),
        entity("pre", 12, 10, null, null, "java", null)));

    assertThat(decoded.nodes()).containsExactly(new Text("run "), new InlineCode("x<y"), new Text(" now"),
        coop.relay.api.text.LineBreak.INSTANCE, new CodeBlock("java", "int a = 1;"));
  }

  @Test
  void linksUrlsAndMentionsBecomeLinksAndUserMentions() {
    String text = "docs https://example.org @alice Bob example.com";
    Wire.User bob = new Wire.User(42, false, "Bob", null, null);
    RichText decoded = decoder.decode(text, List.of(
        entity("text_link", 0, 4, "https://example.org/docs", null, null, null),
        entity("url", 5, 19),
        entity("mention", 25, 6),
        entity("text_mention", 32, 3, null, bob, null, null),
        entity("url", 36, 11)));

    assertThat(decoded.nodes()).containsExactly(
        new Link("https://example.org/docs", List.of(new Text("docs"))),
        new Text(" "),
        new Link("https://example.org", List.of(new Text("https://example.org"))),
        new Text(" "),
        new UserMention(new UserRef("tg", "@alice"), "alice"),
        new Text(" "),
        new UserMention(new UserRef("tg", "42"), "Bob"),
        new Text(" "),
        new Link("http://example.com", List.of(new Text("example.com"))));
  }

  @Test
  void blockquotesAndCustomEmojiAreDecoded() {
    String text = "quoted\nafter \uD83D\uDE00";
    RichText decoded = decoder.decode(text, List.of(entity("expandable_blockquote", 0, 6),
        entity("custom_emoji", 13, 2, null, null, null, "5368324170671202286")));

    assertThat(decoded.nodes()).containsExactly(new Quote(List.of(new Text("quoted"))),
        coop.relay.api.text.LineBreak.INSTANCE, new Text("after "),
        new Emoji("5368324170671202286", "\uD83D\uDE00", null));
  }

  @Test
  void offsetsCountUtf16CodeUnitsSoAstralCharactersBeforeAnEntityNeedNoConversion() {
    // 😀 and 𝄞 are two UTF-16 code units each, as Telegram counts them.
    String text = "\uD83D\uDE00\uD834\uDD1E bold";
    RichText decoded = decoder.decode(text, List.of(entity("bold", 5, 4)));

    assertThat(decoded.nodes()).containsExactly(new Text("\uD83D\uDE00\uD834\uDD1E "),
        new Styled(Style.BOLD, List.of(new Text("bold"))));
  }

  @Test
  void nestedEntitiesBecomeNestedNodes() {
    String text = "all bold, part italic, link";
    RichText decoded = decoder.decode(text, List.of(
        entity("bold", 0, 27),
        entity("italic", 10, 11),
        entity("text_link", 23, 4, "https://example.org", null, null, null),
        entity("underline", 23, 4)));

    assertThat(decoded).isEqualTo(RichText.builder().bold(b -> b
        .text("all bold, ")
        .italic("part italic")
        .text(", ")
        .link("https://example.org", l -> l.underline("link"))).build());
  }

  @Test
  void malformedEntitiesAreClippedOrDroppedNeverThrown() {
    String text = "abc\uD83D\uDE00def";
    RichText decoded = decoder.decode(text, List.of(
        entity("bold", 1, 1000),            // runs past the end: clipped
        entity("italic", -1, 2),            // negative offset: dropped
        entity("code", 99, 1),              // starts past the end: dropped
        entity("underline", 2, 0),          // empty: dropped
        entity("text_link", 0, 1)));        // no url: dropped

    assertThat(decoded.nodes()).containsExactly(new Text("a"),
        new Styled(Style.BOLD, List.of(new Text("bc\uD83D\uDE00def"))));
  }

  @Test
  void aBoundaryInsideASurrogatePairIsWidenedToKeepThePairWhole() {
    String text = "x\uD83D\uDE00y";
    RichText decoded = decoder.decode(text, List.of(entity("bold", 2, 2)));

    assertThat(decoded.nodes()).containsExactly(new Text("x"), new Styled(Style.BOLD, List.of(new Text("\uD83D\uDE00y"))));
    assertThat(decoded.plainText()).isEqualTo(text);
  }

  @Test
  void entityTypesRelayDoesNotModelStayPlainText() {
    String text = "#tag $USD /start mail@example.org +1 555 0100";
    RichText decoded = decoder.decode(text, List.of(entity("hashtag", 0, 4), entity("cashtag", 5, 4),
        entity("bot_command", 10, 6), entity("email", 17, 16), entity("phone_number", 34, 11)));

    assertThat(decoded).isEqualTo(RichText.of(text));
  }

  @Test
  void anEntityCrossingItsSiblingIsClippedToWhereTheSiblingEnds() {
    String text = "abcdef";
    RichText decoded = decoder.decode(text, List.of(entity("bold", 0, 4), entity("italic", 2, 4)));

    assertThat(decoded.plainText()).isEqualTo(text);
    assertThat(decoded.nodes()).containsExactly(
        new Styled(Style.BOLD, List.of(new Text("ab"), new Styled(Style.ITALIC, List.of(new Text("cd"))))),
        new Text("ef"));
  }
}
