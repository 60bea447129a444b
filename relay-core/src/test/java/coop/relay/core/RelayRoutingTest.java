package coop.relay.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.Operation;
import coop.relay.api.event.Received;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.testkit.PlatformMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayRoutingTest {
  private final ThreePlatforms p = new ThreePlatforms();
  private Relay relay;

  private Relay start(RelayBuilder builder) {
    relay = builder.build();
    p.record(relay);
    relay.start().block();
    return relay;
  }

  private Relay startTriangle() {
    return start(p.relay().bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")));
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop().block();
    }
  }

  @Test
  void aMessageReachesEveryOtherChannelOnceAndNeverItsOrigin() {
    startTriangle();

    p.alpha.post("c0", p.ada, RichText.builder().text("hello ").bold("all").build());

    assertThat(p.copies("b", "c0")).singleElement().satisfies(copy ->
        assertThat(copy.text()).isEqualTo(RichText.builder()
            .bold("A\u2060da").text(" (alpha): hello ").bold("all").build()));
    assertThat(p.copies("g", "c0")).hasSize(1);
    assertThat(p.copies("a", "c0")).isEmpty();
    assertThat(p.events(Delivered.class)).extracting(Delivered::operation).containsExactly(Operation.POST,
        Operation.POST);
  }

  @Test
  void puppetingPlatformsShowTheAuthorInsteadOfTheTemplate() {
    startTriangle();

    p.beta.post("c0", p.bob, "hi from beta");

    PlatformMessage copy = p.copies("a", "c0").get(0);
    assertThat(copy.authorName()).isEqualTo("Bob");
    assertThat(copy.plainText()).isEqualTo("hi from beta");
    assertThat(p.copies("g", "c0").get(0).plainText()).isEqualTo("B\u2060ob (beta): hi from beta");
  }

  @Test
  void editsAndDeletesFollowTheMessageToEveryCopy() {
    startTriangle();
    MessageRef original = p.alpha.post("c0", p.ada, "first");

    p.alpha.edit(original, p.ada, "second");
    assertThat(p.copies("b", "c0")).singleElement().satisfies(copy -> {
      assertThat(copy.plainText()).endsWith("second");
      assertThat(copy.edited()).isTrue();
    });
    assertThat(p.copies("g", "c0").get(0).plainText()).endsWith("second");

    p.alpha.delete(original);
    assertThat(p.copies("b", "c0").get(0).deleted()).isTrue();
    assertThat(p.copies("g", "c0").get(0).deleted()).isTrue();
  }

  @Test
  void aReplyPointsAtTheCopyOfItsTargetOnEachDestination() {
    startTriangle();
    MessageRef question = p.alpha.post("c0", p.ada, "question?");
    MessageRef questionOnBeta = p.copies("b", "c0").get(0).ref();

    p.gamma.reply(p.copies("g", "c0").get(0).ref(), p.cy, "answer!");

    PlatformMessage replyOnBeta = p.copies("b", "c0").get(1);
    assertThat(replyOnBeta.replyTo()).isEqualTo(questionOnBeta);
    PlatformMessage replyOnAlpha = p.copies("a", "c0").get(0);
    assertThat(replyOnAlpha.replyTo()).as("on the original's own channel, the reply targets the original")
        .isEqualTo(question);
  }

  @Test
  void aReplyToAMessageThatWasNotBridgedQuotesIt() {
    start(p.relay().bridge("elsewhere", b -> b.channel("b", "c1").channel("g", "c1")));
    MessageRef old = p.alpha.post("c0", p.ada, "from before the bridge");
    relay.bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")).block();

    p.alpha.reply(old, p.ada, "about that");

    PlatformMessage copy = p.copies("b", "c0").get(0);
    assertThat(copy.replyTo()).isNull();
    assertThat(copy.plainText()).startsWith("> ").contains("about that");
  }

  @Test
  void aReactionOnACopyReachesTheOriginalAndTheOtherCopies() {
    startTriangle();
    MessageRef original = p.alpha.post("c0", p.ada, "vote");
    MessageRef onBeta = p.copies("b", "c0").get(0).ref();
    Emoji thumbs = Emoji.unicode("thumbsup", "👍");

    p.beta.react(onBeta, p.bob, thumbs);

    assertThat(p.alpha.message(original).reactions()).extracting(r -> r.emoji()).containsExactly(thumbs);
    assertThat(p.copies("g", "c0").get(0).reactions()).hasSize(1);
    assertThat(p.beta.message(onBeta).reactions()).as("not added twice where it happened").hasSize(1);

    p.beta.unreact(onBeta, p.bob, thumbs);
    assertThat(p.alpha.message(original).reactions()).isEmpty();
  }

  @Test
  void echoesAreDroppedByTheCoreWhenTheConnectorPassesThemOn() {
    ThreePlatforms leaky = new ThreePlatforms(false);
    Relay r = leaky.relay().bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")).build();
    leaky.record(r);
    r.start().block();
    try {
      leaky.alpha.post("c0", leaky.ada, "once");

      assertThat(leaky.copies("a", "c0")).isEmpty();
      assertThat(leaky.copies("b", "c0")).hasSize(1);
      assertThat(leaky.copies("g", "c0")).hasSize(1);
      assertThat(leaky.events(Dropped.class)).extracting(Dropped::reason).containsOnly(Dropped.Reason.ECHO)
          .hasSize(2);

      MessageRef onBeta = leaky.copies("b", "c0").get(0).ref();
      Emoji heart = Emoji.unicode("heart", "❤");
      leaky.beta.react(onBeta, leaky.bob, heart);
      assertThat(leaky.copies("g", "c0").get(0).reactions()).as("the bot's echoed reactions are not relayed again")
          .hasSize(1);
      assertThat(leaky.alpha.history("c0").get(0).reactions()).hasSize(1);
      assertThat(leaky.events(Delivered.class)).filteredOn(d -> d.operation() == Operation.ADD_REACTION)
          .as("one reaction, delivered once to each other channel").hasSize(2);

      leaky.beta.unreact(onBeta, leaky.bob, heart);
      assertThat(leaky.copies("g", "c0").get(0).reactions()).isEmpty();
      assertThat(leaky.alpha.history("c0").get(0).reactions()).isEmpty();
      assertThat(leaky.events(Delivered.class)).filteredOn(d -> d.operation() == Operation.REMOVE_REACTION)
          .hasSize(2);
    } finally {
      r.stop().block();
    }
  }

  @Test
  void inChannelsAreOnlyReadAndOutChannelsOnlyWritten() {
    start(p.relay().bridge("announce", b -> b.in("a", "c0").out("b", "c0").channel("g", "c0")));

    p.beta.post("c0", p.bob, "from the out channel");
    assertThat(p.copies("a", "c0")).isEmpty();
    assertThat(p.copies("g", "c0")).isEmpty();

    p.gamma.post("c0", p.cy, "from both");
    assertThat(p.copies("a", "c0")).as("in-only is never written").isEmpty();
    assertThat(p.copies("b", "c0")).hasSize(1);

    p.alpha.post("c0", p.ada, "from in");
    assertThat(p.copies("b", "c0")).hasSize(2);
    assertThat(p.copies("g", "c0")).hasSize(1);
  }

  @Test
  void aChannelReachedThroughTwoBridgesGetsOneCopy() {
    start(p.relay()
        .bridge("one", b -> b.channel("a", "c0").channel("b", "c0"))
        .bridge("two", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c1")));

    p.alpha.post("c0", p.ada, "hi");

    assertThat(p.copies("b", "c0")).hasSize(1);
    assertThat(p.copies("g", "c1")).hasSize(1);
  }

  @Test
  void channelsOfOnePlatformCanBeBridgedWithEachOther() {
    start(p.relay().bridge("local", b -> b.channel("b", "c0").channel("b", "c1")));

    p.beta.post("c0", p.bob, "next door");

    assertThat(p.copies("b", "c1")).singleElement().extracting(PlatformMessage::plainText)
        .isEqualTo("B\u2060ob (beta): next door");
    assertThat(p.copies("b", "c0")).isEmpty();
  }

  @Test
  void bridgesChangeWhileTheRelayRuns() {
    start(p.relay().bridge("coop", b -> b.channel("a", "c0").channel("b", "c0")));

    relay.bridge("tube", b -> b.channel("a", "c0").channel("g", "c2")).block();
    p.alpha.post("c0", p.ada, "linked on demand");
    assertThat(p.copies("g", "c2")).hasSize(1);
    assertThat(relay.bridgeNames()).containsExactlyInAnyOrder("coop", "tube");

    relay.removeBridge("tube").block();
    p.alpha.post("c0", p.ada, "unlinked");
    assertThat(p.copies("g", "c2")).hasSize(1);
    assertThat(p.copies("b", "c0")).hasSize(2);
  }

  @Test
  void aBridgeWithAnUnknownConnectorIsRefusedAtRunTime() {
    startTriangle();

    assertThatThrownBy(() -> relay.bridge("bad", b -> b.channel("a", "c0").channel("zz", "c0")).block())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("connector 'zz'");
  }

  @Test
  void integratorsPublishFromCode() {
    startTriangle();
    Message notice = Message.builder(new coop.relay.api.ChannelRef("app", "scheduler").message("n1"),
        coop.relay.api.Identity.of(new coop.relay.api.UserRef("app", "cron"), "Scheduler")).text("meeting at 10").build();

    relay.publish("coop", notice).block();

    assertThat(p.copies("a", "c0")).singleElement().extracting(PlatformMessage::authorName).isEqualTo("Scheduler");
    assertThat(p.copies("b", "c0").get(0).plainText()).isEqualTo("S\u2060cheduler (app): meeting at 10");
    assertThatThrownBy(() -> relay.publish("nope", notice).block()).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("no bridge named 'nope'");
  }

  @Test
  void interceptorsFilterAndOptOut() {
    start(p.relay()
        .interceptor(Interceptors.optOut(Set.of(new coop.relay.api.UserRef("b", "u-bob"))))
        .interceptor(Interceptors.dropMatching(Pattern.compile("(?i)secret")))
        .bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")));

    p.beta.post("c0", p.bob, "bob does not want to be bridged");
    p.alpha.post("c0", p.ada, "a SECRET plan");
    p.alpha.post("c0", p.ada, "a public plan");

    assertThat(p.copies("g", "c0")).extracting(PlatformMessage::plainText).containsExactly("A\u2060da (alpha): a public plan");
    assertThat(p.events(Dropped.class)).extracting(Dropped::reason)
        .containsExactly(Dropped.Reason.FILTERED, Dropped.Reason.FILTERED);
  }

  @Test
  void aCustomNameTemplateIsUsed() {
    start(p.relay().nameTemplate("[{platform}] {name}: ").noPing(false)
        .bridge("coop", b -> b.channel("a", "c0").channel("b", "c0")));

    p.alpha.post("c0", p.ada, "hi");

    assertThat(p.copies("b", "c0").get(0).plainText()).isEqualTo("[alpha] Ada: hi");
  }

  @Test
  void startFailsWhenAPlatformRejectsTheCredentials() {
    p.gamma.rejectCredentials(true);
    relay = p.relay().bridge("coop", b -> b.channel("a", "c0").channel("g", "c0")).build();

    assertThatThrownBy(() -> relay.start().block()).isInstanceOf(CredentialsRejectedException.class)
        .hasMessageContaining("connector 'g'");
  }

  @Test
  void startingTwiceIsRefused() {
    startTriangle();

    assertThatThrownBy(() -> relay.start().block()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everythingReceivedIsReportedAndCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    start(p.relay().meterRegistry(registry).bridge("coop", b -> b.channel("a", "c0").channel("b", "c0")));

    p.alpha.post("c0", p.ada, "count me");

    assertThat(p.events(Received.class)).hasSize(1);
    assertThat(registry.get("relay.messages.received").tag("channel", "c0").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("relay.deliveries.delivered").tag("connector", "b").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("relay.delivery.latency").tag("connector", "b").timer().count()).isEqualTo(1);
    assertThat(registry.get("relay.connector.up").tag("connector", "a").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("relay.queue.depth").tag("channel", "c0").gauges()).isNotEmpty();
  }

  @Test
  void theQuickstartSnippetShapeCompiles() {
    // Mirrors the README snippet with in-memory connectors; keeps the public entry points honest.
    Relay r = Relay.builder()
        .connector(p.alphaConnector)
        .connector(p.betaConnector)
        .bridge("coop-chat", b -> b
            .channel("a", "c0")
            .channel("b", "c0"))
        .build();
    List<String> names = List.copyOf(r.bridgeNames());
    assertThat(names).containsExactly("coop-chat");
    assertThat(r.id()).isNotBlank();
  }
}
