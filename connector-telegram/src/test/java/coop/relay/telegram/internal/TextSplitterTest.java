package coop.relay.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TextSplitterTest {

  @Test
  void shortTextIsOnePartAndBlankTextNone() {
    FormattedText text = FormattedText.plain("hello");

    assertThat(TextSplitter.split(text, 10)).containsExactly(text);
    assertThat(TextSplitter.split(FormattedText.plain(" \n "), 10)).isEmpty();
  }

  @Test
  void cutsAfterTheLastLineBreakThatFits() {
    FormattedText text = FormattedText.plain("first line\nsecond line\nthird");

    List<FormattedText> parts = TextSplitter.split(text, 24);

    assertThat(parts).extracting(FormattedText::text).containsExactly("first line\nsecond line\n", "third");
  }

  @Test
  void cutsAfterASpaceWhenThereIsNoLineBreak() {
    List<FormattedText> parts = TextSplitter.split(FormattedText.plain("aaaa bbbb cccc"), 7);

    assertThat(parts).extracting(FormattedText::text).containsExactly("aaaa ", "bbbb ", "cccc");
  }

  @Test
  void neverCutsInsideALinkWhenItCanCutBeforeIt() {
    String text = "words and a link-label here";
    FormattedText formatted = new FormattedText(text,
        List.of(new Span(Span.Kind.TEXT_LINK, 12, 22, "https://example.org")));

    List<FormattedText> parts = TextSplitter.split(formatted, 16);

    assertThat(parts.get(0).text()).isEqualTo("words and a ");
    assertThat(parts.get(1).spans()).containsExactly(new Span(Span.Kind.TEXT_LINK, 0, 10, "https://example.org"));
  }

  @Test
  void aStyleLongerThanAPartIsCutAtASpaceAndEachPartKeepsItsPiece() {
    String text = "one two three four";
    FormattedText formatted = new FormattedText(text, List.of(new Span(Span.Kind.BOLD, 0, text.length(), null)));

    List<FormattedText> parts = TextSplitter.split(formatted, 9);

    assertThat(parts).extracting(FormattedText::text).containsExactly("one two ", "three ", "four");
    for (FormattedText part : parts) {
      assertThat(part.spans()).containsExactly(new Span(Span.Kind.BOLD, 0, part.text().length(), null));
    }
  }

  @Test
  void aCodeBlockLongerThanAPartIsCutButNeverInsideASurrogatePair() {
    String text = "\uD83D\uDE00".repeat(10);
    FormattedText formatted = new FormattedText(text, List.of(new Span(Span.Kind.PRE, 0, text.length(), null)));

    List<FormattedText> parts = TextSplitter.split(formatted, 5);

    assertThat(parts).extracting(p -> p.text().length()).containsOnly(4);
    assertThat(String.join("", parts.stream().map(FormattedText::text).toList())).isEqualTo(text);
  }

  @Property(tries = 300)
  void partsFitKeepEveryCharacterAndNeverSplitASurrogatePair(
      @ForAll("texts") FormattedText text, @ForAll @IntRange(min = 2, max = 60) int limit) {
    List<FormattedText> parts = TextSplitter.split(text, limit);

    StringBuilder joined = new StringBuilder();
    for (FormattedText part : parts) {
      assertThat(part.text().length()).isLessThanOrEqualTo(limit);
      assertThat(Character.isLowSurrogate(part.text().charAt(0))).as("a part starting inside a pair").isFalse();
      assertThat(Character.isHighSurrogate(part.text().charAt(part.text().length() - 1)))
          .as("a part ending inside a pair").isFalse();
      for (Span span : part.spans()) {
        assertThat(span.start()).isGreaterThanOrEqualTo(0);
        assertThat(span.end()).isLessThanOrEqualTo(part.text().length());
      }
      joined.append(part.text());
    }
    // Only parts that were nothing but white space may be dropped.
    assertThat(joined.toString().replaceAll("\\s", "")).isEqualTo(text.text().replaceAll("\\s", ""));
  }

  @Property(tries = 300)
  void spansThatFitInAPartAreNeverCut(@ForAll("texts") FormattedText text) {
    int limit = 40;
    List<FormattedText> parts = TextSplitter.split(text, limit);

    List<Span> whole = new ArrayList<>();
    int offset = 0;
    int searchFrom = 0;
    for (FormattedText part : parts) {
      offset = text.text().indexOf(part.text(), searchFrom);
      for (Span span : part.spans()) {
        whole.add(span.shifted(offset));
      }
      searchFrom = offset + part.text().length();
    }
    for (Span span : text.spans()) {
      boolean atomic = span.kind() != Span.Kind.BOLD && span.kind() != Span.Kind.ITALIC;
      if (atomic && span.length() <= limit / 2 && !text.text().substring(span.start(), span.end()).isBlank()) {
        assertThat(whole).as("%s in %s", span, parts).contains(span);
      }
    }
  }

  @Provide
  Arbitrary<FormattedText> texts() {
    // Astral characters (two UTF-16 code units each) everywhere, so that cuts meet surrogate pairs.
    Arbitrary<String> text = Arbitraries.of("a", "b", "c ", " ", "\n", "\uD83D\uDE00", "\uD834\uDD1E")
        .list().ofMinSize(1).ofMaxSize(150)
        .map(tokens -> String.join("", tokens));
    return text.flatMap(s -> spans(s).map(spans -> new FormattedText(s, spans)));
  }

  private static Arbitrary<List<Span>> spans(String text) {
    // Non-overlapping spans, as the formatter produces for sibling nodes.
    Arbitrary<Span> span = Combinators.combine(
            Arbitraries.integers().between(0, text.length() - 1),
            Arbitraries.integers().between(1, 30),
            Arbitraries.of(Span.Kind.BOLD, Span.Kind.TEXT_LINK, Span.Kind.CODE))
        .as((start, length, kind) -> new Span(kind, start, Math.min(text.length(), start + length),
            kind == Span.Kind.TEXT_LINK ? "https://example.org" : null));
    return span.list().ofMaxSize(5).map(TextSplitterTest::withoutOverlaps);
  }

  private static List<Span> withoutOverlaps(List<Span> candidates) {
    List<Span> kept = new ArrayList<>();
    for (Span candidate : candidates) {
      if (kept.stream().noneMatch(k -> k.start() < candidate.end() && candidate.start() < k.end())) {
        kept.add(candidate);
      }
    }
    return kept;
  }
}
