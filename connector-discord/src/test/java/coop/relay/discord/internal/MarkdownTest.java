package coop.relay.discord.internal;

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
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Discord markdown into {@link RichText} and back, on the examples Discord's own docs use. */
class MarkdownTest {
  private static final String CDN = "https://cdn.discordapp.com";
  private final MarkdownParser parser = new MarkdownParser("dc", CDN);
  private final MarkdownRenderer renderer = new MarkdownRenderer("dc", Map.of(), CDN);
  private final MentionNames names = new MentionNames() {
    @Override
    public @Nullable String user(String id) {
      return id.equals("80351110224678912") ? "Nelly" : null;
    }

    @Override
    public @Nullable String channel(String id) {
      return id.equals("103735883630395392") ? "general" : null;
    }

    @Override
    public @Nullable String role(String id) {
      return id.equals("165511591545143296") ? "mods" : null;
    }
  };

  private RichText parse(String markdown) {
    return parser.parse(markdown, names);
  }

  private static Styled styled(Style style, Node... children) {
    return new Styled(style, List.of(children));
  }

  private static Text text(String value) {
    return new Text(value);
  }

  @Test
  void stylesAndTheirCombinations() {
    assertThat(parse("**bold** *italic* _also italic_ __under__ ~~strike~~ ||spoiler||").nodes()).containsExactly(
        styled(Style.BOLD, text("bold")), text(" "), styled(Style.ITALIC, text("italic")), text(" "),
        styled(Style.ITALIC, text("also italic")), text(" "), styled(Style.UNDERLINE, text("under")), text(" "),
        styled(Style.STRIKE, text("strike")), text(" "), styled(Style.SPOILER, text("spoiler")));
    assertThat(parse("***both***").nodes()).containsExactly(styled(Style.BOLD, styled(Style.ITALIC, text("both"))));
    assertThat(parse("__*under italic*__").nodes())
        .containsExactly(styled(Style.UNDERLINE, styled(Style.ITALIC, text("under italic"))));
    assertThat(parse("*a **b** c*").nodes())
        .containsExactly(styled(Style.ITALIC, text("a "), styled(Style.BOLD, text("b")), text(" c")));
  }

  @Test
  void whatIsNotMarkdownStaysText() {
    assertThat(parse("snake_case_name and 2 * 3 * 4 and a ** b").plainText())
        .isEqualTo("snake_case_name and 2 * 3 * 4 and a ** b");
    assertThat(parse("\\*not italic\\* and \\<@123>").nodes()).containsExactly(text("*not italic* and <@123>"));
    assertThat(parse("**unclosed").nodes()).containsExactly(text("**unclosed"));
  }

  @Test
  void codeIsLiteral() {
    assertThat(parse("run `a **b**` now").nodes())
        .containsExactly(text("run "), new InlineCode("a **b**"), text(" now"));
    assertThat(parse("``code with ` tick``").nodes()).containsExactly(new InlineCode("code with ` tick"));
    assertThat(parse("```java\nint x = 1; // **no**\n```").nodes())
        .containsExactly(new CodeBlock("java", "int x = 1; // **no**"));
    assertThat(parse("```\n> not a quote\n```").nodes()).containsExactly(new CodeBlock(null, "> not a quote"));
  }

  @Test
  void quotesHeadingsAndLists() {
    assertThat(parse("before\n> quoted **line**\n> second\nafter").nodes()).containsExactly(
        text("before"), LineBreak.INSTANCE,
        new Quote(List.of(text("quoted "), styled(Style.BOLD, text("line")), LineBreak.INSTANCE, text("second"))),
        text("after"));
    assertThat(parse(">>> all\nof this").nodes())
        .containsExactly(new Quote(List.of(text("all"), LineBreak.INSTANCE, text("of this"))));
    assertThat(parse("# Title\n- item\n1. first").nodes()).containsExactly(
        styled(Style.BOLD, text("Title")), LineBreak.INSTANCE, text("- item"), LineBreak.INSTANCE, text("1. first"));
  }

  @Test
  void linksMentionsEmojiAndTimestamps() {
    assertThat(parse("[the docs](https://discord.com/developers) and https://example.org/a_b.").nodes()).containsExactly(
        new Link("https://discord.com/developers", List.of(text("the docs"))), text(" and "),
        new Link("https://example.org/a_b", List.of(text("https://example.org/a_b"))), text("."));
    assertThat(parse("<@80351110224678912> <@!1> <#103735883630395392> <@&165511591545143296>").nodes())
        .containsExactly(new UserMention(new UserRef("dc", "80351110224678912"), "Nelly"), text(" "),
            new UserMention(new UserRef("dc", "1"), "1"), text(" "),
            new ChannelMention(ChannelRef.of("dc", "103735883630395392"), "general"), text(" @mods"));
    assertThat(parse("<:mmLol:216154654256398347><a:b1nzy:392938283556143104>").nodes()).containsExactly(
        Emoji.custom("mmLol", CDN + "/emojis/216154654256398347.png"),
        Emoji.custom("b1nzy", CDN + "/emojis/392938283556143104.gif"));
    assertThat(parse("<t:1618953630:d> <t:1618953630:t> <t:1618953630>").plainText())
        .isEqualTo("20/04/2021 21:20 UTC 20 April 2021 21:20 UTC");
  }

  @Test
  void rendersEscapedTextThatShowsLiterally() {
    String rendered = renderer.render(RichText.of("*hi* <@1> @everyone # not a heading\n> nor a quote\n- nor a list"));
    assertThat(rendered).isEqualTo("\\*hi\\* \\<@1\\> \\@everyone # not a heading\n\\> nor a quote\n\\- nor a list");
    assertThat(parse(rendered)).isEqualTo(RichText.of("*hi* <@1> @everyone # not a heading\n> nor a quote\n- nor a list"));
  }

  @Test
  void rendersStylesCodeLinksAndQuotes() {
    RichText text = RichText.builder()
        .bold("b").text(" ").italic("i").text(" ").underline("u").text(" ").strike("s").text(" ").spoiler("p")
        .text(" ").code("x`y").text(" ").link("https://example.org/x", "label").text(" ").url("https://example.org")
        .lineBreak().quote(q -> q.text("quoted")).codeBlock("py", "print(1)")
        .build();

    String rendered = renderer.render(text);

    assertThat(rendered).isEqualTo("**b** _i_ __u__ ~~s~~ ||p|| `` x`y `` [label](https://example.org/x) "
        + "https://example.org\n> quoted\n```py\nprint(1)\n```");
    assertThat(parse(rendered)).isEqualTo(text);
  }

  @Test
  void keepsSpacesOutsideDelimitersAndMergesAdjacentSpans() {
    RichText text = new RichText(List.of(styled(Style.BOLD, text(" spaced ")), styled(Style.ITALIC, text("a")),
        styled(Style.ITALIC, text("b"))));

    assertThat(renderer.render(text)).isEqualTo(" **spaced** _ab_");
  }

  @Test
  void mentionsOfOtherPlatformsAndForeignEmojiBecomeText() {
    RichText text = RichText.builder().mention(new UserRef("tg", "5"), "Tess").text(" ")
        .channel(ChannelRef.of("tg", "-100"), "coop").text(" ").customEmoji("parrot", "https://slack.example/p.png")
        .build();

    assertThat(renderer.render(text)).isEqualTo("@Tess #coop :parrot:");
  }
}
