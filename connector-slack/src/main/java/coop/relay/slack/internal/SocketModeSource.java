package coop.relay.slack.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.spi.Backoff;
import coop.relay.support.CloseStatus;
import coop.relay.support.Json;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.WebSocketEvent;
import coop.relay.support.WebSocketSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Receives through Socket Mode: {@code apps.connections.open} with the app-level token, then a
 * WebSocket to the URL it returns.
 *
 * <ul>
 *   <li>Every envelope is acknowledged (its {@code envelope_id} sent back) as soon as it arrives,
 *       before the event is handled, well within Slack's 3 seconds.
 *   <li>A {@code disconnect} (Slack refreshes connections every few hours, and warns first) opens
 *       the next connection at once, while the old one stays open and keeps delivering until Slack
 *       closes it, or until a grace period after the new one said {@code hello}: nothing in flight is
 *       lost.
 *   <li>A connection that breaks or closes without such a warning is replaced after a backoff,
 *       which starts again after each {@code hello}. Envelopes Slack did not get an
 *       acknowledgement for arrive again on the next connection; the connector drops the repeats.
 *   <li>Bad tokens end the stream ({@link CredentialsRejectedException}), as does Slack saying that
 *       Socket Mode is off for the app ({@code link_disabled}, an {@link InvalidConfigurationException}).
 * </ul>
 */
final class SocketModeSource {
  private static final Logger LOG = LoggerFactory.getLogger(SocketModeSource.class);

  private final String connectorId;
  private final SlackWebApi api;
  private final ReactiveHttpClient http;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final Duration retireGrace;

  /**
   * @param retireGrace how long a connection Slack asked us to leave stays open after its successor
   *     said hello, for envelopes already on their way
   */
  SocketModeSource(String connectorId, SlackWebApi api, ReactiveHttpClient http, Backoff backoff,
      Scheduler scheduler, Duration retireGrace) {
    this.connectorId = connectorId;
    this.api = api;
    this.http = http;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.retireGrace = retireGrace;
  }

  /**
   * Connects and keeps connected. Emits {@link Inbound.Up} on each {@code hello},
   * {@link Inbound.Down} when a connection is lost or cannot be opened (then retries), and the
   * acknowledged {@code events_api} payloads. Never completes; fails only for bad credentials or a
   * disabled Socket Mode. Cancelling closes every connection.
   */
  Flux<Inbound> receive() {
    return Flux.defer(() -> {
      Session session = new Session();
      session.next(Duration.ZERO);
      return session.requests.asFlux().flatMap(session::connection, Integer.MAX_VALUE);
    });
  }

  /** The connections of one subscription. */
  private final class Session {
    final Sinks.Many<Duration> requests = Sinks.many().unicast().onBackpressureBuffer();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<@Nullable Connection> current = new AtomicReference<>();
    final AtomicInteger counter = new AtomicInteger();

    void next(Duration delay) {
      synchronized (requests) {
        requests.tryEmitNext(delay);
      }
    }

    Flux<Inbound> connection(Duration delay) {
      Connection connection = new Connection(counter.incrementAndGet());
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Flux<Inbound> flow = api.openSocketUrl()
          .flatMapMany(url -> http.webSocket(new Request.Builder().url(url).build(), CloseStatus.NORMAL))
          .takeUntilOther(connection.retired.asMono()
              .flatMap(grace -> Mono.delay(grace, scheduler))
              .doOnNext(tick -> connection.retiredOnPurpose.set(true)))
          .concatMap(event -> handle(event, connection));
      if (!delay.isZero()) {
        flow = flow.delaySubscription(delay, scheduler);
      }
      return flow
          .onErrorResume(e -> !isFatal(e), e -> {
            failure.set(e);
            return Flux.empty();
          })
          .concatWith(Flux.defer(() -> ended(connection, failure.get())));
    }

    private Flux<Inbound> handle(WebSocketEvent event, Connection connection) {
      if (event instanceof WebSocketEvent.Opened opened) {
        connection.sender = opened.sender();
        return Flux.empty();
      }
      if (event instanceof WebSocketEvent.Text text) {
        return frame(text.text(), connection);
      }
      if (event instanceof WebSocketEvent.Closing closing) {
        LOG.debug("{}: Socket Mode connection {} closing ({})", connectorId, connection.number, closing.status().code());
      }
      return Flux.empty();
    }

