package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.internal.SandboxJson;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Socket Mode for one app: the tickets apps.connections.open hands out, the open WebSocket
 * connections, and the app's events on their way. Each event goes out as an {@code events_api}
 * envelope on one open connection (round robin); an envelope not acknowledged within the ack
 * timeout, or whose connection closes first, is sent again with {@code retry_attempt} one higher,
 * up to the retry limit. Events wait while no connection is open. A refresh sends {@code disconnect}
 * ({@code refresh_requested}), stops using the connection and closes it after a grace period, so an
 * app that opens its next connection at once loses nothing.
 */
final class SocketHub {
  private static final Logger log = LoggerFactory.getLogger(SocketHub.class);
  /** Slack lets an app hold up to ten Socket Mode connections. */
  static final int MAX_CONNECTIONS = 10;
  private static final Duration DEBUG_REFRESH = Duration.ofSeconds(360);

  /** An event on its way, with its delivery attempts so far. */
  private static final class Pending {
    final EventCallback event;
    int attempt;
    String reason = "";

    Pending(EventCallback event) {
      this.event = event;
    }
  }

  private record InFlight(Pending pending, SocketConnection connection, Disposable timer) {}

  /** One Socket Mode WebSocket. Its fields are guarded by the hub's lock. */
  static final class SocketConnection {
    final int number;
    final Sinks.Many<String> frames = Sinks.many().unicast().onBackpressureBuffer();
    final boolean debugReconnects;
    @Nullable Connection netty;
    boolean draining;
    boolean closed;
    @Nullable Disposable refreshTimer;
    @Nullable Disposable closeTimer;

    SocketConnection(int number, boolean debugReconnects) {
      this.number = number;
      this.debugReconnects = debugReconnects;
    }

    void send(String text) {
      frames.tryEmitNext(text);
    }
  }

  private final SlackApp app;
  private final Scheduler scheduler;
  private final DeliverySettings settings;
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
  private final List<SocketConnection> connections = new ArrayList<>();
  private final Map<String, Boolean> tickets = new HashMap<>();
  private int next;
  private int opened;
  private boolean paused = true;

