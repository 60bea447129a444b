package coop.relay.sandbox.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Telegram's sending limits, answered with 429 and retry_after. The emulator's clock is virtual, so
 * the test decides exactly how much time passes between sends.
 */
class TelegramRateLimitIT {
  private static final String TOKEN = "424242:limits";

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private RelaySandbox sandbox;
  private SandboxControl control;
  private BotClient bot;

  @BeforeEach
  void start() {
    sandbox = RelaySandbox.builder()
        .emulator(TelegramEmulator.builder().bot(TOKEN, "limited_bot").scheduler(clock).build())
        .build();
    sandbox.start().block();
    control = sandbox.control("telegram");
    bot = new BotClient(sandbox.baseUrl("telegram"), TOKEN);
  }

  @AfterEach
  void stop() {
    sandbox.close();
    clock.dispose();
  }

  private BotClient.Response send(SandboxChannel chat) {
    return bot.call("sendMessage", Map.of("chat_id", chat.id(), "text", "x"));
  }

  @Test
  void aChatTakesShortBurstsThenOneMessageASecond() {
    SandboxChannel chat = control.createChannel(NewChannel.named("Busy")).block();
    for (int i = 0; i < 5; i++) {
      assertThat(send(chat).status()).isEqualTo(200);
    }
    BotClient.Response limited = send(chat);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.description()).isEqualTo("Too Many Requests: retry after 1");
    assertThat(limited.body().get("parameters").get("retry_after").asInt()).isEqualTo(1);

    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(send(chat).status()).isEqualTo(200);
    assertThat(send(chat).status()).isEqualTo(429);
  }

  @Test
  void aGroupTakesTwentyMessagesAMinute() {
    SandboxChannel chat = control.createChannel(NewChannel.named("Group")).block();
    for (int i = 0; i < 20; i++) {
      assertThat(send(chat).status()).as("message %d", i + 1).isEqualTo(200);
      clock.advanceTimeBy(Duration.ofSeconds(1));
    }
    BotClient.Response limited = send(chat);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body().get("parameters").get("retry_after").asInt()).isEqualTo(40);

    clock.advanceTimeBy(Duration.ofSeconds(40));
    assertThat(send(chat).status()).isEqualTo(200);
  }

  @Test
  void aBotSendsAboutThirtyMessagesASecondOverall() {
    List<SandboxChannel> chats = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      chats.add(control.createChannel(NewChannel.named("Chat " + i).ofType("channel")).block());
    }
    int sent = 0;
    for (SandboxChannel chat : chats.subList(0, 6)) {
      for (int i = 0; i < 5; i++) {
        assertThat(send(chat).status()).isEqualTo(200);
        sent++;
      }
    }
    assertThat(sent).isEqualTo(30);
    BotClient.Response limited = send(chats.get(6));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body().get("parameters").get("retry_after").asInt()).isEqualTo(1);
  }
}
