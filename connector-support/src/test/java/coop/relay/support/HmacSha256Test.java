package coop.relay.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HmacSha256Test {

  @Test
  void matchesRfc4231TestCase2() {
    HmacSha256 hmac = HmacSha256.keyedWith(Secret.of("Jefe", "key"));

    assertThat(hmac.hex("what do ya want for nothing?".getBytes(UTF_8)))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void signsPartsAsIfConcatenated() {
    HmacSha256 hmac = HmacSha256.keyedWith(Secret.of("Jefe", "key"));

    assertThat(hmac.hex("what do ya ".getBytes(UTF_8), "want for nothing?".getBytes(UTF_8)))
        .isEqualTo(hmac.hex("what do ya want for nothing?".getBytes(UTF_8)));
  }

  @Test
  void verifiesSlacksDocumentedExample() {
    HmacSha256 hmac = HmacSha256.keyedWith(Secret.of("8f742231b10e8888abcd99yyyzzz85a5", "signingSecret"));
    String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    String expected = "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    assertThat(hmac.verifyHex(expected, "v0:1531420618:".getBytes(UTF_8), body.getBytes(UTF_8))).isTrue();
    assertThat(hmac.verifyHex(expected.toUpperCase(), "v0:1531420618:".getBytes(UTF_8), body.getBytes(UTF_8))).isTrue();
    assertThat(hmac.verifyHex(expected, "v0:1531420619:".getBytes(UTF_8), body.getBytes(UTF_8))).isFalse();
    assertThat(hmac.verifyHex(null, body.getBytes(UTF_8))).isFalse();
  }

  @Test
  void toStringHidesTheKey() {
    assertThat(HmacSha256.keyedWith(Secret.of("topsecret", "key")).toString()).doesNotContain("topsecret");
  }
}
