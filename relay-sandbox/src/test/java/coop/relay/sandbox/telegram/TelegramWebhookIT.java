package coop.relay.sandbox.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Webhook mode: pushes with the secret header, retries, and getUpdates refused meanwhile. */
class TelegramWebhookIT {
  private static final String TOKEN = "777000:webhook-secret-token";

  /** One request the test's webhook receiver got. */
  record Received(String secretHeader, String contentType, JsonNode update) {}

  private final BotApiSpec spec = BotApiSpec.load();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private HttpServer receiver;
  private RelaySandbox sandbox;
  private SandboxControl control;
  private BotClient bot;
  private SandboxUser alice;
  private SandboxChannel group;
  private String webhookUrl;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(
          exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"),
          exchange.getRequestHeaders().getFirst("Content-Type"),
          BotClient.JSON.readTree(new String(body, StandardCharsets.UTF_8))));
      int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    webhookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    sandbox = RelaySandbox.builder()
        .emulator(TelegramEmulator.builder().bot(TOKEN, "hook_bot").webhookRetry(Duration.ofMillis(50)).build())
        .build();
    sandbox.start().block();
    control = sandbox.control("telegram");
    bot = new BotClient(sandbox.baseUrl("telegram"), TOKEN);
    alice = control.createUser(NewUser.named("Alice")).block();
    group = control.createChannel(NewChannel.named("Hooked")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    receiver.stop(0);
  }

  @Test
  void updatesArePushedWithTheSecretHeaderAndRetriedUntilAccepted() {
    failuresLeft.set(1);
    assertThat(bot.call("setWebhook", Map.of("url", webhookUrl, "secret_token", "s3cr3t_-token")).result().asBoolean()).isTrue();

    control.post(Post.of(group.id(), alice.id(), "first")).block();
    control.post(Post.of(group.id(), alice.id(), "second")).block();

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
    assertThat(received).allSatisfy(r -> {
      assertThat(r.secretHeader()).isEqualTo("s3cr3t_-token");
      assertThat(r.contentType()).startsWith("application/json");
      assertThat(spec.check("Update", r.update())).isEmpty();
    });
    long firstId = received.get(0).update().get("update_id").asLong();
    assertThat(received.get(1).update().get("update_id").asLong()).as("the refused push comes again").isEqualTo(firstId);
    assertThat(received.get(2).update().get("update_id").asLong()).isEqualTo(firstId + 1);
    assertThat(received.get(2).update().get("message").get("text").asString()).isEqualTo("second");

    await().atMost(Duration.ofSeconds(5))
        .until(() -> bot.call("getWebhookInfo", Map.of()).result().get("pending_update_count").asInt() == 0);
    JsonNode info = bot.call("getWebhookInfo", Map.of()).result();
    assertThat(info.get("url").asString()).isEqualTo(webhookUrl);
    assertThat(info.get("last_error_message").asString()).isEqualTo("Wrong response from the webhook: 500 Internal Server Error");
    assertThat(info.has("last_error_date")).isTrue();
  }

  @Test
  void getUpdatesIsRefusedWhileAWebhookIsSet() {
    bot.call("setWebhook", Map.of("url", webhookUrl));
    BotClient.Response conflict = bot.call("getUpdates", Map.of());
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.description())
        .isEqualTo("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");

    assertThat(bot.call("deleteWebhook", Map.of()).result().asBoolean()).isTrue();
    assertThat(bot.call("getWebhookInfo", Map.of()).result().get("url").asString()).isEmpty();
    control.post(Post.of(group.id(), alice.id(), "polled again")).block();
    assertThat(bot.call("getUpdates", Map.of()).result()).hasSize(1);
  }

  @Test
  void pendingUpdatesWaitForTheWebhookAndCanBeDropped() {
    control.post(Post.of(group.id(), alice.id(), "old news")).block();
    bot.call("setWebhook", Map.of("url", webhookUrl, "drop_pending_updates", true));
    control.post(Post.of(group.id(), alice.id(), "fresh")).block();

    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(received).singleElement()
        .satisfies(r -> assertThat(r.update().get("message").get("text").asString()).isEqualTo("fresh"));
    assertThat(received.get(0).secretHeader()).as("no secret set, no header").isNull();
  }

  @Test
  void pushesPauseWhileTheEmulatorIsDownAndCatchUpAfterwards() {
    bot.call("setWebhook", Map.of("url", webhookUrl, "secret_token", "t"));
    sandbox.stop("telegram").block();
    control.post(Post.of(group.id(), alice.id(), "posted during the outage")).block();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);

    sandbox.start("telegram").block();
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(received.get(0).update().get("message").get("text").asString()).isEqualTo("posted during the outage");
  }

  @Test
  void malformedWebhookSettingsAreRefused() {
    assertThat(bot.call("setWebhook", Map.of("url", "ftp://example.org/hook")).description())
        .isEqualTo("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    assertThat(bot.call("setWebhook", Map.of("url", webhookUrl, "secret_token", "has spaces")).description())
        .isEqualTo("Bad Request: secret token contains unallowed characters");
  }
}
