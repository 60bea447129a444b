package coop.relay.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class RelayBuilderTest {

  @Test
  void aRelayNeedsAConnector() {
    assertThatThrownBy(() -> Relay.builder().build())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("at least one connector");
  }

  @Test
  void aBridgeNeedsTwoChannels() {
    assertThatThrownBy(() -> Relay.builder().bridge("lonely", b -> b.channel("tg", "1")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("bridge 'lonely' has 1 channel(s)");
  }

  @Test
  void aChannelIsListedOncePerBridge() {
    assertThatThrownBy(() -> Relay.builder().bridge("twice", b -> b.channel("tg", "1").out("tg", "1")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("lists channel tg:1 twice");
  }

  @Test
  void blankIdsNameTheBridge() {
    assertThatThrownBy(() -> Relay.builder().bridge("b", s -> s.channel("tg", "")))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("bridge 'b'")
        .hasMessageContaining("channelId");
  }

  @Test
  void meterRegistryMustBeMicrometers() {
    assertThatThrownBy(() -> Relay.builder().meterRegistry("not a registry"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("io.micrometer.core.instrument.MeterRegistry");
  }
}
