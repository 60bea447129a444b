package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toStringNeverShowsTheValue() {
    Secret secret = Secret.of("123456:ABC-DEF", "token");

    assertThat(secret.toString()).doesNotContain("123456").doesNotContain("ABC");
    assertThat(String.valueOf(secret)).isEqualTo("Secret[***]");
  }

  @Test
  void revealGivesTheValue() {
    assertThat(Secret.of("s3cr3t", "token").reveal()).isEqualTo("s3cr3t");
  }

  @Test
  void matchesComparesValues() {
    Secret secret = Secret.of("s3cr3t", "signingSecret");

    assertThat(secret.matches("s3cr3t")).isTrue();
    assertThat(secret.matches("s3cr3T")).isFalse();
    assertThat(secret.matches("s3cr3t ")).isFalse();
    assertThat(secret.matches("")).isFalse();
    assertThat(secret.matches(null)).isFalse();
  }

  @Test
  void equalityFollowsTheValueWithoutAValueDerivedHash() {
    Secret a = Secret.of("one", "x");

    assertThat(a).isEqualTo(Secret.of("one", "x")).isNotEqualTo(Secret.of("two", "x"));
    assertThat(a.hashCode()).isEqualTo(Secret.of("two", "x").hashCode());
  }

  @Test
  void constantTimeEqualsHandlesDifferentLengths() {
    assertThat(Secret.constantTimeEquals("abc", "abc")).isTrue();
    assertThat(Secret.constantTimeEquals("abc", "abcd")).isFalse();
    assertThat(Secret.constantTimeEquals("", "")).isTrue();
  }

  @Test
  void blankValuesAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> Secret.of(" ", "botToken"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("botToken");
    assertThatThrownBy(() -> Secret.of(null, "hsToken"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("hsToken");
  }
}
