package coop.relay.sandbox.telegram.internal;

import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Wires the Telegram emulator's parts together: state, Bot API routes, control API, webhook pushers.
 * {@code coop.relay.sandbox.telegram.TelegramEmulator} is its public face.
 */
public final class TelegramEngine {

  /** A bot the emulator serves, as configured on the builder. */
  public record BotSpec(String token, String username, String firstName) {
    @Override
    public String toString() {
      // The token is a secret, even a sandbox one.
      return "BotSpec[@" + username + "]";
    }
  }

  /** The builder's options. */
  public record Options(
      Scheduler scheduler,
      boolean rateLimits,
      long uploadLimit,
      long photoLimit,
      long downloadLimit,
      Duration webhookRetry) {}

  private final TelegramState state;
  private final FaultPlan faults = new FaultPlan();
  private final TelegramControl control;
  private final BotApi api;
  private final Map<BotAccount, WebhookPusher> pushers = new HashMap<>();

  public TelegramEngine(Iterable<BotSpec> bots, Options options) {
    this.state = new TelegramState(
        new TelegramState.Settings(options.rateLimits(), options.uploadLimit(), options.photoLimit(), options.downloadLimit()),
        options.scheduler());
    HttpClient client = HttpClient.create();
    for (BotSpec spec : bots) {
      BotAccount bot = state.addBot(spec.token(), spec.username(), spec.firstName());
      pushers.put(bot, new WebhookPusher(state, bot, client, options.scheduler(), options.webhookRetry()));
    }
    state.onUpdate(bot -> {
      WebhookPusher pusher = pushers.get(bot);
      if (pusher != null && bot.webhook != null) {
        pusher.kick();
      }
    });
    this.control = new TelegramControl(state, faults);
    this.api = new BotApi(state, faults, options.scheduler());
  }

  public SandboxControl control() {
    return control;
  }

  public void routes(HttpServerRoutes routes) {
    routes.post(SandboxControl.HTTP_PREFIX + "/telegram/migrate", (req, out) -> {
      HttpServerResponse res = out.header("Access-Control-Allow-Origin", "*");
      return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("{}")
            .flatMap(body -> {
              JsonNode node = SandboxJson.mapper().readTree(body);
              return migrate(node.path("channelId").asString(""), node.path("userId").asString(""));
            })
            .flatMap(channel -> res.status(200)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(SandboxJson.mapper().writeValueAsString(channel)))
                .then())
            .onErrorResume(e -> {
              int status = e instanceof SandboxException se ? se.reason().status() : 400;
              ObjectNode error = SandboxJson.mapper().createObjectNode();
              error.put("error", e instanceof SandboxException se ? se.reason().name() : "INVALID");
              error.put("message", String.valueOf(e.getMessage()));
              return res.status(status)
                  .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                  .sendString(Mono.just(error.toString()))
                  .then();
            });
    });
    api.mount(routes);
  }

  public void started(String baseUrl) {
    state.baseUrl(baseUrl);
    pushers.values().forEach(WebhookPusher::resume);
  }

  public Mono<Void> stopping() {
    return Mono.fromRunnable(() -> pushers.values().forEach(WebhookPusher::pause));
  }

  public Mono<SandboxChannel> migrate(String chatId, String userId) {
    return control.migrate(chatId, userId);
  }
}
