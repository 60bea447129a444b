package coop.relay.api.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class RichTextTest {

  @Test
  void adjacentTextsMergeSoEqualMeaningIsEqualTrees() {
    RichText split = RichText.builder().text("Hello, ").text("world").build();
    RichText whole = RichText.of("Hello, world");

    assertThat(split).isEqualTo(whole).hasSameHashCodeAs(whole);
    assertThat(split.nodes()).containsExactly(new Text("Hello, world"));
  }

  @Test
  void lineFeedsBecomeLineBreaksAndEmptyTextsVanish() {
    RichText text = new RichText(List.of(new Text(""), new Text("a\nb\n")));

    assertThat(text.nodes()).containsExactly(new Text("a"), LineBreak.INSTANCE, new Text("b"), LineBreak.INSTANCE);
    assertThat(text.plainText()).isEqualTo("a\nb\n");
  }

  @Test
  void nestedStylesNormaliseToo() {
    RichText a = RichText.builder().bold(b -> b.text("x").text("y")).build();
    RichText b = RichText.builder().bold("xy").build();

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(RichText.builder().italic("xy").build());
  }

  @Test
  void plainTextFlattensEveryKindOfNode() {
    RichText text = RichText.builder()
        .bold("Hi ")
        .mention(new UserRef("tg", "42"), "Ada")
        .text(", see ")
        .link("https://example.org", "the page")
        .text(" or ")
        .url("https://x.test")
        .text(" in ")
        .channel(new ChannelRef("sl", "C1"), "general")
        .text(" ")
        .emoji("tada", "🎉")
        .customEmoji("parrot", "https://cdn.test/p.gif")
        .lineBreak()
        .code("a < b")
        .codeBlock("java", "int x;")
        .quote(q -> q.text("line one\nline two"))
        .build();

    assertThat(text.plainText()).isEqualTo("Hi @Ada, see the page (https://example.org) or https://x.test in #general "
        + "🎉:parrot:\na < bint x;> line one\n> line two\n");
  }

  @Test
  void concatKeepsNormalForm() {
    RichText joined = RichText.of("a").concat(RichText.of("b"));

    assertThat(joined).isEqualTo(RichText.of("ab"));
    assertThat(RichText.empty().concat(joined)).isSameAs(joined);
  }

  @Test
  void nodesAreImmutable() {
    RichText text = RichText.of("x");

    assertThatThrownBy(() -> text.nodes().add(LineBreak.INSTANCE)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void blankCodeBlockLanguageMeansNone() {
    assertThat(new CodeBlock("  ", "x").language()).isNull();
  }
}
