package coop.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.testkit.InMemoryConnector;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Threads and attachments follow the message; what a platform cannot do is skipped or falls back. */
class RelayCapabilitiesTest {
  private final ThreePlatforms p = new ThreePlatforms();
  private final InMemoryPlatform plain = InMemoryPlatform.builder().name("plain").channels("c0").scheduler(p.time)
      .build();
  private Relay relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop().block();
    }
  }

  private void start() {
    InMemoryConnector limited = InMemoryConnector.builder().id("p").platform(plain)
        .capabilities(Capabilities.builder().edits(false).replies(false).threads(false).reactions(false)
            .puppeting(PuppetingMode.NONE).build())
        .build();
    relay = p.relay().connector(limited)
        .bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("p", "c0"))
        .build();
    p.record(relay);
    relay.start().block();
  }

  private List<PlatformMessage> plainCopies() {
    return plain.history("c0").stream().filter(PlatformMessage::byBridge).toList();
  }

  @Test
  void threadsMapToTheThreadOfTheRootsCopy() {
    start();
    MessageRef root = p.alpha.post("c0", p.ada, "thread root");
    p.alpha.postInThread(root, p.ada, "in the thread");

    List<PlatformMessage> onBeta = p.copies("b", "c0");
    assertThat(onBeta).hasSize(2);
    assertThat(onBeta.get(1).threadRoot()).isEqualTo(onBeta.get(0).ref());
    assertThat(plainCopies().get(1).threadRoot()).as("no threads there: posted in the channel").isNull();
  }

  @Test
  void attachmentsAreDownloadedFromTheSourceAndUploadedToEachDestination() {
    start();
    byte[] content = "minutes of the meeting".getBytes(StandardCharsets.UTF_8);
    Attachment file = p.alpha.upload("minutes.txt", "text/plain", content);

    p.alpha.post("c0", p.ada, coop.relay.api.text.RichText.of("see attached"), List.of(file));

    PlatformMessage copy = p.copies("b", "c0").get(0);
    assertThat(copy.attachments()).singleElement().satisfies(uploaded -> {
      assertThat(uploaded.fileName()).isEqualTo("minutes.txt");
      assertThat(p.beta.fileContent(uploaded)).isEqualTo(content);
    });
  }

  @Test
  void editsAreSkippedWhereThePlatformCannotEdit() {
    start();
    MessageRef original = p.alpha.post("c0", p.ada, "first");

    p.alpha.edit(original, p.ada, "second");

    assertThat(p.copies("b", "c0").get(0).plainText()).endsWith("second");
    assertThat(plainCopies().get(0).plainText()).endsWith("first");
    assertThat(plain.stats("c0").edits()).isZero();
    assertThat(p.events(DeliveryFailed.class)).isEmpty();
  }

  @Test
  void repliesBecomeQuotesWhereThePlatformCannotReply() {
    start();
    MessageRef question = p.alpha.post("c0", p.ada, "question?");

    p.alpha.reply(question, p.ada, "self-answer");

    PlatformMessage reply = plainCopies().get(1);
    assertThat(reply.replyTo()).isNull();
    assertThat(reply.plainText()).startsWith("> ").contains("question?").endsWith("self-answer");
    assertThat(p.copies("b", "c0").get(1).replyTo()).isEqualTo(p.copies("b", "c0").get(0).ref());
  }
}
