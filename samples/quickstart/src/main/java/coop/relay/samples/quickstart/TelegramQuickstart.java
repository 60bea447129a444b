package coop.relay.samples.quickstart;

import coop.relay.api.Identity;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.RelayEvent;
import coop.relay.core.Relay;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.telegram.TelegramEmulator;
import coop.relay.telegram.TelegramConnector;
import coop.relay.testkit.InMemoryConnector;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bridges a group chat of the local Telegram emulator (the real Bot API over HTTP, long-polled by
 * the real {@link TelegramConnector}) with an in-memory platform, and narrates a message each way.
 *
 * <p>Run: {@code ./mvnw -q -B -Prun-telegram -pl samples/quickstart -am package -DskipTests}
 */
public final class TelegramQuickstart {
  private static final String BOT_TOKEN = "123456:quickstart-sandbox-token";

  private final PrintStream out;
  private final BlockingQueue<RelayEvent> events = new LinkedBlockingQueue<>();

  TelegramQuickstart(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    new TelegramQuickstart(System.out).run();
  }

  void run() {
    try (RelaySandbox sandbox = RelaySandbox.builder()
        .emulator(TelegramEmulator.builder().bot(BOT_TOKEN, "relay_bot").build())
        .build()) {
      sandbox.start().block();
      SandboxControl telegram = sandbox.control("telegram");
      SandboxChannel chat = telegram.createChannel(NewChannel.named("Co-op chat")).block();
      SandboxUser ada = telegram.createUser(new NewUser("Ada", "ada_lovelace", null)).block();
      say("Telegram emulator at %s, group \"%s\" (%s)", sandbox.baseUrl("telegram"), chat.name(), chat.id());

      InMemoryPlatform memchat = InMemoryPlatform.builder().name("memchat").channels("lobby").build();
      Identity bob = memchat.user("bob", "Bob");

      Relay relay = Relay.builder()
          .connector(TelegramConnector.builder().id("tg").token(BOT_TOKEN).baseUrl(sandbox.baseUrl("telegram"))
              .build())
          .connector(InMemoryConnector.builder().id("mem").platform(memchat).build())
          .bridge("coop", b -> b.channel("tg", chat.id()).channel("mem", "lobby"))
          .build();
      relay.events().subscribe(events::add);
      relay.start().block();

      say("%n1. Ada writes in the Telegram group: Hello from <b>Telegram</b>");
      telegram.post(new Post(chat.id(), ada.id(), "Hello from <b>Telegram</b>", null, null, null)).block();
      awaitDelivered();
      List<PlatformMessage> inLobby = memchat.history("lobby");
      say("   memchat#lobby shows: %s", inLobby.get(inLobby.size() - 1).plainText());

      say("%n2. Bob answers on memchat");
      memchat.post("lobby", bob, "Hi Ada, greetings from memchat");
      awaitDelivered();
      List<HistoryEntry> history = telegram.history(chat.id()).collectList().block();
      HistoryEntry last = history.get(history.size() - 1);
      say("   the Telegram group shows, from %s: %s", last.author().shownName(), last.text());

      relay.stop().block();
      say("%nRelay stopped.");
    }
  }

  private void awaitDelivered() {
    try {
      while (true) {
        RelayEvent event = events.poll(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
          throw new IllegalStateException("waited 20 s for a delivery in vain");
        }
        if (event instanceof DeliveryFailed failed) {
          throw new IllegalStateException("a delivery failed: " + failed);
        }
        if (event instanceof Delivered) {
          return;
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
