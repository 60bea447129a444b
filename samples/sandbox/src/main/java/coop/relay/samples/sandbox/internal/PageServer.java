package coop.relay.samples.sandbox.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Serves the sandbox page: plain HTML, JavaScript and CSS from the classpath (no front-end build),
 * generated avatar pictures, the app's configuration as JSON, the relay's events as Server-Sent
 * Events, and the buttons that stop and start an emulator.
 *
 * <pre>
 * GET  /                               the page
 * GET  /static/{file}                  its scripts and styles
 * GET  /avatars/{key}.svg              a person's picture
 * GET  /api/config                     platforms, emulator URLs, rooms, people, bridges
 * GET  /api/events                     text/event-stream of the relay monitor's JSON events
 * POST /api/emulators/{platform}/stop  takes a platform down (204); /start brings it back
 * </pre>
 */
public final class PageServer {
  private static final Logger log = LoggerFactory.getLogger(PageServer.class);
  private static final String PAGE = "coop/relay/samples/sandbox/page/";
  private static final Pattern FILE = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg|png)");
  private static final Pattern AVATAR = Pattern.compile("([a-z0-9-]{1,40})\\.svg");
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");

  private final String host;
  private final int port;
  private final Supplier<String> config;
  private final RelayMonitor monitor;
  private final BiFunction<String, Boolean, Mono<Void>> emulatorSwitch;
  private @Nullable DisposableServer server;

  /**
   * @param config the JSON served at {@code /api/config}, computed per request
   * @param emulatorSwitch stops ({@code false}) or starts ({@code true}) a platform's emulator
   */
  public PageServer(
      String host, int port, Supplier<String> config, RelayMonitor monitor,
      BiFunction<String, Boolean, Mono<Void>> emulatorSwitch) {
    this.host = host;
    this.port = port;
    this.config = config;
    this.monitor = monitor;
    this.emulatorSwitch = emulatorSwitch;
  }

  /** Binds the server and emits its base URL, e.g. {@code http://127.0.0.1:8088/}. */
  public Mono<String> start() {
    return HttpServer.create()
        .host(host)
        .port(port)
        .route(this::routes)
        .bind()
        .map(bound -> {
          synchronized (this) {
            server = bound;
          }
          return "http://" + host + ":" + bound.port() + "/";
        });
  }

  /** Stops listening and closes every open connection (the page's event streams included). */
  public Mono<Void> stop() {
    return Mono.defer(() -> {
      DisposableServer s;
      synchronized (this) {
        s = server;
        server = null;
      }
      if (s == null) {
        return Mono.empty();
      }
      s.dispose();
      return s.onDispose();
    });
  }

  private void routes(HttpServerRoutes r) {
    r.get("/", (req, res) -> resource(res, "index.html"));
    r.get("/index.html", (req, res) -> resource(res, "index.html"));
    r.get("/static/{file}", (req, res) -> resource(res, String.valueOf(req.param("file"))));
    r.get("/avatars/{file}", (req, res) -> avatar(res, String.valueOf(req.param("file"))));
    r.get("/api/config", (req, res) -> res
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .sendString(Mono.fromSupplier(config), StandardCharsets.UTF_8));
    r.get("/api/events", (req, res) -> events(res));
    r.post("/api/emulators/{platform}/{action}", (req, res) -> {
      String platform = String.valueOf(req.param("platform"));
      String action = String.valueOf(req.param("action"));
      if (!action.equals("stop") && !action.equals("start")) {
        return text(res, HttpResponseStatus.NOT_FOUND, "the action is stop or start, not " + action);
      }
      return Mono.defer(() -> emulatorSwitch.apply(platform, action.equals("start")))
          .then(Mono.defer(() -> res.status(HttpResponseStatus.NO_CONTENT).send()))
          .onErrorResume(IllegalArgumentException.class,
              e -> text(res, HttpResponseStatus.NOT_FOUND, String.valueOf(e.getMessage())))
          .onErrorResume(e -> {
            log.warn("could not {} the {} emulator", action, platform, e);
            return text(res, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e));
          });
    });
  }

  private Publisher<Void> events(HttpServerResponse res) {
    Flux<ByteBuf> frames = Flux.merge(
            monitor.stream().map(data -> "event: relay\ndata: " + data + "\n\n"),
            Flux.interval(HEARTBEAT).map(i -> ": keep-alive\n\n"))
        .startWith("retry: 2000\n\n")
        .map(s -> Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    return res.status(HttpResponseStatus.OK)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        // Each frame is flushed at once, so the page sees events as they happen.
        .send(frames, b -> true);
  }

  private Publisher<Void> resource(HttpServerResponse res, String file) {
    if (!FILE.matcher(file).matches()) {
      return text(res, HttpResponseStatus.NOT_FOUND, "no such file");
    }
    byte[] bytes = read(PAGE + file);
    if (bytes == null) {
      return text(res, HttpResponseStatus.NOT_FOUND, "no such file");
    }
    String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
    return res.header(HttpHeaderNames.CONTENT_TYPE, type)
        .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .sendByteArray(Mono.just(bytes));
  }

  private Publisher<Void> avatar(HttpServerResponse res, String file) {
    var m = AVATAR.matcher(file);
    if (!m.matches()) {
      return text(res, HttpResponseStatus.NOT_FOUND, "avatars are /avatars/<name>.svg");
    }
    return res.header(HttpHeaderNames.CONTENT_TYPE, "image/svg+xml")
        .header(HttpHeaderNames.CACHE_CONTROL, "max-age=3600")
        .sendString(Mono.just(Avatar.svg(m.group(1))), StandardCharsets.UTF_8);
  }

  private static Mono<Void> text(HttpServerResponse res, HttpResponseStatus status, String message) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .sendString(Mono.just(message + "\n"), StandardCharsets.UTF_8)
        .then();
  }

  private static byte @Nullable [] read(String path) {
    try (InputStream in = PageServer.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
