package coop.relay.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.RateLimitedException;
import coop.relay.api.UserRef;
import coop.relay.api.text.RichText;
import coop.relay.support.BoundedMap;
import coop.relay.support.HttpHeaders;
import coop.relay.support.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The connector's small pure parts: transaction ids, ghost names, error mapping, reply fallbacks, splitting. */
class SmallPartsTest {

  @Test
  void transactionIdsAreDeterministicAndTellTheirPartsApart() {
    assertThat(TxnIds.of("post", "!r:x", "src", "relay.d1", "text0")).isEqualTo(TxnIds.of("post", "!r:x", "src",
        "relay.d1", "text0"));
    assertThat(TxnIds.of("ab", "c")).isNotEqualTo(TxnIds.of("a", "bc"));
    assertThat(TxnIds.of("post", "!r:x", "src", "relay.d2", "text0")).isNotEqualTo(TxnIds.of("post", "!r:x", "src",
        "relay.d1", "text0"));
    assertThat(TxnIds.of("x")).matches("[A-Za-z0-9_-]{26}");
  }

  @Property(tries = 500)
  void ghostLocalpartsAreValidAndDistinct(@ForAll String connectorA, @ForAll String userA,
      @ForAll String connectorB, @ForAll String userB) {
    // Ids are text: blank ones are refused by UserRef, and unpaired surrogates are no text.
    Assume.that(!connectorA.isBlank() && !userA.isBlank() && !connectorB.isBlank() && !userB.isBlank());
    Assume.that(wellFormed(connectorA) && wellFormed(userA) && wellFormed(connectorB) && wellFormed(userB));
    String a = GhostNames.localpart("relay_", new UserRef(connectorA, userA));
    String b = GhostNames.localpart("relay_", new UserRef(connectorB, userB));

    assertThat(a).matches("[a-z0-9._=\\-/+]+");
    assertThat(a.equals(b)).isEqualTo(connectorA.equals(connectorB) && userA.equals(userB));
  }

  @Test
  void ghostLocalpartsOfTypicalIdsAreReadable() {
    assertThat(GhostNames.localpart("relay_", new UserRef("tg", "123456"))).isEqualTo("relay_tg.123456");
    assertThat(GhostNames.localpart("relay_", new UserRef("dc", "Tess#01"))).isEqualTo("relay_dc._tess=2301");
  }

  @Test
  void errorsMapToTheRelaysExceptions() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(MatrixErrors.failure("mx", response(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"gone\"}"), "sync", now))
        .isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("M_UNKNOWN_TOKEN");
    assertThat(MatrixErrors.failure("mx", response(403, "{\"errcode\":\"M_FORBIDDEN\"}"), "send", now))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse());
    assertThat(MatrixErrors.failure("mx", response(502, ""), "send", now))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue());
  }

  @Test
  void rateLimitWaitComesFromTheHeaderElseTheBody() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String body = "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":1500}";
    HttpResponse withHeader = new HttpResponse(429, HttpHeaders.of("Retry-After", "3"), bytes(body));
    HttpResponse withoutHeader = response(429, body);

    assertThat(MatrixErrors.retryAfter(withHeader, now)).isEqualTo(Duration.ofSeconds(3));
    assertThat(MatrixErrors.retryAfter(withoutHeader, now)).isEqualTo(Duration.ofMillis(1500));
    assertThat(MatrixErrors.retryAfter(response(429, "{}"), now)).isEqualTo(MatrixErrors.DEFAULT_RETRY_AFTER);
    assertThat(MatrixErrors.failure("mx", withoutHeader, "send", now))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500)));
    assertThat(MatrixErrors.isRateLimited(response(400, "{\"errcode\":\"M_LIMIT_EXCEEDED\"}"))).isTrue();
  }

  @Test
  void replyFallbackIsStrippedOnlyWhenItIsOne() {
    assertThat(ReplyFallback.strip("> <@a:x> question\n> more\n\nanswer")).isEqualTo("answer");
    assertThat(ReplyFallback.strip("> a quote of my own\nand my text")).isEqualTo("> a quote of my own\nand my text");
    assertThat(ReplyFallback.strip("plain")).isEqualTo("plain");
  }

  @Test
  void longTextsAreSplitBelowTheLimitWithoutLosingText() {
    String word = "word ";
    RichText text = RichText.builder().text(word.repeat(300)).lineBreak().bold("bold end").build();

    List<RichText> parts = TextSplitter.split(text, 200);

    assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.plainText().length()).isLessThanOrEqualTo(200));
    String joined = String.join("", parts.stream().map(RichText::plainText).toList());
    assertThat(joined.replaceAll("\\s", "")).as("all text, cut only at white space")
        .isEqualTo(text.plainText().replaceAll("\\s", ""));
    assertThat(TextSplitter.split(RichText.of("short"), 200)).containsExactly(RichText.of("short"));
  }

  @Test
  void boundedMapForgetsTheLeastRecentlyUsed() {
    BoundedMap<String, Integer> map = new BoundedMap<>(2);
    map.put("a", 1);
    map.put("b", 2);
    map.get("a");
    map.put("c", 3);

    Set<String> kept = new HashSet<>();
    for (String key : List.of("a", "b", "c")) {
      if (map.containsKey(key)) {
        kept.add(key);
      }
    }
    assertThat(kept).containsExactlyInAnyOrder("a", "c");
  }

  private static boolean wellFormed(String s) {
    return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }

  private static HttpResponse response(int status, String body) {
    return new HttpResponse(status, HttpHeaders.empty(), bytes(body));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
