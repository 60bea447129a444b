package coop.relay.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginMarkerTest {

  @Test
  void encodesAndParsesBack() {
    OriginMarker marker = new OriginMarker("r1", "42z");

    assertThat(marker.encode()).isEqualTo("r1.42z");
    assertThat(OriginMarker.parse(marker.encode())).isEqualTo(marker);
  }

  @Test
  void parseRejectsWhatIsNotAMarker() {
    assertThat(OriginMarker.parse(null)).isNull();
    assertThat(OriginMarker.parse("nodot")).isNull();
    assertThat(OriginMarker.parse(".x")).isNull();
    assertThat(OriginMarker.parse("x.")).isNull();
  }

  @Test
  void deliveryIdMayContainDotsButRelayIdMayNot() {
    assertThat(OriginMarker.parse("r.a.b")).isEqualTo(new OriginMarker("r", "a.b"));
    assertThatThrownBy(() -> new OriginMarker("r.x", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("relayId");
  }

  @Test
  void refsRejectBlankIds() {
    assertThatThrownBy(() -> new ChannelRef("tg", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channelId");
    assertThat(ChannelRef.of("tg", "1").message("7")).isEqualTo(new MessageRef(new ChannelRef("tg", "1"), "7"));
  }
}
