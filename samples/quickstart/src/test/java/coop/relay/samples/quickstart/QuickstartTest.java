package coop.relay.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's run command prints this narration; it must tell the truth. */
class QuickstartTest {

  @Test
  void narratesTheWholeFlowAsItHappens() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    new Quickstart(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String narration = buffer.toString(StandardCharsets.UTF_8);

    assertThat(narration)
        .contains("beta#lobby shows (from the bridge bot, as \"Relay\"): A\u2060da (alpha): Hello everyone")
        .contains("Hello everyone, welcome!  (edited)")
        .contains("alpha shows Bob: \"Thanks Ada!\", a reply to Ada's original 1: true")
        .contains("Ada's original on alpha now has reactions: [👍]")
        .contains("came back as a new message and was dropped: ECHO")
        .contains("beta's copy deleted: true, gamma's copy deleted: true");
  }
}
