package coop.relay.sandbox.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LegacyMarkdownParserTest {

  @Test
  void theLegacySyntaxBecomesEntities() {
    FormattedText t = LegacyMarkdownParser.parse(
        "*bold* _italic_ `code` [link](https://relay.coop) \\_snake\\_ ```py\nprint(1)```", id -> false);
    assertThat(t.text()).isEqualTo("bold italic code link _snake_ print(1)");
    assertThat(t.entities()).containsExactly(
        Entity.of("bold", 0, 4), Entity.of("italic", 5, 6), Entity.of("code", 12, 4),
        Entity.of("text_link", 17, 4).withUrl("https://relay.coop"), Entity.of("pre", 30, 8).withLanguage("py"));
  }

  @Test
  void anUnterminatedEntityIsRefused() {
    assertThatThrownBy(() -> LegacyMarkdownParser.parse("ü *bold", id -> false))
        .isInstanceOfSatisfying(BotApiException.class, e -> assertThat(e.description())
            .isEqualTo("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 3"));
  }
}
