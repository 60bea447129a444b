package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events API delivery for one app: every event is POSTed to the app's request URL as JSON, signed
 * with {@code X-Slack-Signature} and {@code X-Slack-Request-Timestamp}. A request that does not get
 * a 2xx answer within the ack timeout is retried after the configured delays with {@code
 * X-Slack-Retry-Num} and {@code X-Slack-Retry-Reason} ({@code http_timeout}, {@code http_error},
 * {@code connection_failed}), unless the answer carried {@code X-Slack-No-Retry: 1}. Events are
 * sent concurrently, as Slack does, so a retried event does not hold back later ones. Paused while
 * the emulator's server is down.
 */
final class EventsPusher {
  private static final Logger log = LoggerFactory.getLogger(EventsPusher.class);
  static final String RETRY_NUM = "X-Slack-Retry-Num";
  static final String RETRY_REASON = "X-Slack-Retry-Reason";
  static final String NO_RETRY = "X-Slack-No-Retry";
  private static final String USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)";

  private static final class Pending {
    final EventCallback event;
    int attempt;
    String reason = "";

    Pending(EventCallback event) {
      this.event = event;
    }
  }

  private record Answer(int status, boolean noRetry, String body) {}

  private final SlackApp app;
  private final SlackState state;
  private final HttpClient client;
  private final Scheduler scheduler;
  private final DeliverySettings settings;
  private final List<Pending> waiting = new ArrayList<>();
  private final Map<Pending, Disposable> running = new HashMap<>();
  private boolean paused = true;

  EventsPusher(SlackApp app, SlackState state, HttpClient client, Scheduler scheduler, DeliverySettings settings) {
    this.app = app;
    this.state = state;
    this.client = client;
    this.scheduler = scheduler;
    this.settings = settings;
  }

  synchronized void enqueue(EventCallback event) {
    Pending p = new Pending(event);
    if (paused) {
      waiting.add(p);
    } else {
      attempt(p);
    }
  }

  /** Events not answered with a 2xx yet: waiting for the server, in a request, or waiting for a retry. */
  synchronized int undelivered() {
    return waiting.size() + running.size();
  }

  synchronized void pause() {
    paused = true;
    running.forEach((p, d) -> {
      d.dispose();
      waiting.add(p);
    });
    running.clear();
  }

  synchronized void resume() {
    paused = false;
    List<Pending> again = List.copyOf(waiting);
    waiting.clear();
    again.forEach(this::attempt);
  }

  private void attempt(Pending p) {
    String url = requestUrl();
    if (url == null || app.signingSecret == null) {
      synchronized (this) {
        running.remove(p);
      }
      log.debug("app {} has no request URL any more; event {} is dropped, as on Slack", app.appId, p.event.eventId());
      return;
    }
    long timestamp = scheduler.now(TimeUnit.SECONDS);
    String body = p.event.payload().toString();
    String signature = Signature.sign(app.signingSecret, timestamp, body);
    // Registered before subscribing, so that an answer arriving at once finds and removes it.
    Disposable.Swap d = Disposables.swap();
    synchronized (this) {
      running.put(p, d);
    }
    d.update(client
        .headers(h -> {
          h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
          h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
          h.set(Signature.TIMESTAMP_HEADER, Long.toString(timestamp));
          h.set(Signature.SIGNATURE_HEADER, signature);
          if (p.attempt > 0) {
            h.set(RETRY_NUM, Integer.toString(p.attempt));
            h.set(RETRY_REASON, p.reason);
          }
        })
        .post()
        .uri(url)
        .send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, io.netty.buffer.ByteBufAllocator.DEFAULT))
        .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
            .map(text -> new Answer(res.status().code(), "1".equals(res.responseHeaders().get(NO_RETRY)), text)))
        .timeout(settings.ackTimeout(), scheduler)
        .subscribe(answer -> answered(p, answer), error -> failed(p, error instanceof TimeoutException ? "http_timeout" : "connection_failed")));
  }

  private @Nullable String requestUrl() {
    return app.socketMode ? null : app.requestUrl;
  }

  private synchronized void answered(Pending p, Answer answer) {
    if (running.remove(p) == null) {
      return;
    }
    if (answer.status() >= 200 && answer.status() < 300) {
      return;
    }
    if (answer.noRetry()) {
      log.debug("the request URL of app {} answered {} with X-Slack-No-Retry; event {} is dropped", app.appId, answer.status(), p.event.eventId());
      return;
    }
    retryLater(p, "http_error");
  }

  private synchronized void failed(Pending p, String reason) {
    if (running.remove(p) != null) {
      retryLater(p, reason);
    }
  }

  private void retryLater(Pending p, String reason) {
    List<Duration> delays = settings.httpRetryDelays();
    if (p.attempt >= delays.size()) {
      log.info("Slack gave up on event {} for app {} after {} failed requests ({})", p.event.eventId(), app.appId, p.attempt + 1, reason);
      return;
    }
    Duration delay = delays.get(p.attempt);
    p.attempt++;
    p.reason = reason;
    Disposable.Swap d = Disposables.swap();
    running.put(p, d);
    d.update(Mono.delay(delay, scheduler).subscribe(t -> {
      synchronized (this) {
        // Stays in running until attempt() replaces its entry, so it never looks delivered meanwhile.
        if (!running.containsKey(p) || paused) {
          return;
        }
      }
      attempt(p);
    }));
  }

  /**
   * Sends Slack's {@code url_verification} challenge to {@code url}, signed, and completes if the
   * endpoint answers 2xx with the challenge (as plain text, {@code challenge=} form or JSON); fails
   * with {@link SandboxException} otherwise, as Slack refuses to save such a URL.
   */
  Mono<Void> verify(String url) {
    return Mono.defer(() -> {
      if (app.signingSecret == null) {
        return Mono.error(SandboxException.invalid("app " + app.name + " has no signing secret; set one on the builder to use the Events API"));
      }
      String challenge = SlackState.randomToken(48);
      ObjectNode payload = SandboxJson.mapper().createObjectNode();
      payload.put("token", app.verificationToken);
      payload.put("challenge", challenge);
      payload.put("type", "url_verification");
      String body = payload.toString();
      long timestamp = scheduler.now(TimeUnit.SECONDS);
      String signature = Signature.sign(app.signingSecret, timestamp, body);
      return client
          .headers(h -> {
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
            h.set(Signature.TIMESTAMP_HEADER, Long.toString(timestamp));
            h.set(Signature.SIGNATURE_HEADER, signature);
          })
          .post()
          .uri(url)
          .send(ByteBufFlux.fromString(Mono.just(body)))
          .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
              .map(text -> new Answer(res.status().code(), false, text)))
          .timeout(settings.ackTimeout(), scheduler)
          .onErrorMap(e -> !(e instanceof SandboxException),
              e -> SandboxException.invalid("Your URL didn't respond with the value of the challenge parameter: " + url + " is unreachable (" + e + ")"))
          .flatMap(answer -> {
            if (answer.status() / 100 == 2 && echoes(answer.body(), challenge)) {
              return Mono.<Void>empty();
            }
            return Mono.error(SandboxException.invalid("Your URL didn't respond with the value of the challenge parameter: "
                + url + " answered HTTP " + answer.status() + " " + HttpResponseStatus.valueOf(answer.status()).reasonPhrase()));
          });
    });
  }

  private static boolean echoes(String body, String challenge) {
    String trimmed = body.trim();
    if (trimmed.equals(challenge) || trimmed.equals("challenge=" + challenge)) {
      return true;
    }
    try {
      JsonNode node = SandboxJson.mapper().readTree(trimmed);
      return node != null && challenge.equals(node.path("challenge").asString(null));
    } catch (RuntimeException notJson) {
      return false;
    }
  }
}
