package coop.relay.sandbox.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The spec rules the emulator implements in isolation: redaction, filters, tokens, text, limits. */
class MatrixRulesTest {
  private final JsonMapper json = JsonMapper.builder().build();

  private ObjectNode obj(String text) {
    return (ObjectNode) json.readTree(text);
  }

  @Test
  void redactionKeepsOnlyWhatRoomVersion11Protects() {
    assertThat(EventFormat.redactedContent("m.room.message", obj("{\"body\":\"x\",\"msgtype\":\"m.text\"}"))).isEmpty();
    assertThat(EventFormat.redactedContent("m.room.member",
        obj("{\"membership\":\"join\",\"displayname\":\"A\",\"avatar_url\":\"mxc://s/x\"}")).propertyNames())
        .containsExactly("membership");
    assertThat(EventFormat.redactedContent("m.room.power_levels",
        obj("{\"users\":{},\"invite\":0,\"notifications\":{\"room\":50}}")).propertyNames())
        .containsExactlyInAnyOrder("users", "invite");
    assertThat(EventFormat.redactedContent("m.room.create", obj("{\"room_version\":\"11\",\"m.federate\":false}")).size())
        .isEqualTo(2);
    assertThat(EventFormat.redactedContent("m.room.redaction", obj("{\"redacts\":\"$a\",\"reason\":\"r\"}")).propertyNames())
        .containsExactly("redacts");
  }

  @Test
  void eventFiltersMatchTypesWithWildcardsAndNotListsWin() {
    EventFilter filter = EventFilter.parse(obj(
        "{\"types\":[\"m.room.*\"],\"not_types\":[\"m.room.member\"],\"not_senders\":[\"@spam:s\"],\"limit\":5}"));
    assertThat(filter.allows(event("m.room.message", "@a:s"))).isTrue();
    assertThat(filter.allows(event("m.room.member", "@a:s"))).isFalse();
    assertThat(filter.allows(event("m.reaction", "@a:s"))).isFalse();
    assertThat(filter.allows(event("m.room.message", "@spam:s"))).isFalse();
    assertThat(filter.limitOr(10)).isEqualTo(5);
    assertThat(EventFilter.parse(obj("{\"types\":[\"m.room.message\"]}")).allows(event("m.room.messages", "@a:s"))).isFalse();
    assertThatThrownBy(() -> EventFilter.parse(obj("{\"limit\":-1}"))).isInstanceOf(MatrixError.class);
    assertThatThrownBy(() -> EventFilter.parse(obj("{\"types\":\"m.room.message\"}"))).isInstanceOf(MatrixError.class);
  }

  private MxEvent event(String type, String sender) {
    return new MxEvent(1, "$e", "!r:s", type, null, sender, 0, obj("{}"), null, null, null);
  }

  @Test
  void tokensNameStreamPositions() {
    assertThat(SyncBuilder.position("s42")).isEqualTo(42);
    assertThat(SyncBuilder.position("t0")).isZero();
    for (String bad : List.of("", "s", "x12", "s-1", "s1.5")) {
      assertThatThrownBy(() -> SyncBuilder.position(bad)).as(bad).isInstanceOf(MatrixError.class)
          .satisfies(e -> assertThat(((MatrixError) e).errcode).isEqualTo("M_INVALID_PARAM"));
    }
  }

  @Test
  void htmlBecomesAFaithfulPlainBodyAndPillsBecomeMentions() {
    ControlText.Parsed parsed = ControlText.parse(
        "<p>Hi <a href=\"https://matrix.to/#/@bob:s\">Bob</a> &amp; &lt;all&gt;</p><ul><li>one</li><li>two</li></ul>x<br>y &#128512;");
    assertThat(parsed.body()).isEqualTo("Hi Bob & <all>\n- one\n- two\nx\ny 😀");
    assertThat(parsed.mentions()).containsExactly("@bob:s");
    assertThat(ControlText.parse("3 < 4 & plain").html()).as("no tags, no HTML").isNull();
  }

  @Test
  void theRateLimiterRefillsAtItsRate() {
    RateLimiter limiter = new RateLimiter(2, 2);
    assertThat(limiter.tryAcquire("@a:s", 0)).isZero();
    assertThat(limiter.tryAcquire("@a:s", 0)).isZero();
    assertThat(limiter.tryAcquire("@a:s", 0)).isEqualTo(500);
    assertThat(limiter.tryAcquire("@b:s", 0)).as("per user").isZero();
    assertThat(limiter.tryAcquire("@a:s", 250)).isEqualTo(250);
    assertThat(limiter.tryAcquire("@a:s", 500)).isZero();
  }
}
