package coop.relay.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Identity;
import coop.relay.api.UserRef;
import coop.relay.api.text.RichText;
import org.junit.jupiter.api.Test;

class NameTemplateTest {
  private final Identity ada = Identity.of(new UserRef("dc", "1"), "Ada");

  @Test
  void defaultTemplateMakesTheNameBold() {
    RichText prefix = NameTemplate.parse("**{name}** ({platform}): ", false).prefix(ada, "discord");

    assertThat(prefix).isEqualTo(RichText.builder().bold("Ada").text(" (discord): ").build());
  }

  @Test
  void noPingPutsAnInvisibleJoinerIntoTheName() {
    RichText prefix = NameTemplate.parse("{name}: ", true).prefix(ada, "discord");

    assertThat(prefix.plainText()).isEqualTo("A\u2060da: ").isNotEqualTo("Ada: ");
  }

  @Test
  void noPingKeepsSurrogatePairsWhole() {
    Identity emojiName = Identity.of(new UserRef("dc", "2"), "😀x");

    assertThat(NameTemplate.parse("{name}", true).prefix(emojiName, "x").plainText()).isEqualTo("😀\u2060x");
  }

  @Test
  void userPlaceholderIsTheAccountId() {
    assertThat(NameTemplate.parse("<{user}> ", false).prefix(ada, "discord").plainText()).isEqualTo("<1> ");
  }

  @Test
  void badTemplatesAreRejectedWithTheFix() {
    assertThatThrownBy(() -> NameTemplate.parse("{nick}", false)).hasMessageContaining("use {name}");
    assertThatThrownBy(() -> NameTemplate.parse("**{name}", false)).hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> NameTemplate.parse("{name", false)).hasMessageContaining("unclosed");
  }

  @Test
  void emptyTemplateIsEmpty() {
    assertThat(NameTemplate.parse("", true).isEmpty()).isTrue();
  }
}
