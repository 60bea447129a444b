package coop.relay.matrix.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.matrix.AppserviceHandler;
import coop.relay.spi.ConnectorContext;
import coop.relay.support.Json;
import coop.relay.support.RetryPolicy;
import coop.relay.support.WebhookListener;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Application-service mode's receiving side: the homeserver pushes transactions of events to the
 * {@link AppserviceHandler}, which hands them to the connection's stream and answers once they were
 * handed over. A transaction is acknowledged (its id recorded in {@link ProcessedTransactions})
 * right before its last event is emitted, with the same reasoning as the sync loop's cursor. While
 * no connection runs, transactions get 503 and stay with the homeserver.
 *
 * <p>Since nothing is polled, a periodic {@code whoami} tells whether the homeserver is reachable:
 * {@code RECONNECTING} when it fails, {@code CONNECTED} when it works again.
 */
final class AppserviceReceiver implements AppserviceHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AppserviceReceiver.class);
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  private final EngineConfig config;
  private final EngineConfig.Appservice appservice;
  private final MatrixClient client;
  private final Identities identities;
  private final Ghosts ghosts;
  private final MemberDirectory members;
  private final SyncReceiver.DecoderFactory decoders;
  private final AtomicReference<@Nullable Session> session = new AtomicReference<>();

  AppserviceReceiver(EngineConfig config, EngineConfig.Appservice appservice, MatrixClient client, Identities identities,
      Ghosts ghosts, MemberDirectory members, SyncReceiver.DecoderFactory decoders) {
    this.config = config;
    this.appservice = appservice;
    this.client = client;
    this.identities = identities;
    this.ghosts = ghosts;
    this.members = members;
    this.decoders = decoders;
  }

  /** One transaction's events on their way into the stream. */
  private static final class Delivery {
    final String txnId;
    final List<InboundEvent> events;
    final Sinks.Empty<Void> done = Sinks.empty();

    Delivery(String txnId, List<InboundEvent> events) {
      this.txnId = txnId;
      this.events = events;
    }
  }

  /** One connection: the decoder, the transactions relayed, the deliveries waiting for the stream. */
  private final class Session {
    final String botId;
    final EventDecoder decoder;
    final ProcessedTransactions processed;
    final Sinks.Many<Delivery> queue = Sinks.many().unicast().onBackpressureBuffer();
    final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
    final Map<String, Mono<Void>> inFlight = new ConcurrentHashMap<>();
    boolean closed;

    Session(String botId, ConnectorContext context) {
      this.botId = botId;
      this.decoder = decoders.create(context.relayId(), botId);
      this.processed = new ProcessedTransactions(context.cursors());
    }

    Flux<InboundEvent> stream() {
      return queue.asFlux().concatMap(this::emit, 0);
    }

    private Flux<InboundEvent> emit(Delivery delivery) {
      Mono<InboundEvent> ack = Mono.fromRunnable(() -> {
        processed.add(delivery.txnId);
        pending.remove(delivery);
        delivery.done.tryEmitEmpty();
      });
      List<InboundEvent> events = delivery.events;
      if (events.isEmpty()) {
        return ack.flux();
      }
      return Flux.fromIterable(events.subList(0, events.size() - 1))
          .concatWith(ack)
          .concatWith(Mono.just(events.get(events.size() - 1)));
    }

    Mono<Void> deliver(String txnId, List<InboundEvent> events) {
      Delivery delivery = new Delivery(txnId, events);
      synchronized (this) {
        if (closed) {
          return Mono.error(new IllegalStateException("the connection ended"));
        }
        pending.add(delivery);
        queue.tryEmitNext(delivery);
      }
      return delivery.done.asMono();
    }

    synchronized void close() {
      closed = true;
      for (Delivery delivery : pending) {
        delivery.done.tryEmitError(new IllegalStateException("the connection ended"));
      }
      pending.clear();
    }
  }

  Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      ConnectionStates states = new ConnectionStates(config.id());
      RetryPolicy retry = RetryPolicy.builder()
          .backoff(config.backoff())
          .retryForever()
          .scheduler(config.scheduler())
          .onRetry(states::failed)
          .build();
      Disposable.Composite resources = Disposables.composite();
      AtomicReference<@Nullable Session> mine = new AtomicReference<>();
      Mono<Session> setUp = identities.whoami()
          .flatMap(botId -> identities.serverName().flatMap(server -> {
            checkNamespace(server);
            return joinBridgedRooms(context.channels()).thenReturn(botId);
          }))
          .retryWhen(retry.toRetry())
          .map(botId -> {
            Session created = new Session(botId, context);
            mine.set(created);
            session.set(created);
            return created;
          })
          .flatMap(created -> listen(resources).thenReturn(created))
          .doOnNext(created -> resources.add(ping().subscribe()));
      Flux<InboundEvent> main = setUp.flatMapMany(created ->
          Flux.concat(Mono.just(states.connected(null)), created.stream()));
      Flux<InboundEvent> health = Flux.interval(config.healthCheckInterval(), config.scheduler())
          .onBackpressureDrop()
          .concatMap(tick -> identities.check()
              .doOnNext(ok -> states.recoveredNow())
              .then(Mono.<InboundEvent>empty())
              .onErrorResume(failure -> {
                if (failure instanceof CredentialsRejectedException) {
                  return Mono.error(failure);
                }
                states.failed(ConnectionStates.describe(failure), config.healthCheckInterval().toMillis());
                return Mono.empty();
              }), 0);
      return Flux.merge(states.side(), main, health).doFinally(signal -> {
        Session ended = mine.get();
        if (ended != null) {
          session.compareAndSet(ended, null);
          ended.close();
        }
        resources.dispose();
      });
    });
  }

  /** Every ghost id must fall into a user namespace, or the homeserver refuses to create it. */
  private void checkNamespace(String server) {
    String sample = "@" + GhostNames.localpart(appservice.registration().ghostPrefix(), new UserRef("x", "y")) + ":" + server;
    if (!appservice.registration().inUserNamespace(sample)) {
      throw new InvalidConfigurationException("connector '" + config.id() + "': ghost users such as " + sample
          + " are not in the registration's user namespaces " + appservice.registration().userNamespaces()
          + "; choose a ghostPrefix the namespaces match");
    }
  }

  private Mono<Void> joinBridgedRooms(Set<String> channels) {
    return Flux.fromIterable(channels).concatMap(room -> client.call(client.post(client.url(MatrixClient.CLIENT_V3,
            "join", room).build(), Map.of()), "joining " + room)
        .onErrorResume(coop.relay.api.DeliveryException.class, e -> {
          if (e.isRetryable()) {
            return Mono.error(e);
          }
          LOG.warn("Matrix connector '{}' cannot join bridged room {}: {}", config.id(), room, e.getMessage());
          return Mono.empty();
        })).then();
  }

  /** Mounts the handler on the configured listener (starting it when the connector owns it). */
  private Mono<Void> listen(Disposable.Composite resources) {
    WebhookListener listener = appservice.listener();
    if (listener == null) {
      return Mono.empty(); // the integrator serves appserviceHandler() in their own server
    }
    return Mono.defer(() -> {
      resources.add(listener.mount(appservice.pathPrefix() + PATH_PREFIX, this));
      if (!appservice.ownListener()) {
        return Mono.empty();
      }
      resources.add(() -> listener.stop().subscribe(ok -> { }, e -> LOG.warn("Stopping the appservice listener of '{}'"
          + " failed: {}", config.id(), e.toString())));
      return listener.start();
    });
  }

  /** Asks the homeserver to ping us: proves that its registration's url reaches the listener. */
  private Mono<Void> ping() {
    HttpUrl url = client.url(MatrixClient.CLIENT_V1, "appservice", appservice.registration().id(), "ping").build();
    return client.call(client.post(url, Map.of("transaction_id", "relay-" + config.id())), "pinging the appservice")
        .doOnNext(answer -> LOG.info("Matrix connector '{}': the homeserver reaches the appservice listener ({} ms)",
            config.id(), answer.path("duration_ms").asLong(-1)))
        .then()
        .onErrorResume(e -> {
          LOG.warn("Matrix connector '{}': the homeserver could not ping the appservice listener ({}); check the url"
              + " in the registration file", config.id(), ConnectionStates.describe(e));
          return Mono.empty();
        });
  }

  @Override
  public Mono<WebhookResponse> handle(WebhookRequest request) {
    return Mono.defer(() -> {
      String path = request.path();
      int at = path.indexOf(PATH_PREFIX + "/");
      if (at < 0) {
        return Mono.just(error(404, "M_UNRECOGNIZED", "unknown path"));
      }
      WebhookResponse refused = authenticate(request);
      if (refused != null) {
        return Mono.just(refused);
      }
      String[] rest = path.substring(at + PATH_PREFIX.length() + 1).split("/", -1);
      String method = request.method();
      if (rest.length == 2 && rest[0].equals("transactions") && method.equals("PUT")) {
        return transaction(decode(rest[1]), request.body());
      }
      if (rest.length == 1 && rest[0].equals("ping") && method.equals("POST")) {
        return Mono.just(WebhookResponse.json(200, EMPTY_OBJECT));
      }
      if (rest.length == 2 && rest[0].equals("users") && method.equals("GET")) {
        return userQuery(decode(rest[1]));
      }
      if (rest.length == 2 && rest[0].equals("rooms") && method.equals("GET")) {
        return Mono.just(error(404, "M_NOT_FOUND", "this application service creates no rooms on demand"));
      }
      return Mono.just(error(404, "M_UNRECOGNIZED", "unknown endpoint"));
    }).onErrorResume(failure -> {
      LOG.warn("Matrix connector '{}' failed to handle a homeserver request: {}", config.id(),
          ConnectionStates.describe(failure));
      return Mono.just(error(503, "M_UNKNOWN", "try again later"));
    });
  }

  private @Nullable WebhookResponse authenticate(WebhookRequest request) {
    String header = request.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return error(401, "M_UNAUTHORIZED", "missing the homeserver token");
    }
    if (!appservice.registration().hsToken().matches(header.substring(7).strip())) {
      return error(403, "M_FORBIDDEN", "wrong homeserver token");
    }
    return null;
  }

  private Mono<WebhookResponse> transaction(String txnId, byte[] body) {
    Session current = session.get();
    if (current == null) {
      return Mono.just(error(503, "M_UNKNOWN", "the relay is not connected; retry later"));
    }
    if (current.processed.contains(txnId)) {
      return Mono.just(WebhookResponse.json(200, EMPTY_OBJECT));
    }
    Mono<Void> work = current.inFlight.computeIfAbsent(txnId, id -> decodeAll(current, id, body)
        .flatMap(events -> current.deliver(id, events))
        .doFinally(signal -> current.inFlight.remove(id))
        .cache());
    return work.thenReturn(WebhookResponse.json(200, EMPTY_OBJECT));
  }

  private Mono<List<InboundEvent>> decodeAll(Session current, String txnId, byte[] body) {
    JsonNode events;
    try {
      events = Json.mapper().readTree(body).path("events");
    } catch (JacksonException e) {
      LOG.warn("Matrix connector '{}': transaction {} is not JSON; skipping it", config.id(), txnId);
      return Mono.just(List.of());
    }
    List<RawEvent> raw = new ArrayList<>();
    for (JsonNode node : events) {
      Optional<RawEvent> event = Json.convertOrSkip(node, RawEvent.class, "Matrix event in transaction " + txnId);
      if (event.isPresent() && event.get().roomId() != null) {
        raw.add(event.get());
      } else if (event.isPresent()) {
        LOG.warn("Skipping malformed Matrix event {} in transaction {}: no room_id", event.get().eventId(), txnId);
      }
    }
    return Flux.fromIterable(raw)
        .concatMap(event -> knowSender(current, event).then(Mono.fromCallable(() ->
            Optional.ofNullable(current.decoder.decode(java.util.Objects.requireNonNull(event.roomId()), event)))))
        .filter(Optional::isPresent)
        .map(Optional::get)
        .collectList();
  }

  /** Looks up the room name of a sender the connector has not seen a membership event of. */
  private Mono<Void> knowSender(Session current, RawEvent event) {
    String room = event.roomId();
    String sender = event.sender();
    if (room == null || sender == null || event.stateKey() != null || sender.equals(current.botId)
        || ghosts.isGhost(sender) || members.knows(room, sender)) {
      return Mono.empty();
    }
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "rooms", room, "state", "m.room.member", sender).build();
    return client.call(client.get(url), "reading the membership of " + sender)
        .doOnNext(member -> members.update(room, sender, EventDecoder.text(member, "displayname"),
            EventDecoder.text(member, "avatar_url")))
        .then()
        .onErrorResume(e -> {
          members.update(room, sender, null, null); // ask once; the localpart will do
          return Mono.empty();
        });
  }

  private Mono<WebhookResponse> userQuery(String userId) {
    if (!ghosts.isGhost(userId)) {
      return Mono.just(error(404, "M_NOT_FOUND", "not a user of this application service"));
    }
    return ghosts.register(userId)
        .thenReturn(WebhookResponse.json(200, EMPTY_OBJECT))
        .onErrorResume(e -> {
          LOG.warn("Matrix connector '{}' could not create the queried user {}: {}", config.id(), userId,
              ConnectionStates.describe(e));
          return Mono.just(error(404, "M_NOT_FOUND", "could not create the user"));
        });
  }

  private static WebhookResponse error(int status, String errcode, String message) {
    return WebhookResponse.json(status, Json.mapper().createObjectNode().put("errcode", errcode).put("error", message)
        .toString());
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return segment;
    }
  }

  @Override
  public String toString() {
    return "AppserviceHandler[" + config.id() + "]";
  }
}
