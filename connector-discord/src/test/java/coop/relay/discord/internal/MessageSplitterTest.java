package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Splitting long markdown into messages of at most 2000 characters. */
class MessageSplitterTest {

  @Test
  void shortTextIsOnePart() {
    assertThat(MessageSplitter.split("hello", 2000)).containsExactly("hello");
  }

  @Test
  void cutsAtLineBreaksFirst() {
    String line = "x".repeat(1500);

    assertThat(MessageSplitter.split(line + "\n" + line, 2000)).containsExactly(line, line);
  }

  @Test
  void aCodeBlockCutInTwoIsClosedAndReopenedWithItsLanguage() {
    String code = "```java\n" + "int x = 1;\n".repeat(300) + "```";

    List<String> parts = MessageSplitter.split(code, 2000);

    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts.get(0)).startsWith("```java\n").endsWith("\n```");
    assertThat(parts.get(1)).startsWith("```java\n");
    assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(2000));
  }

  @Test
  void aHardCutKeepsEscapesMentionsAndSurrogatePairsWhole() {
    String text = "a".repeat(1990) + "<@123456789012345678>" + "\\*".repeat(10) + "\uD83D\uDC4D".repeat(1000);

    List<String> parts = MessageSplitter.split(text, 2000);

    assertThat(parts.get(0)).endsWith("a");
    assertThat(parts.get(1)).startsWith("<@123456789012345678>");
    assertThat(String.join("", parts)).isEqualTo(text);
    assertThat(parts).allSatisfy(part -> {
      assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
      assertThat(part.length()).isLessThanOrEqualTo(2000);
    });
  }

  /** Every part fits, and without code fences the parts joined at their cuts give back the text. */
  @Property(tries = 200)
  void partsFitAndLoseNothing(@ForAll("longText") String text) {
    List<String> parts = MessageSplitter.split(text, 2000);

    assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(2000));
    String joined = String.join("", parts).replaceAll("[\\s]", "");
    assertThat(joined).isEqualTo(text.replaceAll("[\\s]", ""));
  }

  @Provide
  Arbitrary<String> longText() {
    return Arbitraries.strings().withChars("abcdef \n*\\<>@").ofMinLength(1500).ofMaxLength(7000);
  }
}
