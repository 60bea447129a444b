package coop.relay.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quickstart bridges a chat of the Telegram emulator with an in-memory platform, both ways. */
class TelegramQuickstartIT {

  @Test
  void bridgesATelegramGroupWithAnInMemoryPlatform() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new TelegramQuickstart(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String narration = buffer.toString(StandardCharsets.UTF_8);

    assertThat(narration)
        .contains("memchat#lobby shows: A\u2060da (telegram): Hello from Telegram")
        .contains("the Telegram group shows, from relay_bot: B\u2060ob (memchat): Hi Ada, greetings from memchat");
  }
}
