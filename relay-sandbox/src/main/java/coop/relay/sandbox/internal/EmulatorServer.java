package coop.relay.sandbox.internal;

import coop.relay.sandbox.Emulator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Hosts one emulator on a Reactor Netty HTTP server that can be stopped and started again on the same
 * port. Stopping closes every open connection at once, as a platform outage would.
 */
public final class EmulatorServer {
  private static final Logger log = LoggerFactory.getLogger(EmulatorServer.class);
  // Long enough for a GET whose query carries a 4096-character message, percent-encoded.
  private static final int MAX_INITIAL_LINE = 256 * 1024;

  private final Emulator emulator;
  private final String host;
  private int port;
  private @Nullable DisposableServer server;
  private @Nullable ChannelGroup connections;
  private @Nullable String baseUrl;
  private @Nullable Mono<Void> starting;

  public EmulatorServer(Emulator emulator, String host, int port) {
    this.emulator = emulator;
    this.host = host;
    this.port = port;
  }

  public Emulator emulator() {
    return emulator;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  public synchronized String baseUrl() {
    if (baseUrl == null) {
      throw new IllegalStateException(
          "the \"" + emulator.platform() + "\" emulator has not been started; call RelaySandbox.start() first");
    }
    return baseUrl;
  }

  /** Binds the server unless it runs; concurrent calls share one bind. */
  public Mono<Void> start() {
    return Mono.defer(
        () -> {
          synchronized (this) {
            if (server != null) {
              return Mono.empty();
            }
            if (starting == null) {
              starting = bind().cache();
            }
            return starting;
          }
        });
  }

  private Mono<Void> bind() {
    ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ControlRoutes control = new ControlRoutes(emulator.control(), this::baseUrlOrNull);
    int requestedPort;
    synchronized (this) {
      requestedPort = port;
    }
    return HttpServer.create()
        .host(host)
        .port(requestedPort)
        .channelGroup(group)
        // Every accepted connection joins the group, so that stop() can cut them all at once.
        .doOnConnection(connection -> group.add(connection.channel()))
        .httpRequestDecoder(spec -> spec.maxInitialLineLength(MAX_INITIAL_LINE))
        .route(
            routes -> {
              control.mount(routes);
              emulator.routes(routes);
              control.mountFallback(routes);
            })
        .bind()
        .doOnNext(bound -> started(bound, group))
        .doOnError(e -> clearStarting())
        .then();
  }

  private void started(DisposableServer bound, ChannelGroup group) {
    String url;
    synchronized (this) {
      server = bound;
      connections = group;
      port = bound.port();
      String urlHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
      url = "http://" + urlHost + ":" + port;
      baseUrl = url;
      starting = null;
    }
    log.info("{} emulator listening on {}", emulator.platform(), url);
    emulator.started(url);
  }

  private synchronized void clearStarting() {
    starting = null;
  }

  synchronized @Nullable String baseUrlOrNull() {
    return baseUrl;
  }

  /** Closes the listening socket and every open connection; state stays with the emulator. */
  public Mono<Void> stop() {
    return Mono.defer(
        () -> {
          DisposableServer running;
          ChannelGroup group;
          synchronized (this) {
            running = server;
            group = connections;
            server = null;
            connections = null;
          }
          if (running == null || group == null) {
            return Mono.empty();
          }
          return emulator
              .stopping()
              .onErrorResume(e -> {
                log.warn("{} emulator failed to pause cleanly", emulator.platform(), e);
                return Mono.empty();
              })
              .then(Mono.<Void>create(sink -> {
                running.dispose();
                group.close().addListener(f -> sink.success());
              }))
              .then(running.onDispose())
              .doOnSuccess(v -> log.info("{} emulator stopped", emulator.platform()));
        });
  }

  /** {@link #stop()}, waiting at most ten seconds; for {@code AutoCloseable}. */
  public void stopNow() {
    stop().block(Duration.ofSeconds(10));
  }

  @Override
  public synchronized String toString() {
    return emulator.platform() + (baseUrl == null ? "" : "@" + baseUrl) + (server == null ? "(stopped)" : "");
  }
}