  SocketHub(SlackApp app, Scheduler scheduler, DeliverySettings settings) {
    this.app = app;
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /** A one-time ticket for the WebSocket URL that apps.connections.open answers. */
  synchronized String ticket() {
    String ticket = UUID.randomUUID().toString();
    tickets.put(ticket, Boolean.TRUE);
    return ticket;
  }

  /** Whether {@code ticket} is valid and unused. */
  synchronized boolean knows(String ticket) {
    return tickets.containsKey(ticket);
  }

  synchronized int openConnections() {
    return connections.size();
  }

  /** Events not acknowledged yet: waiting for a connection or a retry, or sent and awaiting their ack. */
  synchronized int undelivered() {
    return pending.size() + inFlight.size();
  }

  /** Queues an event and sends it if a connection is open. */
  synchronized void enqueue(EventCallback event) {
    pending.addLast(new Pending(event));
    pump();
  }

  /** Serves one WebSocket opened with {@code ticket}; completes when it closed. */
  Publisher<Void> serve(String ticket, boolean debugReconnects, WebsocketInbound in, WebsocketOutbound out) {
    SocketConnection connection;
    synchronized (this) {
      if (tickets.remove(ticket) == null) {
        return out.sendClose(4001, "invalid ticket");
      }
      connection = new SocketConnection(++opened, debugReconnects);
    }
    in.withConnection(c -> {
      synchronized (this) {
        connection.netty = c;
      }
    });
    open(connection);
    Mono<Void> inbound = in.aggregateFrames()
        .receive()
        .asString()
        .doOnNext(text -> frame(connection, text))
        .then()
        .onErrorResume(e -> Mono.empty())
        .doFinally(s -> closed(connection));
    Mono<Void> outbound = out.sendString(connection.frames.asFlux())
        .then()
        .then(Mono.defer(() -> out.sendClose(1000, "")))
        .onErrorResume(e -> Mono.empty());
    return Mono.when(inbound, outbound).doFinally(s -> closed(connection));
  }

  private synchronized void open(SocketConnection connection) {
    connections.add(connection);
    ObjectNode hello = SandboxJson.mapper().createObjectNode();
    hello.put("type", "hello");
    hello.put("num_connections", connections.size());
    ObjectNode debug = hello.putObject("debug_info");
    debug.put("host", host(connection));
    debug.put("build_number", 1);
    Duration refresh = refreshAfter(connection);
    debug.put("approximate_connection_time", refresh == null ? 18060 : refresh.toSeconds());
    hello.putObject("connection_info").put("app_id", app.appId);
    connection.send(hello.toString());
    if (refresh != null) {
      connection.refreshTimer = Mono.delay(refresh, scheduler).subscribe(t -> refresh(connection, "refresh_requested"));
    }
    pump();
  }

  private @Nullable Duration refreshAfter(SocketConnection connection) {
    return connection.debugReconnects ? DEBUG_REFRESH : settings.refreshAfter();
  }

  private String host(SocketConnection connection) {
    return "applink-sandbox-" + connection.number;
  }

  private void frame(SocketConnection connection, String text) {
    JsonNode node;
    try {
      node = SandboxJson.mapper().readTree(text);
    } catch (JacksonException e) {
      log.debug("Socket Mode connection {} of app {} sent a frame that is not JSON; ignored", connection.number, app.appId);
      return;
    }
    String envelopeId = node.path("envelope_id").asString("");
    if (envelopeId.isEmpty()) {
      log.debug("Socket Mode connection {} of app {} sent a frame without envelope_id; ignored", connection.number, app.appId);
      return;
    }
    synchronized (this) {
      InFlight acked = inFlight.remove(envelopeId);
      if (acked != null) {
        acked.timer.dispose();
      }
    }
  }

  /** Sends what waits to the open connections that are not draining, round robin. */
  private void pump() {
    while (!paused && !pending.isEmpty()) {
      SocketConnection target = nextConnection();
      if (target == null) {
        return;
      }
      Pending p = pending.pollFirst();
      String envelopeId = UUID.randomUUID().toString();
      ObjectNode envelope = SandboxJson.mapper().createObjectNode();
      envelope.put("envelope_id", envelopeId);
      envelope.set("payload", p.event.payload());
      envelope.put("type", "events_api");
      envelope.put("accepts_response_payload", false);
      envelope.put("retry_attempt", p.attempt);
      envelope.put("retry_reason", p.reason);
      target.send(envelope.toString());
      Disposable timer = Mono.delay(settings.ackTimeout(), scheduler).subscribe(t -> timedOut(envelopeId));
      inFlight.put(envelopeId, new InFlight(p, target, timer));
    }
  }

  private @Nullable SocketConnection nextConnection() {
    for (int i = 0; i < connections.size(); i++) {
      SocketConnection c = connections.get((next + i) % connections.size());
      if (!c.draining && !c.closed) {
        next = (next + i + 1) % connections.size();
        return c;
      }
    }
    return null;
  }

  private synchronized void timedOut(String envelopeId) {
    InFlight f = inFlight.remove(envelopeId);
    if (f == null) {
      return;
    }
    retry(List.of(f.pending), "timeout");
    pump();
  }

  /** Puts unacknowledged events back at the front of the queue, in their order, counting the attempt. */
  private void retry(List<Pending> failed, String reason) {
    for (int i = failed.size() - 1; i >= 0; i--) {
      Pending p = failed.get(i);
      p.attempt++;
      p.reason = reason;
      if (p.attempt > settings.socketRetries()) {
        log.info("Slack gave up on event {} for app {} after {} unacknowledged attempts",
            p.event.eventId(), app.appId, p.attempt);
        continue;
      }
      pending.addFirst(p);
    }
  }

  private void closed(SocketConnection connection) {
    synchronized (this) {  // one block: frames are emitted only under the hub's lock
      if (connection.closed) {
        return;
      }
      connection.closed = true;
      connections.remove(connection);
      if (connection.refreshTimer != null) {
        connection.refreshTimer.dispose();
      }
      if (connection.closeTimer != null) {
        connection.closeTimer.dispose();
      }
      List<Pending> unacked = new ArrayList<>();
      for (Iterator<InFlight> it = inFlight.values().iterator(); it.hasNext(); ) {
        InFlight f = it.next();
        if (f.connection() == connection) {
          f.timer().dispose();
          unacked.add(f.pending());
          it.remove();
        }
      }
      retry(unacked, "connection_closed");
      pump();
      connection.frames.tryEmitComplete();
    }
  }

  /**
   * Sends {@code disconnect} with {@code reason} to every open connection and closes each after the
   * grace period ({@code link_disabled}: at once); events go to the app's next connection.
   */
  synchronized void disconnectAll(String reason) {
    for (SocketConnection c : List.copyOf(connections)) {
      refresh(c, reason);
    }
  }

  private synchronized void refresh(SocketConnection connection, String reason) {
    if (connection.closed || connection.draining) {
      return;
    }
    connection.draining = true;
    ObjectNode disconnect = SandboxJson.mapper().createObjectNode();
    disconnect.put("type", "disconnect");
    disconnect.put("reason", reason);
    disconnect.putObject("debug_info").put("host", host(connection));
    connection.send(disconnect.toString());
    Duration grace = reason.equals("link_disabled") ? Duration.ZERO : settings.refreshGrace();
    connection.closeTimer = Mono.delay(grace, scheduler).subscribe(t -> {
      synchronized (this) {
        connection.frames.tryEmitComplete();
      }
    });
  }

  /** Sends a {@code disconnect} {@code warning}: the connections will be refreshed soon. */
  synchronized void warnAll() {
    for (SocketConnection c : connections) {
      if (!c.draining) {
        ObjectNode warning = SandboxJson.mapper().createObjectNode();
        warning.put("type", "disconnect");
        warning.put("reason", "warning");
        warning.putObject("debug_info").put("host", host(c));
        c.send(warning.toString());
      }
    }
  }

  /** Cuts every connection without a word, as a network failure would. */
  void dropAll() {
    List<Connection> toDrop = new ArrayList<>();
    synchronized (this) {
      for (SocketConnection c : connections) {
        if (c.netty != null) {
          toDrop.add(c.netty);
        }
      }
    }
    toDrop.forEach(Connection::dispose);
  }

  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    pump();
  }
}
