package coop.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/** The registration and the builder: fail fast with a message that says what to fix, never show a token. */
class AppserviceRegistrationTest {

  @Test
  void ghostPrefixIsReadFromTheFirstUserNamespace() {
    assertThat(AppserviceRegistration.literalPrefix("@relay_.*:example\\.org")).isEqualTo("relay_");
    assertThat(AppserviceRegistration.literalPrefix("^@_irc_[a-z]+:x")).isEqualTo("_irc_");
    assertThat(AppserviceRegistration.literalPrefix("@bridge*")).isEqualTo("bridg");
    assertThat(AppserviceRegistration.literalPrefix("@.*")).isEmpty();
  }

  @Test
  void registrationChecksItsFieldsAndHidesItsTokens() {
    AppserviceRegistration registration = AppserviceRegistration.builder().id("relay").asToken("as-secret")
        .hsToken("hs-secret").senderLocalpart("relaybot").userNamespace("@relay_.*:example\\.org").build();

    assertThat(registration.ghostPrefix()).isEqualTo("relay_");
    assertThat(registration.inUserNamespace("@relay_tg.1:example.org")).isTrue();
    assertThat(registration.inUserNamespace("@alice:example.org")).isFalse();
    assertThat(registration.toString()).doesNotContain("as-secret").doesNotContain("hs-secret");
  }

  @Test
  void mistakesFailFastWithWhatToFix() {
    assertThatThrownBy(() -> AppserviceRegistration.builder().id("r").asToken("same").hsToken("same")
        .senderLocalpart("bot").userNamespace("@r_.*").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("equal");
    assertThatThrownBy(() -> AppserviceRegistration.builder().id("r").asToken("a").hsToken("h").senderLocalpart("bot")
        .build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("user namespace");
    assertThatThrownBy(() -> AppserviceRegistration.builder().id("r").asToken("a").hsToken("h").senderLocalpart("bot")
        .userNamespace("@.*").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("ghostPrefix");
    assertThatThrownBy(() -> AppserviceRegistration.builder().id("r").asToken("a").hsToken("h").senderLocalpart("Bot")
        .userNamespace("@r_.*").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("localpart");
  }

  @Test
  void connectorBuilderWantsExactlyOneMode() {
    assertThatThrownBy(() -> MatrixConnector.builder().id("mx").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("accessToken");
    assertThatThrownBy(() -> MatrixConnector.builder().id("mx").accessToken("t").appservice(MatrixSandbox.registration())
        .build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("choose one mode");
    assertThatThrownBy(() -> MatrixConnector.builder().id("mx").accessToken("t").listen("127.0.0.1", 0).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("application-service mode");
    assertThatThrownBy(() -> MatrixConnector.builder().baseUrl("not a url"))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("baseUrl");
  }

  @Test
  void connectorShowsNoToken() {
    MatrixConnector connector = MatrixConnector.builder().id("mx").accessToken("syt_very_secret").build();

    assertThat(connector.toString()).doesNotContain("syt_very_secret").contains("client mode");
    assertThat(connector.capabilities().puppeting()).isEqualTo(coop.relay.api.PuppetingMode.NONE);
    assertThat(MatrixConnector.builder().id("mx").appservice(MatrixSandbox.registration()).build().capabilities()
        .puppeting()).isEqualTo(coop.relay.api.PuppetingMode.GHOST_USERS);
  }
}
