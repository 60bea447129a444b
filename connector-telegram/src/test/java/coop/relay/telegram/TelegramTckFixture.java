package coop.relay.telegram;

import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.support.WebhookListener;
import coop.relay.spi.Connector;
import coop.relay.testkit.tck.SeenMessage;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The TCK's view of Telegram: a fresh emulator per test with a supergroup (reply threads there are
 * Telegram's threads), a person posting Bot API HTML through the control API, outages by stopping
 * the emulator's server, and malformed updates slipped into a getUpdates answer (long poll) or
 * posted to the webhook with the right secret (webhook mode). Closing it fails the test when a
 * request the connector sent did not conform to the Bot API spec.
 */
final class TelegramTckFixture implements TckFixture {
  private static final String WEBHOOK_SECRET = "tck-webhook-secret";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TelegramSandbox telegram = new TelegramSandbox();
  private final String chat = telegram.newChat("TCK", "supergroup");
  private final @Nullable WebhookListener listener;
  private final AtomicReference<@Nullable String> malformedFor = new AtomicReference<>();

  private TelegramTckFixture(boolean webhook) {
    if (webhook) {
      listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
      listener.start().block(Duration.ofSeconds(5));
    } else {
      listener = null;
    }
  }

  static TelegramTckFixture longPoll() {
    return new TelegramTckFixture(false);
  }

  static TelegramTckFixture webhook() {
    return new TelegramTckFixture(true);
  }

  @Override
  public Connector createConnector() {
    TelegramConnector.Builder builder = telegram.connector(this::injectMalformed);
    if (listener != null) {
      builder.webhook(TelegramWebhook.builder()
          .url(webhookUrl())
          .secretToken(WEBHOOK_SECRET)
          .listener(listener, "/telegram")
          .healthCheckInterval(Duration.ofMillis(200))
          .build());
    }
    return builder.build();
  }

  private String webhookUrl() {
    return "http://127.0.0.1:" + Objects.requireNonNull(listener).port() + "/telegram";
  }

  @Override
  public String channelId() {
    return chat;
  }

  @Override
  public String postAsUser(String channelId, RichText text) {
    return post(Post.of(channelId, telegram.person.id(), TelegramSandbox.html(text)));
  }

  @Override
  public String replyAsUser(String channelId, String targetId, RichText text) {
    return post(Post.of(channelId, telegram.person.id(), TelegramSandbox.html(text)).withReplyTo(targetId));
  }

  @Override
  public String postInThreadAsUser(String channelId, String rootId, RichText text) {
    return post(Post.of(channelId, telegram.person.id(), TelegramSandbox.html(text)).withThread(rootId));
  }

  private String post(Post post) {
    return Objects.requireNonNull(telegram.control.post(post).block()).messageId();
  }

  @Override
  public void editAsUser(String channelId, String messageId, RichText text) {
    telegram.control.edit(channelId, messageId, telegram.person.id(), TelegramSandbox.html(text)).block();
  }

  @Override
  public void deleteAsUser(String channelId, String messageId) {
    telegram.control.delete(channelId, messageId, telegram.person.id()).block();
  }

  @Override
  public void reactAsUser(String channelId, String messageId, Emoji emoji) {
    telegram.control.react(channelId, messageId, telegram.person.id(), Objects.requireNonNull(emoji.unicode())).block();
  }

  @Override
  public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
    telegram.control.unreact(channelId, messageId, telegram.person.id(), Objects.requireNonNull(emoji.unicode())).block();
  }

  @Override
  public List<SeenMessage> history(String channelId) {
    List<HistoryEntry> entries = telegram.control.history(channelId).collectList().block();
    return Objects.requireNonNull(entries).stream()
        .map(e -> new SeenMessage(e.messageId(), e.text(), e.author().kind() == coop.relay.sandbox.Author.Kind.BOT,
            e.replyTo(), e.threadId(), e.reactions().stream().map(SandboxReaction::emoji).toList(), e.deleted()))
        .toList();
  }

  @Override
  public void disconnect() {
    telegram.sandbox.stop("telegram").block(Duration.ofSeconds(10));
  }

  @Override
  public void reconnect() {
    telegram.sandbox.start("telegram").block(Duration.ofSeconds(10));
  }

  @Override
  public void injectMalformedPayload(String channelId) {
    if (listener == null) {
      malformedFor.set(channelId); // slipped into the next getUpdates answer
      return;
    }
    String body = "{\"update_id\":\"not a number\",\"message\":{\"message_id\":\"x\",\"chat\":{\"id\":" + channelId + "}}}";
    try {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(webhookUrl()))
              .header(TelegramWebhookHandler.SECRET_TOKEN_HEADER, WEBHOOK_SECRET)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new AssertionError("the webhook answered a malformed update with " + answer.statusCode()
            + "; it should take it (200) and skip it");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot reach the connector's webhook", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Puts a malformed update first into the next getUpdates answer once {@link #injectMalformedPayload} asked for it. */
  private Response injectMalformed(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    String channel = malformedFor.get();
    if (channel == null || !chain.request().url().pathSegments().contains("getUpdates") || !response.isSuccessful()
        || !malformedFor.compareAndSet(channel, null)) {
      return response;
    }
    JsonNode answer = JSON.readTree(response.body().string());
    ArrayNode result = (ArrayNode) answer.get("result");
    ObjectNode bad = JSON.createObjectNode();
    bad.put("update_id", "not a number");
    bad.putObject("message").put("message_id", "x").putObject("chat").put("id", Long.parseLong(channel));
    result.insert(0, bad);
    return response.newBuilder()
        .body(ResponseBody.create(answer.toString(), MediaType.get("application/json")))
        .build();
  }

  @Override
  public String unknownChannelId() {
    return "-1009999999999";
  }

  @Override
  public Set<TckFeature> features() {
    // The Bot API does not tell bots about deleted messages.
    return EnumSet.complementOf(EnumSet.of(TckFeature.USER_DELETES));
  }

  @Override
  public void close() {
    try {
      if (listener != null) {
        listener.stop().block(Duration.ofSeconds(5));
      }
      telegram.close();
    } finally {
      telegram.conformance.assertConforms();
    }
  }
}
