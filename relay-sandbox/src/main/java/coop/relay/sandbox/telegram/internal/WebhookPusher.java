package coop.relay.sandbox.telegram.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * Pushes one bot's updates to its webhook, one at a time and in order, as HTTP POSTs with the
 * {@code X-Telegram-Bot-Api-Secret-Token} header. A push is done when the webhook answers 2xx; any
 * other answer or a connection failure is recorded (getWebhookInfo's last_error_*) and retried after
 * a delay that doubles up to a minute. Paused while the emulator's server is down.
 */
final class WebhookPusher {
  private static final Logger log = LoggerFactory.getLogger(WebhookPusher.class);
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  private static final Duration MAX_DELAY = Duration.ofSeconds(60);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TelegramState state;
  private final BotAccount bot;
  private final HttpClient client;
  private final Scheduler scheduler;
  private final Duration firstRetry;
  private boolean busy;
  private boolean paused = true;
  private int failures;
  private @Nullable Disposable inFlight;

  WebhookPusher(TelegramState state, BotAccount bot, HttpClient client, Scheduler scheduler, Duration firstRetry) {
    this.state = state;
    this.bot = bot;
    this.client = client;
    this.scheduler = scheduler;
    this.firstRetry = firstRetry;
  }

  /** Starts pushing if there is something to push and no push is under way. */
  void kick() {
    synchronized (this) {
      if (busy || paused) {
        return;
      }
      busy = true;
    }
    pushNext();
  }

  synchronized void pause() {
    paused = true;
    busy = false;
    if (inFlight != null) {
      inFlight.dispose();
      inFlight = null;
    }
  }

  void resume() {
    synchronized (this) {
      paused = false;
      failures = 0;
    }
    kick();
  }

  private void pushNext() {
    TelegramState.Push push = state.nextPush(bot);
    synchronized (this) {
      if (push == null || paused) {
        busy = false;
        return;
      }
    }
    Disposable d =
        client
            .headers(h -> {
              h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
              if (push.webhook().secretToken() != null) {
                h.set(SECRET_HEADER, push.webhook().secretToken());
              }
            })
            .post()
            .uri(push.webhook().url())
            .send(ByteBufFlux.fromString(Mono.just(push.body())))
            .responseSingle((res, body) -> body.asString().defaultIfEmpty("").thenReturn(res.status()))
            .timeout(TIMEOUT, scheduler)
            .subscribe(
                status -> {
                  if (status.code() >= 200 && status.code() < 300) {
                    state.pushed(bot, push.updateId());
                    synchronized (this) {
                      failures = 0;
                    }
                    pushNext();
                  } else {
                    retry("Wrong response from the webhook: " + status.code() + " " + status.reasonPhrase());
                  }
                },
                error -> retry(describe(error)));
    synchronized (this) {
      inFlight = d;
    }
  }

  private void retry(String why) {
    state.pushFailed(bot, why);
    Duration delay;
    synchronized (this) {
      if (paused) {
        busy = false;
        return;
      }
      failures++;
      delay = firstRetry.multipliedBy(1L << Math.min(failures - 1, 16));
      if (delay.compareTo(MAX_DELAY) > 0) {
        delay = MAX_DELAY;
      }
    }
    log.debug("webhook push for bot {} failed ({}); retrying in {}", bot.user.id(), why, delay);
    Disposable d = Mono.delay(delay, scheduler).subscribe(t -> pushNext());
    synchronized (this) {
      inFlight = d;
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    if (error instanceof java.net.ConnectException || (message != null && message.contains("Connection refused"))) {
      return "Connection refused";
    }
    if (error instanceof java.util.concurrent.TimeoutException) {
      return "Read timeout expired";
    }
    return message == null ? error.getClass().getSimpleName() : message;
  }
}
