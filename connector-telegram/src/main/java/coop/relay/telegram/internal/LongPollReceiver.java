package coop.relay.telegram.internal;

import coop.relay.api.event.InboundEvent;
import coop.relay.spi.ConnectorContext;
import coop.relay.support.Json;
import coop.relay.support.LongPoll;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Receives updates by long-polling {@code getUpdates}: {@code timeout} > 0, the update types the
 * relay needs, {@code offset} from the cursor store. A poll starts only after every event of the
 * previous answer was emitted, because the next offset confirms (and makes Telegram forget) them.
 * Failed polls are retried with backoff, reporting {@code RECONNECTING}, and {@code CONNECTED}
 * again once a poll succeeds; rejected credentials and 409 conflicts end the stream.
 */
final class LongPollReceiver {
  /** What the relay handles; message_reaction is never sent unless asked for. */
  static final List<String> ALLOWED_UPDATES =
      List.of("message", "edited_message", "channel_post", "edited_channel_post", "message_reaction");

  private final EngineConfig config;
  private final BotApiClient api;
  private final ReactiveHttpClient pollHttp;
  private final UpdateDecoder decoder;
  private final ChatMigrations migrations;
  private final Mono<Long> identify;

  LongPollReceiver(EngineConfig config, BotApiClient api, UpdateDecoder decoder, ChatMigrations migrations,
      Mono<Long> identify) {
    this.config = config;
    this.api = api;
    // The server holds a poll for `timeout` seconds; the client waits a little longer before giving up.
    this.pollHttp = api.http().withReadTimeout(config.pollTimeout().plus(Duration.ofSeconds(15)));
    this.decoder = decoder;
    this.migrations = migrations;
    this.identify = identify;
  }

  Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      ConnectionStates states = new ConnectionStates(config.id());
      migrations.onMove(states::notice);
      UpdateCursor cursor = new UpdateCursor(context.cursors(), config.id());
      RetryPolicy retry = RetryPolicy.builder()
          .backoff(config.backoff())
          .retryForever()
          .scheduler(config.scheduler())
          .onRetry(states::failed)
          .build();
      Flux<InboundEvent> main = identify.retryWhen(retry.toRetry()).flatMapMany(botId -> Flux.concat(
          Mono.just(states.connected(null)),
          LongPoll.pages(cursor.offset(), offset -> poll(offset, botId, context), retry)
              .concatMap(page -> states.recovered().concatWith(emit(page, cursor)), 0)));
      return Flux.merge(states.side(), main);
    });
  }

  private Mono<LongPoll.Page<Long, UpdateDecoder.Decoded>> poll(long offset, long botId, ConnectorContext context) {
    return Mono.defer(() -> {
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (offset > 0) {
        parameters.put("offset", offset);
      }
      parameters.put("limit", 100);
      parameters.put("timeout", Math.max(1, config.pollTimeout().toSeconds()));
      parameters.put("allowed_updates", ALLOWED_UPDATES);
      return api.raw(pollHttp, "getUpdates", Json.requestBody(parameters), "getUpdates").map(response -> {
        UpdateDecoder.Batch batch = decoder.decodeBatch(response.body(), botId,
            chat -> migrations.channelFor(chat, context.channels()));
        return new LongPoll.Page<>(batch.updates(), Math.max(offset, batch.nextOffset()));
      });
    });
  }

  private Flux<InboundEvent> emit(LongPoll.Page<Long, UpdateDecoder.Decoded> page, UpdateCursor cursor) {
    return Flux.fromIterable(page.items())
        .concatMap(update -> Flux.defer(() -> {
          if (update.move() != null) {
            migrations.moved(Long.toString(update.move().from()), Long.toString(update.move().to()));
          }
          cursor.advancePast(update.updateId()); // saved before the events are emitted, never after
          return Flux.fromIterable(update.events());
        }))
        .concatWith(Mono.fromRunnable(() -> {
          // Malformed updates at the end of a page move the offset too, or they would come back forever.
          if (page.next() > 0) {
            cursor.advancePast(page.next() - 1);
          }
        }));
  }
}
