package coop.relay.sandbox.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownV2ParserTest {

  private static FormattedText parse(String md) {
    return MarkdownV2Parser.parse(md, id -> id == 42);
  }

  @Test
  void theDocumentedSyntaxBecomesEntities() {
    FormattedText t = parse("*bold* _italic_ __under__ ~strike~ ||spoiler|| `code` [link](https://relay.coop) "
        + "[Ann](tg://user?id=42) ![👍](tg://emoji?id=5368324170671202286)");
    assertThat(t.text()).isEqualTo("bold italic under strike spoiler code link Ann 👍");
    assertThat(t.entities()).extracting(Entity::type).containsExactly(
        "bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link", "text_mention", "custom_emoji");
  }

  @Test
  void codeBlocksTakeALanguageAndEscapesAreLiteral() {
    FormattedText t = parse("```java\nint x \\= 1;\n```\n\\*not bold\\* 1\\.5");
    assertThat(t.text()).isEqualTo("int x = 1;\n\n*not bold* 1.5");
    assertThat(t.entities().get(0)).isEqualTo(Entity.of("pre", 0, 11).withLanguage("java"));
  }

  @Test
  void blockquotesSpanTheirLines() {
    FormattedText t = parse(">first\n>second\nafter");
    assertThat(t.text()).isEqualTo("first\nsecond\nafter");
    assertThat(t.entities()).containsExactly(Entity.of("blockquote", 0, 12));
  }

  @Test
  void reservedCharactersMustBeEscaped() {
    assertThatThrownBy(() -> parse("1.5"))
        .isInstanceOfSatisfying(BotApiException.class, e -> assertThat(e.description())
            .isEqualTo("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"));
    assertThatThrownBy(() -> parse("a *b"))
        .isInstanceOfSatisfying(BotApiException.class, e -> assertThat(e.description())
            .isEqualTo("Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 2"));
  }
}
