package coop.relay.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteControlTest {

  @Test
  void decodesEventsWhateverTheChunking() {
    RemoteControl.SseDecoder decoder = new RemoteControl.SseDecoder();
    assertThat(decoder.feed(": comment\n\nid: 1\nevent: x\ndata: {\"a\"")).isEmpty();
    assertThat(decoder.feed(":1}\n\nid: 2\r\ndata: two\r\n")).containsExactly("{\"a\":1}");
    assertThat(decoder.feed("\r\n")).containsExactly("two");
  }

  @Test
  void refusesBaseUrlsThatAreNoHttpUrls() {
    assertThatThrownBy(() -> RemoteControl.connect("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteControl.connect("ftp://127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
  }
}
