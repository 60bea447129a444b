package coop.relay.samples.quickstart;

import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.RelayEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.core.Relay;
import coop.relay.testkit.InMemoryConnector;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Links three in-memory chat platforms through one Relay bridge and narrates what happens to a
 * message, its edit, a reply, a reaction, an echo and a delete. "alpha" can show who wrote a
 * message (like Discord webhooks); "beta" and "gamma" cannot (like Telegram), so Relay puts the
 * author's name into the text.
 */
public final class Quickstart {
  private final PrintStream out;
  private final BlockingQueue<RelayEvent> events = new LinkedBlockingQueue<>();
  private final List<RelayEvent> seen = new ArrayList<>();

  Quickstart(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    new Quickstart(System.out).run();
  }

  void run() {
    InMemoryPlatform alpha = InMemoryPlatform.builder().name("alpha").channels("general").build();
    InMemoryPlatform beta = InMemoryPlatform.builder().name("beta").channels("lobby").build();
    InMemoryPlatform gamma = InMemoryPlatform.builder().name("gamma").channels("main").build();

    Relay relay = Relay.builder()
        .connector(connector("alpha", alpha, PuppetingMode.PER_MESSAGE, true))
        .connector(connector("beta", beta, PuppetingMode.NONE, false))
        .connector(connector("gamma", gamma, PuppetingMode.NONE, true))
        .bridge("coop-chat", b -> b
            .channel("alpha", "general")
            .channel("beta", "lobby")
            .channel("gamma", "main"))
        .build();
    relay.events().subscribe(events::add);
    relay.start().block();
    say("Relay %s started: alpha#general <-> beta#lobby <-> gamma#main", relay.id());

    Identity ada = alpha.user("ada", "Ada");
    Identity bob = beta.user("bob", "Bob");
    Identity cy = gamma.user("cy", "Cy");

    say("%n1. Ada posts on alpha: \"Hello **everyone**\"");
    MessageRef hello = alpha.post("general", ada, RichText.builder().text("Hello ").bold("everyone").build());
    awaitDelivered(2);
    show(beta, "lobby");
    show(gamma, "main");

    say("%n2. Ada edits it");
    alpha.edit(hello, ada, RichText.builder().text("Hello ").bold("everyone").text(", welcome!").build());
    awaitDelivered(2);
    show(beta, "lobby");
    show(gamma, "main");

    say("%n3. Bob replies on beta, to the copy he sees");
    MessageRef helloOnBeta = bridged(beta, "lobby").get(0).ref();
    beta.reply(helloOnBeta, bob, "Thanks Ada!");
    awaitDelivered(2);
    PlatformMessage replyOnAlpha = bridged(alpha, "general").get(0);
    say("   alpha shows %s: \"%s\", a reply to Ada's original %s: %s", replyOnAlpha.authorName(),
        replyOnAlpha.plainText(), hello.messageId(), hello.equals(replyOnAlpha.replyTo()));
    show(gamma, "main");

    say("%n4. Cy reacts with a thumbs-up on gamma");
    Emoji thumbsUp = Emoji.unicode("thumbsup", "👍");
    gamma.react(bridged(gamma, "main").get(0).ref(), cy, thumbsUp);
    awaitDelivered(2);
    say("   Ada's original on alpha now has reactions: %s", alpha.message(hello).reactionKeys());

    say("%n5. The echo: beta hands the bridge its own posts back, as Slack and Matrix do");
    Predicate<RelayEvent> isEcho = e -> e instanceof Dropped d && d.reason() == Dropped.Reason.ECHO;
    Dropped echo = (Dropped) seen.stream().filter(isEcho).findFirst().orElseGet(() -> await(isEcho, "an echo"));
    say("   the copy %s came back as a new message and was dropped: %s (never relayed back)",
        echo.event().target(), echo.reason());

    say("%n6. Ada deletes her message");
    alpha.delete(hello);
    awaitDelivered(2);
    say("   beta's copy deleted: %s, gamma's copy deleted: %s",
        bridged(beta, "lobby").get(0).deleted(), bridged(gamma, "main").get(0).deleted());

    relay.stop().block();
    say("%nRelay stopped. Nothing was lost, nothing was duplicated.");
  }

  private static InMemoryConnector connector(String id, InMemoryPlatform platform, PuppetingMode puppeting,
      boolean suppressEchoes) {
    return InMemoryConnector.builder()
        .id(id)
        .platform(platform)
        .capabilities(Capabilities.builder().puppeting(puppeting).build())
        .suppressEchoes(suppressEchoes)
        .build();
  }

  private static List<PlatformMessage> bridged(InMemoryPlatform platform, String channel) {
    return platform.history(channel).stream().filter(PlatformMessage::byBridge).toList();
  }

  private void show(InMemoryPlatform platform, String channel) {
    for (PlatformMessage message : bridged(platform, channel)) {
      say("   %s#%s shows (from the bridge bot, as \"%s\"): %s%s", platform.name(), channel, message.authorName(),
          message.plainText().replace("\n", " / "), message.edited() ? "  (edited)" : "");
    }
  }

  private void awaitDelivered(int count) {
    for (int i = 0; i < count; i++) {
      await(e -> e instanceof Delivered, "a delivery");
    }
  }

  private RelayEvent await(Predicate<RelayEvent> wanted, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      while (true) {
        RelayEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new IllegalStateException("waited 10 s for " + what + " in vain");
        }
        seen.add(event);
        if (event instanceof DeliveryFailed failed) {
          throw new IllegalStateException("a delivery failed: " + failed);
        }
        if (wanted.test(event)) {
          return event;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }
}
