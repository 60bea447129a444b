package coop.relay.slack.internal;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of mrkdwn over generated texts. */
class MrkdwnPropertiesTest {
  private final MrkdwnRenderer renderer = new MrkdwnRenderer("sl");
  private final MrkdwnParser parser = MrkdwnParser.withoutNames("sl");

  @Property(tries = 500)
  void renderedTextNeverPingsEveryoneWhateverItContains(@ForAll("anyText") RichText text) {
    String markup = renderer.render(text);

    assertThat(markup).doesNotContain("<!");
    assertThat(renderer.render(parser.parse(markup))).as("rendered again").doesNotContain("<!");
  }

  @Property(tries = 500)
  void plainWordsSurviveTheRoundTrip(@ForAll("words") String words) {
    RichText text = RichText.of(words);

    assertThat(parser.parse(renderer.render(text))).isEqualTo(text);
  }

  @Property(tries = 500)
  void simpleFormattingSurvivesTheRoundTrip(@ForAll("formatted") List<Node> nodes) {
    RichText text = new RichText(nodes);

    assertThat(parser.parse(renderer.render(text))).isEqualTo(text);
  }

  @Property(tries = 300)
  void parsingNeverFails(@ForAll("slackish") String markup) {
    assertThat(parser.parse(markup)).isNotNull();
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars("abcXYZ019 .,!?&<>'\"()#@-").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> slackish() {
    return Arbitraries.strings().withChars("ab *_~`<>|!@#:&;\n^gtlamp").ofMaxLength(60);
  }

  @Provide
  Arbitrary<List<Node>> formatted() {
    Arbitrary<String> word = Arbitraries.strings().withChars("abcdefghij").ofMinLength(1).ofMaxLength(8);
    Arbitrary<Node> node = Arbitraries.oneOf(
        word.map(w -> new Styled(Style.BOLD, List.of(new Text(w)))),
        word.map(w -> new Styled(Style.ITALIC, List.of(new Text(w)))),
        word.map(w -> new Styled(Style.STRIKE, List.of(new Text(w)))),
        word.map(InlineCode::new),
        word.map(w -> new Link("https://example.org/" + w, List.of(new Text(w)))),
        word.map(w -> new UserMention(new UserRef("sl", "U" + w.toUpperCase()), "U" + w.toUpperCase())),
        word.map(w -> new ChannelMention(ChannelRef.of("sl", "C" + w.toUpperCase()), "C" + w.toUpperCase())));
    // Separated by spaces, as Slack needs a boundary next to a marker.
    return node.list().ofMaxSize(6).map(list -> {
      List<Node> out = new java.util.ArrayList<>();
      for (Node n : list) {
        if (!out.isEmpty()) {
          out.add(new Text(" "));
        }
        out.add(n);
      }
      return out;
    });
  }

  @Provide
  Arbitrary<RichText> anyText() {
    Arbitrary<String> raw = Arbitraries.strings().withChars("<!here>channel everyone|@#&;:*_~`\n").ofMaxLength(20);
    Arbitrary<Node> leaf = Arbitraries.oneOf(
        raw.map(Text::new),
        raw.map(InlineCode::new),
        raw.map(code -> new CodeBlock(null, code)),
        raw.map(url -> new Link(url, List.of(new Text(url)))),
        raw.map(label -> new Link("https://example.org", List.of(new Text(label)))),
        raw.filter(s -> !s.isBlank()).map(name -> new UserMention(new UserRef("other", "x"), name)),
        raw.map(name -> new UserMention(new UserRef("sl", name.isBlank() ? "U1" : name), name)),
        raw.map(name -> new ChannelMention(ChannelRef.of("sl", name.isBlank() ? "C1" : name), name)),
        raw.filter(s -> !s.isBlank()).map(name -> Emoji.custom(name, null)),
        Arbitraries.just(LineBreak.INSTANCE));
    Arbitrary<Node> styled = leaf.list().ofMaxSize(3)
        .flatMap(children -> Arbitraries.of(Style.values()).map(style -> (Node) new Styled(style, children)));
    Arbitrary<Node> quoted = leaf.list().ofMaxSize(3).map(children -> (Node) new Quote(children));
    return Arbitraries.oneOf(leaf, styled, quoted).list().ofMaxSize(8).map(RichText::new);
  }
}
