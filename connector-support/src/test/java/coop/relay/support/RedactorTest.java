package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final Secret TOKEN = Secret.of("123456:AAE-xyz_987", "token");

  @Test
  void masksTelegramTokenInPath() {
    Redactor redactor = Redactor.of(TOKEN);

    assertThat(redactor.redactUrl("https://api.telegram.org/bot123456:AAE-xyz_987/getUpdates?offset=5"))
        .isEqualTo("https://api.telegram.org/bot***/getUpdates?offset=5");
  }

  @Test
  void masksUrlEncodedSecrets() {
    Redactor redactor = Redactor.of(TOKEN);

    assertThat(redactor.redact("GET /file/bot123456%3AAAE-xyz_987/photo.jpg")).isEqualTo("GET /file/bot***/photo.jpg");
  }

  @Test
  void masksSensitiveQueryParametersAndUserInfo() {
    Redactor redactor = Redactor.defaults();

    assertThat(redactor.redactUrl("wss://user:pw@wss.slack.com/link/?ticket=abc-123&app_id=A1#frag"))
        .isEqualTo("wss://wss.slack.com/link/?ticket=***&app_id=A1#frag");
    assertThat(redactor.redactUrl("https://hs.example/_matrix/client/v3/sync?Access_Token=syt_x&since=s1"))
        .isEqualTo("https://hs.example/_matrix/client/v3/sync?Access_Token=***&since=s1");
  }

  @Test
  void extraQueryParametersCanBeAdded() {
    Redactor redactor = Redactor.builder().queryParameter("auth").build();

    assertThat(redactor.redactUrl("http://x/?auth=1&a=2")).isEqualTo("http://x/?auth=***&a=2");
  }

  @Test
  void masksTheLongerSecretWhole() {
    Redactor redactor = Redactor.of(Secret.of("abc", "a"), Secret.of("abcdef", "b"));

    assertThat(redactor.redact("x abcdef y abc")).isEqualTo("x *** y ***");
  }

  @Test
  void leavesTextWithoutSecretsAlone() {
    assertThat(Redactor.of(TOKEN).redactUrl("not a url at all")).isEqualTo("not a url at all");
  }
}
