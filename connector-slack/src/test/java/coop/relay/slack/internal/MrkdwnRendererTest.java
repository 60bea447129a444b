package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.Link;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Text;
import java.util.List;
import org.junit.jupiter.api.Test;

class MrkdwnRendererTest {
  private final MrkdwnRenderer renderer = new MrkdwnRenderer("sl");

  @Test
  void stylesCodeAndLinks() {
    RichText text = RichText.builder()
        .bold("b").text(" ").italic("i").text(" ").strike("s").text(" ").code("c()").text(" ")
        .link("https://example.org/a?x=1&y=2", "label").text(" ").url("https://example.org")
        .build();

    assertThat(renderer.render(text))
        .isEqualTo("*b* _i_ ~s~ `c()` <https://example.org/a?x=1&amp;y=2|label> <https://example.org>");
  }

  @Test
  void literalMarkupIsEscaped() {
    assertThat(renderer.render(RichText.of("<!here> & <@U123> > <#C1>")))
        .isEqualTo("&lt;!here&gt; &amp; &lt;@U123&gt; &gt; &lt;#C1&gt;");
  }

  @Test
  void whiteSpaceMovesOutsideOfMarkers() {
    assertThat(renderer.render(RichText.builder().text("a").bold(" b ").text("c").build())).isEqualTo("a *b* c");
  }

  @Test
  void underlineAndSpoilerShowTheirContent() {
    assertThat(renderer.render(RichText.builder().underline("u").text(" ").spoiler("s").build())).isEqualTo("u s");
  }

  @Test
  void mentionsOfThisConnectorAreSlackMentionsAndOthersArePlainText() {
    RichText text = RichText.builder()
        .mention(new UserRef("sl", "U0AB"), "Ada").text(" ")
        .mention(new UserRef("dc", "1234"), "everyone").text(" ")
        .channel(ChannelRef.of("sl", "C0AB"), "general").text(" ")
        .channel(ChannelRef.of("tg", "-100"), "chat")
        .build();

    assertThat(renderer.render(text)).isEqualTo("<@U0AB> @everyone <#C0AB> #chat");
  }

  @Test
  void linksWithoutASchemeAreNoTokens() {
    RichText text = new RichText(List.of(new Link("!here", List.of(new Text("x"))), new Text(" "),
        new Link("!channel", List.of(new Text("!channel")))));

    assertThat(renderer.render(text)).isEqualTo("x (!here) !channel");
  }

  @Test
  void quotesPrefixEveryLine() {
    RichText text = RichText.builder().text("before").quote(q -> q.text("one\ntwo")).text("after").build();

    assertThat(renderer.render(text)).isEqualTo("before\n> one\n> two\nafter");
  }

  @Test
  void emojiRenderAsUnicodeOrShortName() {
    RichText text = RichText.builder().emoji("thumbsup", "👍").customEmoji("partyparrot", null).build();

    assertThat(renderer.render(text)).isEqualTo("👍:partyparrot:");
  }

  @Test
  void codeBlocksAreFenced() {
    assertThat(renderer.render(RichText.builder().codeBlock("java", "a < b").build())).isEqualTo("```a &lt; b```");
  }
}
