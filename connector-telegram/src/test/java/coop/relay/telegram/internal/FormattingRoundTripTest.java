package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.UserRef;
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
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.telegram.TelegramEmulator;
import coop.relay.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Formatting survives the trip through Telegram. Each text is rendered as Bot API HTML by the
 * connector, posted by a person through the emulator (whose own HTML parser, written from the Bot
 * API documentation, turns it into entities), and the entities Telegram would deliver are decoded
 * again. A corpus of entity-rich Telegram messages (astral characters and ZWJ sequences before
 * entities, nesting, every entity type) must come back with the same entities; generated rich text
 * must come back with the same meaning: the same characters carrying the same formatting.
 */
class FormattingRoundTripTest {

  /** One emulator for the class, used in-process through its control API (no sockets, no limits). */
  private static final class Telegram {
    static final SandboxControl CONTROL =
        TelegramEmulator.builder().bot("123456:round-trip", "round_trip_bot").build().control();
    static final String PERSON = Objects.requireNonNull(CONTROL.createUser(NewUser.named("Tia")).block()).id();
    static final String CHAT = Objects.requireNonNull(CONTROL.createChannel(NewChannel.named("Round trip")).block()).id();
  }

  private final RichTextFormatter formatter = new RichTextFormatter("tg");
  private final EntityDecoder decoder = new EntityDecoder("tg");

  /** Posts {@code html} as a person and returns the message as a bot receives it. */
  private static Wire.Message throughTelegram(String html) {
    HistoryEntry entry = Objects.requireNonNull(Telegram.CONTROL.post(Post.of(Telegram.CHAT, Telegram.PERSON, html)).block());
    return Json.mapper().readValue(entry.raw(), Wire.Message.class);
  }

  private String html(RichText text) {
    return HtmlWriter.write(formatter.format(text));
  }

  // ---------------------------------------------------------------- the corpus

  /** A Telegram message in the corpus: its text and entities. */
  private record Sample(String text, List<Wire.MessageEntity> entities) {}

  private static Wire.MessageEntity at(String text, String covered, String type) {
    return at(text, covered, type, null, null, null);
  }

  private static Wire.MessageEntity at(String text, String covered, String type, @Nullable String url,
      @Nullable String language, @Nullable String customEmojiId) {
    int offset = text.indexOf(covered);
    if (offset < 0) {
      throw new IllegalArgumentException(covered + " is not in " + text);
    }
    Wire.User user = type.equals("text_mention") ? new Wire.User(Long.parseLong(Telegram.PERSON), false, "Tia", null, null) : null;
    return new Wire.MessageEntity(type, offset, covered.length(), url, user, language, customEmojiId);
  }