    private Flux<Inbound> frame(String text, Connection connection) {
      SocketFrame frame;
      try {
        frame = WireReader.readFrame(text.getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.warn("{}: skipping a Socket Mode frame that is not a JSON object ({} chars)", connectorId, text.length());
        return Flux.empty();
      }
      String envelopeId = frame.envelopeId();
      if (envelopeId != null) {
        return acknowledge(connection, envelopeId).thenMany(envelope(frame));
      }
      String type = frame.type() == null ? "" : frame.type();
      switch (type) {
        case "hello" -> {
          failures.set(0);
          Connection previous = current.getAndSet(connection);
          if (previous != null && previous != connection) {
            previous.retireAfter(retireGrace);
          }
          LOG.debug("{}: Socket Mode connection {} is up", connectorId, connection.number);
          return Flux.just(new Inbound.Up("Socket Mode"));
        }
        case "disconnect" -> {
          if ("link_disabled".equals(frame.reason())) {
            return Flux.error(new InvalidConfigurationException("Slack disabled Socket Mode for the app (link_disabled);"
                + " turn Socket Mode on in the app's settings, or use the Events API with a signing secret"));
          }
          if (connection.replaced.compareAndSet(false, true)) {
            LOG.debug("{}: Slack will close Socket Mode connection {} ({}); opening the next one", connectorId,
                connection.number, frame.reason());
            next(Duration.ZERO);
          }
          return Flux.empty();
        }
        default -> {
          LOG.debug("{}: ignoring a Socket Mode frame of type {}", connectorId, type);
          return Flux.empty();
        }
      }
    }

    private Flux<Inbound> envelope(SocketFrame frame) {
      Callback payload = frame.payload();
      if (!"events_api".equals(frame.type()) || payload == null) {
        LOG.debug("{}: acknowledged a Socket Mode envelope of type {} without relaying it", connectorId, frame.type());
        return Flux.empty();
      }
      return Flux.just(new Inbound.Payload(payload));
    }

    private Mono<Void> acknowledge(Connection connection, String envelopeId) {
      WebSocketSender sender = connection.sender;
      if (sender == null) {
        return Mono.empty();
      }
      String ack = Json.mapper().writeValueAsString(Map.of("envelope_id", envelopeId));
      return sender.send(ack).onErrorResume(e -> {
        // Slack sends the envelope again on the next connection; the repeat is dropped there.
        LOG.debug("{}: could not acknowledge an envelope on connection {}: {}", connectorId, connection.number,
            e.getMessage());
        return Mono.empty();
      });
    }

    private Flux<Inbound> ended(Connection connection, @Nullable Throwable failure) {
      current.compareAndSet(connection, null);
      if (connection.retiredOnPurpose.get() || connection.replaced.get()) {
        return Flux.empty();
      }
      connection.replaced.set(true);
      int attempt = failures.incrementAndGet();
      Duration wait = backoff.delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
      String reason = failure == null
          ? "the Socket Mode connection closed"
          : "the Socket Mode connection failed: " + failure.getMessage();
      LOG.info("{}: {}; reconnecting in {} ms", connectorId, reason, wait.toMillis());
      next(wait);
      return Flux.just(new Inbound.Down(reason));
    }
  }

  private static boolean isFatal(Throwable failure) {
    return failure instanceof CredentialsRejectedException || failure instanceof InvalidConfigurationException;
  }

  /** One WebSocket connection. */
  private final class Connection {
    final int number;
    final AtomicBoolean replaced = new AtomicBoolean();
    final AtomicBoolean retiredOnPurpose = new AtomicBoolean();
    /** Emits the grace period once a successor is up; the connection closes after it. */
    final Sinks.One<Duration> retired = Sinks.one();
    volatile @Nullable WebSocketSender sender;

    Connection(int number) {
      this.number = number;
    }

    void retireAfter(Duration grace) {
      retired.tryEmitValue(grace);
    }
  }
}
