package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder fails fast, saying what to fix, and never shows secrets. */
class SlackEmulatorBuilderTest {

  @Test
  void needsAnAppWithABotToken() {
    assertThatThrownBy(() -> SlackEmulator.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(".app(");
    assertThatThrownBy(() -> SlackEmulator.builder().app("relay", a -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xoxb-");
    assertThatThrownBy(() -> SlackEmulator.builder().app("relay", a -> a.botToken("xoxp-user-token")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xoxb-");
    assertThatThrownBy(() -> SlackEmulator.builder().app("relay", a -> a.botToken("xoxb-1-relay").appToken("xoxb-2")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xapp-");
    assertThatThrownBy(() -> SlackEmulator.builder().app("", a -> a.botToken("xoxb-1-relay")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app name");
  }

  @Test
  void aRequestUrlNeedsASigningSecret() {
    assertThatThrownBy(() -> SlackEmulator.builder().app("relay", a -> a.botToken("xoxb-1-relay").requestUrl("http://localhost/events")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signingSecret");
    assertThatThrownBy(() -> SlackEmulator.builder().app("relay", a -> a.botToken("xoxb-1-relay").signingSecret("s").requestUrl("ftp://x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
  }

  @Test
  void appsNeedTheirOwnNamesAndTokens() {
    assertThatThrownBy(() -> SlackEmulator.builder()
        .app("relay", a -> a.botToken("xoxb-1-relay"))
        .app("relay", a -> a.botToken("xoxb-2-relay"))
        .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("own");
    assertThatThrownBy(() -> SlackEmulator.builder()
        .app("one", a -> a.botToken("xoxb-1-relay"))
        .app("two", a -> a.botToken("xoxb-1-relay"))
        .build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void optionsAreChecked() {
    SlackEmulator.Builder b = SlackEmulator.builder();
    assertThatThrownBy(() -> b.team("workspace", "x")).hasMessageContaining("T0SANDBOX1");
    assertThatThrownBy(() -> b.ackTimeout(Duration.ZERO)).hasMessageContaining("ackTimeout");
    assertThatThrownBy(() -> b.eventRetryDelays(Duration.ofSeconds(-1))).hasMessageContaining("negative");
    assertThatThrownBy(() -> b.socketRefresh(Duration.ofSeconds(-1), Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.customEmoji("Party Parrot", "https://example.org/p.gif")).hasMessageContaining("emoji name");
    assertThatThrownBy(() -> b.uploadLimit(0)).hasMessageContaining("uploadLimit");
  }

  @Test
  void toStringShowsNoSecrets() {
    SlackEmulator slack = SlackEmulator.builder()
        .app("relay", a -> a.botToken("xoxb-1-secret-bot").appToken("xapp-1-secret-app").signingSecret("secret-signing"))
        .build();
    assertThat(slack.toString()).contains("relay").doesNotContain("secret");
    assertThat(slack.app("relay").appId()).startsWith("A");
    assertThat(slack.app("relay").botId()).matches("B[A-Z0-9]{8,}");
    assertThat(slack.app("relay").botUserId()).matches("U[A-Z0-9]{8,}");
    assertThatThrownBy(() -> slack.app("nope")).hasMessageContaining("relay");
  }
}