  private static List<Sample> corpus() {
    List<Sample> samples = new ArrayList<>();
    String greeting = "Hello \uD83D\uDC4B world";
    samples.add(new Sample(greeting, List.of(at(greeting, "world", "bold"))));
    String flags = "\uD83C\uDDFA\uD83C\uDDE6 all bold, part italic, underlined inside";
    samples.add(new Sample(flags, List.of(
        at(flags, "all bold, part italic, underlined inside", "bold"),
        at(flags, "part italic, underlined inside", "italic"),
        at(flags, "underlined", "underline"))));
    String code = "Run make test then:\nprint('hi <3' & 1)";
    samples.add(new Sample(code, List.of(at(code, "make test", "code"),
        at(code, "print('hi <3' & 1)", "pre", null, "python", null))));
    String links = "Docs: see the guide and https://example.org/a?b=1&c=\"2\"";
    samples.add(new Sample(links, List.of(at(links, "the guide", "text_link", "https://example.org/guide?x=<y>", null, null),
        at(links, "https://example.org/a?b=1&c=\"2\"", "url"))));
    String mentions = "@tia_user and Tia, please review";
    samples.add(new Sample(mentions, List.of(at(mentions, "@tia_user", "mention"), at(mentions, "Tia", "text_mention"))));
    String hidden = "secret and old news";
    samples.add(new Sample(hidden, List.of(at(hidden, "secret", "spoiler"), at(hidden, "old news", "strikethrough"))));
    String quote = "quoted important words\nmy answer";
    samples.add(new Sample(quote, List.of(at(quote, "quoted important words", "blockquote"), at(quote, "important", "bold"))));
    String custom = "nice \uD83D\uDD25 done";
    samples.add(new Sample(custom, List.of(at(custom, "\uD83D\uDD25", "custom_emoji", null, null, "5368324170671202286"))));
    String astral = "\uD834\uDD1E\uD834\uDD1E music \uD83D\uDE00\uD83D\uDE00 and \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"
        + " family bold";
    samples.add(new Sample(astral, List.of(at(astral, "family bold", "bold"), at(astral, "music", "italic"),
        at(astral, "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "underline"))));
    String auto = "#coop meeting /start $USD mail@example.org";
    samples.add(new Sample(auto, List.of(at(auto, "#coop", "hashtag"), at(auto, "/start", "bot_command"),
        at(auto, "$USD", "cashtag"), at(auto, "mail@example.org", "email"))));
    String markup = "a<b> & c </i>";
    samples.add(new Sample(markup, List.of(at(markup, "<b>", "bold"), at(markup, "</i>", "code"))));
    String nestedLink = "please click here now \uD83D\uDE00";
    samples.add(new Sample(nestedLink, List.of(at(nestedLink, "click here now", "text_link", "https://example.org", null, null),
        at(nestedLink, "here", "bold"), at(nestedLink, "now", "italic"))));
    return samples;
  }

  @Test
  void entityRichMessagesComeBackWithTheSameEntities() {
    for (Sample sample : corpus()) {
      RichText decoded = decoder.decode(sample.text(), sample.entities());

      Wire.Message back = throughTelegram(html(decoded));

      assertThat(back.text()).as("text of %s", sample.text()).isEqualTo(sample.text());
      assertThat(canonical(back.text(), back.entities())).as("entities of %s", sample.text())
          .containsExactlyInAnyOrderElementsOf(canonical(sample.text(), sample.entities()));
      assertThat(decoder.decode(back.text(), back.entities())).as("rich text of %s", sample.text()).isEqualTo(decoded);
    }
  }

  /** Entities as comparable strings; a {@code url} is the {@code text_link} to its own text that it renders as. */
  private static List<String> canonical(@Nullable String text, @Nullable List<Wire.MessageEntity> entities) {
    List<String> out = new ArrayList<>();
    for (Wire.MessageEntity e : entities == null ? List.<Wire.MessageEntity>of() : entities) {
      String type = e.type();
      String argument = e.url();
      if ("url".equals(type)) {
        type = "text_link";
        argument = Objects.requireNonNull(text).substring(e.offset(), e.offset() + e.length());
      }
      if (e.user() != null) {
        argument = Long.toString(e.user().id());
      }
      if (e.language() != null) {
        argument = e.language();
      }
      if (e.customEmojiId() != null) {
        argument = e.customEmojiId();
      }
      out.add(type + " " + e.offset() + "+" + e.length() + (argument == null ? "" : " " + argument));
    }
    return out;
  }

  // ---------------------------------------------------------------- generated rich text

  @Property(tries = 300)
  void generatedRichTextKeepsItsMeaning(@ForAll("richTexts") RichText text) {
    Wire.Message back = throughTelegram(html(text));
    RichText decoded = decoder.decode(back.text(), back.entities());

    assertThat(meaning(decoded)).isEqualTo(meaning(text));
  }

  /**
   * What a text means on Telegram: each character with the formatting that covers it. Two trees that
   * nest the same formatting differently (italic in bold, or bold in italic) mean the same.
   */
  private List<String> meaning(RichText text) {
    FormattedText formatted = formatter.format(text);
    List<String> out = new ArrayList<>(formatted.text().length());
    for (int i = 0; i < formatted.text().length(); i++) {
      List<String> covering = new ArrayList<>();
      for (Span span : formatted.spans()) {
        if (span.start() <= i && i < span.end()) {
          covering.add(span.kind() + (span.argument() == null ? "" : "=" + span.argument()));
        }
      }
      covering.sort(null);
      out.add(formatted.text().charAt(i) + " " + covering);
    }
    return out;
  }

  @Provide
  Arbitrary<RichText> richTexts() {
    // Brackets around it: Telegram strips white space at the ends of a message.
    return node(3).list().ofMinSize(1).ofMaxSize(5).map(nodes -> {
      List<Node> all = new ArrayList<>();
      all.add(new Text("["));
      all.addAll(nodes);
      all.add(new Text("]"));
      return new RichText(all);
    });
  }

  private Arbitrary<Node> node(int depth) {
    Arbitrary<Node> leaf = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, text().map(s -> (Node) new Text(s))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Node) LineBreak.INSTANCE)),
        net.jqwik.api.Tuple.of(1, text().map(s -> (Node) new InlineCode(s))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Node) new UserMention(new UserRef("tg", Telegram.PERSON), "Tia"))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Node) new Emoji("5368324170671202286", "\uD83D\uDD25", null))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("java", "c++", "sh").injectNull(0.3), text())
            .as((language, code) -> (Node) new CodeBlock(language, code))));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<List<Node>> children = Arbitraries.lazy(() -> node(depth - 1)).list().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, leaf),
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.of(Style.class), children)
            .as((style, nodes) -> (Node) new Styled(style, nodes))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(url(), children).as((url, nodes) -> (Node) new Link(url, nodes))),
        net.jqwik.api.Tuple.of(1, children.map(nodes -> (Node) new Quote(nodes))));
  }

  /** Text without what Telegram would turn into entities by itself (@, #, $, /, URLs). */
  private static Arbitrary<String> text() {
    return Arbitraries.of("a", "b", "z", " ", "<", ">", "&", "\"", "'", "&amp;", "\uD83D\uDE00", "\uD834\uDD1E", "\u00e9", "\n")
        .list().ofMinSize(1).ofMaxSize(8)
        .map(tokens -> String.join("", tokens));
  }

  private static Arbitrary<String> url() {
    return Arbitraries.of("https://example.org/", "https://example.org/a?b=1&c=2", "https://example.org/\"q\"<x>",
        "https://example.org/~x/&amp;");
  }

  @Test
  void theCorpusCoversEveryEntityTypeTheConnectorMaps() {
    List<String> types = corpus().stream().flatMap(s -> s.entities().stream()).map(Wire.MessageEntity::type).toList();

    for (Span.Kind kind : Span.Kind.values()) {
      assertThat(types).as("a sample with %s", kind.wireName).contains(kind.wireName);
    }
  }

}
