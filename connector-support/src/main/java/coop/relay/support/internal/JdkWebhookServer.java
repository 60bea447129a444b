package coop.relay.support.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import coop.relay.support.HttpHeaders;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One running JDK {@link HttpServer} that hands requests to {@link WebhookRoutes}. Its threads only
 * read request bodies; handlers answer asynchronously and the response is written from whichever
 * thread completes them.
 */
public final class JdkWebhookServer {
  private static final Logger LOG = LoggerFactory.getLogger(JdkWebhookServer.class);
  private static final byte[] NO_BODY = new byte[0];

  /** The limits a server enforces. */
  public record Limits(long maxBodyBytes, Duration responseTimeout, Scheduler scheduler) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final WebhookRoutes routes;
  private final Limits limits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Sinks.Empty<Void> drained = Sinks.empty();
  private volatile boolean stopping;

  private JdkWebhookServer(HttpServer server, ExecutorService executor, WebhookRoutes routes, Limits limits) {
    this.server = server;
    this.executor = executor;
    this.routes = routes;
    this.limits = limits;
  }

  /**
   * Binds and starts a server.
   *
   * @throws IOException when the address cannot be bound
   */
  public static JdkWebhookServer start(InetSocketAddress address, int threads, WebhookRoutes routes, Limits limits)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger counter = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "relay-webhook-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    JdkWebhookServer result = new JdkWebhookServer(server, executor, routes, limits);
    server.createContext("/", result::handle);
    server.setExecutor(executor);
    server.start();
    return result;
  }

  /** The bound address, with the real port when port 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Refuses new requests (503), waits until the requests in flight are answered or
   * {@code gracePeriod} passed, then closes the socket and the threads.
   */
  public Mono<Void> stop(Duration gracePeriod) {
    return Mono.defer(() -> {
      stopping = true;
      if (inFlight.get() == 0) {
        drained.tryEmitEmpty();
      }
      return drained.asMono()
          .timeout(gracePeriod, Mono.fromRunnable(() ->
              LOG.warn("Stopping the webhook listener with {} requests unanswered after {}", inFlight.get(), gracePeriod)),
              limits.scheduler())
          .then(Mono.fromRunnable(() -> {
            server.stop(0);
            executor.shutdownNow();
          }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()))
          .then();
    });
  }

  private void handle(HttpExchange raw) {
    inFlight.incrementAndGet();
    Exchange exchange = new Exchange(raw);
    try {
      dispatch(exchange);
    } catch (RuntimeException | IOException e) {
      LOG.warn("Webhook request failed before reaching a handler: {}", e.getClass().getSimpleName());
      respond(exchange, WebhookResponse.status(500));
    }
  }

  /** An exchange that is answered at most once. */
  private record Exchange(HttpExchange http, AtomicBoolean answered) {
    Exchange(HttpExchange http) {
      this(http, new AtomicBoolean());
    }
  }

  private void dispatch(Exchange wrapped) throws IOException {
    HttpExchange exchange = wrapped.http();
    if (stopping) {
      respond(wrapped, WebhookResponse.text(503, "shutting down"));
      return;
    }
    String path = exchange.getRequestURI().getRawPath();
    WebhookRoutes.Route route = routes.find(path == null || path.isEmpty() ? "/" : path);
    if (route == null) {
      respond(wrapped, WebhookResponse.text(404, "no webhook here"));
      return;
    }
    byte[] body = readBody(exchange);
    if (body == null) {
      respond(wrapped, WebhookResponse.text(413, "body larger than " + limits.maxBodyBytes() + " bytes"));
      return;
    }
    WebhookRequest request = new WebhookRequest(
        exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT),
        path == null || path.isEmpty() ? "/" : path,
        exchange.getRequestURI().getRawQuery(),
        HttpHeaders.of(exchange.getRequestHeaders()),
        body,
        exchange.getRemoteAddress());
    String prefix = route.prefix();
    Mono.defer(() -> route.handler().handle(request))
        .timeout(limits.responseTimeout(), limits.scheduler())
        .defaultIfEmpty(WebhookResponse.ok())
        .onErrorResume(error -> Mono.just(failureResponse(prefix, error)))
        .subscribe(response -> respond(wrapped, response));
  }

  private static WebhookResponse failureResponse(String prefix, Throwable error) {
    if (error instanceof TimeoutException) {
      LOG.warn("Webhook handler at {} did not answer in time; answered 503", prefix);
      return WebhookResponse.text(503, "handler timed out");
    }
    LOG.warn("Webhook handler at {} failed: {}; answered 500", prefix, error.getClass().getSimpleName());
    LOG.debug("Webhook handler failure at {}", prefix, error);
    return WebhookResponse.text(500, "internal error");
  }

  /** The whole body, or {@code null} when it is larger than the limit. */
  private byte @Nullable [] readBody(HttpExchange exchange) throws IOException {
    long max = limits.maxBodyBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > max) {
          return null;
        }
      } catch (NumberFormatException malformed) {
        return null;
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return body.length > max ? null : body;
    }
  }

  private void respond(Exchange wrapped, WebhookResponse response) {
    if (!wrapped.answered().compareAndSet(false, true)) {
      return;
    }
    HttpExchange exchange = wrapped.http();
    try (exchange) {
      for (Map.Entry<String, List<String>> header : response.headers().asMap().entrySet()) {
        exchange.getResponseHeaders().put(header.getKey(), header.getValue());
      }
      byte[] body = response.status() == 204 || response.status() == 304 || "HEAD".equals(exchange.getRequestMethod())
          ? NO_BODY : response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The peer went away; nothing left to tell it.
      LOG.debug("Could not write a webhook response: {}", e.getClass().getSimpleName());
    } finally {
      if (inFlight.decrementAndGet() == 0 && stopping) {
        drained.tryEmitEmpty();
      }
    }
  }

  @Override
  public String toString() {
    return "JdkWebhookServer[" + address() + "]";
  }
}
