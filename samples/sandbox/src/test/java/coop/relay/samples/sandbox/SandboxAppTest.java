package coop.relay.samples.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SandboxAppTest {

  @Test
  void theBuilderRefusesWhatCannotWorkAndSaysWhatToFix() {
    assertThatThrownBy(() -> SandboxApp.builder().port(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-65535");
    assertThatThrownBy(() -> SandboxApp.builder().host(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1");
    assertThatThrownBy(() -> SandboxApp.builder().platforms("myspace"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("telegram");
    assertThatThrownBy(() -> SandboxApp.builder().emulatorPort("telegram", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAppThatWasNotStartedExplainsWhatItLacks() {
    SandboxApp app = SandboxApp.builder().platforms("telegram", "matrix").build();
    assertThat(app.platforms()).containsExactly("telegram", "matrix");
    assertThatThrownBy(app::pageUrl).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    assertThatThrownBy(() -> app.room("telegram", SandboxApp.COOP))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    assertThatThrownBy(() -> app.people("slack"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[telegram, matrix]");
    assertThatThrownBy(() -> app.newConnector("telegram", "tg", 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bot is 0");
    assertThat(app.relay()).isEmpty();
    assertThat(app.toString()).contains("not started");
  }

  @Test
  void theAppRelayIsStartedOnlyOnce() {
    SandboxApp app = SandboxApp.builder().platforms("telegram").relay(false).build();
    try {
      app.start().block();
      assertThatThrownBy(() -> app.start().block()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("build a new one");
      assertThat(app.pageUrl()).startsWith("http://127.0.0.1:");
      assertThat(app.room("telegram", SandboxApp.ANNOUNCEMENTS).name()).isEqualTo("Announcements");
      assertThat(app.room("telegram", SandboxApp.COOP).bridged()).isFalse();
    } finally {
      app.close();
    }
  }
}
