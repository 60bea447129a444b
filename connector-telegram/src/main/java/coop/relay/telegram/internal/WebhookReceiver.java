package coop.relay.telegram.internal;

import coop.relay.api.event.InboundEvent;
import coop.relay.spi.ConnectorContext;
import coop.relay.support.BoundedMap;
import coop.relay.support.RetryAttempt;
import coop.relay.support.RetryPolicy;
import coop.relay.support.WebhookListener;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import coop.relay.telegram.TelegramWebhookHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * Receives updates through a webhook: registers it with {@code setWebhook} (secret token, the update
 * types the relay needs), answers Telegram's requests as {@link TelegramWebhookHandler} describes,
 * and checks with {@code getWebhookInfo} every so often that Telegram is reachable and still has
 * this webhook. Each {@code update_id} is relayed once: the ones seen recently are remembered, and
 * with one connection (Telegram then sends in order) everything below the stored offset is old.
 */
final class WebhookReceiver implements TelegramWebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

  private final EngineConfig config;
  private final EngineConfig.Webhook webhook;
  private final BotApiClient api;
  private final UpdateDecoder decoder;
  private final ChatMigrations migrations;
  private final Mono<Long> identify;
  private final AtomicReference<@Nullable Session> session = new AtomicReference<>();

  WebhookReceiver(EngineConfig config, EngineConfig.Webhook webhook, BotApiClient api, UpdateDecoder decoder,
      ChatMigrations migrations, Mono<Long> identify) {
    this.config = config;
    this.webhook = webhook;
    this.api = api;
    this.decoder = decoder;
    this.migrations = migrations;
    this.identify = identify;
  }

  /** What one connection receives into. */
  private static final class Session {
    final long botId;
    final UpdateCursor cursor;
    final UnaryOperator<String> channels;
    final BoundedMap<Long, Boolean> recent = new BoundedMap<>(10_000);
    final Sinks.Many<InboundEvent> events = Sinks.many().unicast().onBackpressureBuffer();

    Session(long botId, UpdateCursor cursor, UnaryOperator<String> channels) {
      this.botId = botId;
      this.cursor = cursor;
      this.channels = channels;
    }
  }

  Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      ConnectionStates states = new ConnectionStates(config.id());
      migrations.onMove(states::notice);
      RetryPolicy retry = RetryPolicy.builder()
          .backoff(config.backoff())
          .retryForever()
          .scheduler(config.scheduler())
          .onRetry(states::failed)
          .build();
      AtomicReference<@Nullable Session> mine = new AtomicReference<>();
      AtomicReference<@Nullable Disposable> mounted = new AtomicReference<>();
      Mono<InboundEvent> setUp = identify.retryWhen(retry.toRetry()).flatMap(botId -> {
        Session created = new Session(botId, new UpdateCursor(context.cursors(), config.id()),
            chat -> migrations.channelFor(chat, context.channels()));
        mine.set(created);
        session.set(created); // ready before Telegram learns the URL, so the first push is not refused
        WebhookListener listener = webhook.listener();
        Mono<Void> listen = Mono.empty();
        if (listener != null) {
          mounted.set(listener.mount(webhook.path(), this));
          listen = listener.start();
        }
        return listen.then(setWebhook().retryWhen(retry.toRetry())).thenReturn(states.connected(null));
      });
      Flux<InboundEvent> received = Flux.defer(() -> {
        Session s = mine.get();
        return s == null ? Flux.empty() : s.events.asFlux();
      });
      Flux<InboundEvent> health = Flux.interval(webhook.healthCheckInterval(), config.scheduler())
          .onBackpressureDrop()
          .concatMap(tick -> check(states), 1);
      Flux<InboundEvent> main = Flux.concat(setUp.flux(), Flux.merge(received, health));
      return Flux.merge(states.side(), main).doFinally(signal -> {
        Session s = mine.get();
        if (s != null) {
          session.compareAndSet(s, null);
        }
        Disposable d = mounted.getAndSet(null);
        if (d != null) {
          d.dispose();
        }
      });
    });
  }

  private Mono<Void> setWebhook() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("url", webhook.url());
    p.put("max_connections", webhook.maxConnections());
    p.put("allowed_updates", LongPollReceiver.ALLOWED_UPDATES);
    p.put("secret_token", webhook.secretToken().reveal());
    return api.call("setWebhook", p, "setWebhook").then();
  }

  /** One health check; a failure is reported and retried by the next check, never ends the stream. */
  private Mono<InboundEvent> check(ConnectionStates states) {
    return api.call("getWebhookInfo", Map.of(), "getWebhookInfo")
        .flatMap(info -> {
          if (!webhook.url().equals(info.path("url").asString(""))) {
            LOG.warn("Telegram connector '{}': the webhook was changed or removed elsewhere; setting it again",
                config.id());
            return setWebhook().then(states.recovered());
          }
          logLastError(info);
          return states.recovered();
        })
        .onErrorResume(failure -> {
          if (!RetryPolicy.isRetryableByDefault(failure)) {
            return Mono.error(failure);
          }
          states.failed(new RetryAttempt(1, webhook.healthCheckInterval(), failure));
          return Mono.empty();
        });
  }

  private volatile long lastErrorDate;

  private void logLastError(JsonNode info) {
    long date = info.path("last_error_date").asLong(0);
    if (date > lastErrorDate) {
      lastErrorDate = date;
      LOG.warn("Telegram connector '{}': Telegram could not deliver to the webhook: {}", config.id(),
          info.path("last_error_message").asString("(no reason given)"));
    }
  }

  @Override
  public Mono<WebhookResponse> handle(WebhookRequest request) {
    return Mono.fromCallable(() -> answer(request));
  }

  private WebhookResponse answer(WebhookRequest request) {
    if (!webhook.secretToken().matches(request.header(SECRET_TOKEN_HEADER))) {
      LOG.warn("Telegram connector '{}': refused a webhook request without the right secret token{}", config.id(),
          request.remoteAddress() == null ? "" : " from " + request.remoteAddress().getAddress());
      return WebhookResponse.status(401);
    }
    if (!request.method().equals("POST")) {
      return WebhookResponse.status(405);
    }
    Session current = session.get();
    if (current == null) {
      return WebhookResponse.status(503); // Telegram keeps the update and sends it again later
    }
    Wire.Update update = decoder.readUpdate(request.body());
    if (update == null) {
      return WebhookResponse.ok(); // malformed: logged; sending it again would not help
    }
    synchronized (current) {
      long id = update.updateId();
      boolean ordered = webhook.maxConnections() == 1;
      if (current.recent.containsKey(id) || (ordered && current.cursor.handled(id))) {
        return WebhookResponse.ok(); // a retry of an update already relayed
      }
      UpdateDecoder.Decoded decoded = decoder.decode(update, current.botId, current.channels);
      current.recent.put(id, Boolean.TRUE);
      if (decoded != null && decoded.move() != null) {
        migrations.moved(Long.toString(decoded.move().from()), Long.toString(decoded.move().to()));
      }
      current.cursor.advancePast(id); // saved before the events are emitted, never after
      if (decoded != null) {
        for (InboundEvent event : decoded.events()) {
          current.events.tryEmitNext(event);
        }
      }
    }
    return WebhookResponse.ok();
  }

  @Override
  public String toString() {
    return "TelegramWebhookHandler[" + config.id() + "]";
  }
}
