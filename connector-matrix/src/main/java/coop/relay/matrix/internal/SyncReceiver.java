package coop.relay.matrix.internal;

import coop.relay.api.event.InboundEvent;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.CursorStore;
import coop.relay.support.Json;
import coop.relay.support.LongPoll;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client mode's receiving side: {@code /sync} long polls with a filter that asks only for what the
 * relay handles, {@code since} kept in the cursor store as {@value #CURSOR}.
 *
 * <p>Without a stored cursor, an initial sync (not relayed: that is history) finds where "now" is and
 * stores it before {@code CONNECTED} is reported; with one, the connector resumes exactly there. A
 * {@code limited} timeline (more happened than the filter's limit) is completed backwards through
 * {@code /messages} from its {@code prev_batch} to the previous {@code since}, up to the configured
 * number of events. The next poll starts only after the page was emitted, and the new {@code since}
 * is saved before the page's last event is emitted: a subscriber that cancels right after an event
 * never sees it again, and one that cancels in the middle of a page sees the page's start again
 * (the relay's dedup window drops those) rather than losing its end. Invitations to bridged rooms are
 * accepted.
 */
final class SyncReceiver {
  static final String CURSOR = "sync.since";
  /** The event types the relay turns into inbound events, plus membership for names. */
  static final List<String> TIMELINE_TYPES =
      List.of("m.room.message", "m.sticker", "m.reaction", "m.room.redaction", "m.room.member");

  private static final Logger LOG = LoggerFactory.getLogger(SyncReceiver.class);

  private final EngineConfig config;
  private final MatrixClient client;
  private final ReactiveHttpClient pollHttp;
  private final Identities identities;
  private final DecoderFactory decoders;

  /** Makes the decoder of one connection. */
  interface DecoderFactory {
    EventDecoder create(String relayId, String ownUserId);
  }

  SyncReceiver(EngineConfig config, MatrixClient client, Identities identities, DecoderFactory decoders) {
    this.config = config;
    this.client = client;
    // The server holds a poll for `timeout`; the client waits a little longer before giving up on it.
    this.pollHttp = client.http().withReadTimeout(config.pollTimeout().plus(Duration.ofSeconds(15)));
    this.identities = identities;
    this.decoders = decoders;
  }

  /**
   * One connection: who we are, the filter, how its events are decoded, and the rooms the account
   * is invited to but that are not bridged (yet: a bridge may be added while the relay runs).
   */
  private record Session(String userId, String filterId, EventDecoder decoder, ConnectorContext context,
      Set<String> invites) {}

  Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      ConnectionStates states = new ConnectionStates(config.id());
      RetryPolicy retry = RetryPolicy.builder()
          .backoff(config.backoff())
          .retryForever()
          .scheduler(config.scheduler())
          .onRetry(states::failed)
          .build();
      CursorStore.Scoped cursors = context.cursors();
      Mono<Session> setUp = identities.whoami()
          .flatMap(user -> defineFilter(user).map(filter ->
              new Session(user, filter, decoders.create(context.relayId(), user), context,
                  java.util.concurrent.ConcurrentHashMap.newKeySet())))
          .flatMap(session -> joinBridgedRooms(session).thenReturn(session))
          .retryWhen(retry.toRetry());
      Flux<InboundEvent> main = setUp.flatMapMany(session -> {
        Optional<String> stored = cursors.load(CURSOR);
        Mono<String> start = stored.isPresent() && !stored.get().isEmpty()
            ? Mono.just(stored.get())
            : initialSync(session).retryWhen(retry.toRetry()).doOnNext(since -> cursors.save(CURSOR, since));
        return start.flatMapMany(since -> Flux.concat(
            Mono.just(states.connected(null)),
            LongPoll.pages(since, from -> poll(session, from), retry)
                .concatMap(page -> states.recovered().concatWith(emit(page, cursors)), 0)));
      });
      return Flux.merge(states.side(), main);
    });
  }

  private static Flux<InboundEvent> emit(LongPoll.Page<String, InboundEvent> page, CursorStore.Scoped cursors) {
    List<InboundEvent> items = page.items();
    Mono<InboundEvent> save = Mono.fromRunnable(() -> cursors.save(CURSOR, page.next()));
    if (items.isEmpty()) {
      return save.flux();
    }
    return Flux.fromIterable(items.subList(0, items.size() - 1))
        .concatWith(save)
        .concatWith(Mono.just(items.get(items.size() - 1)));
  }

  /** Uploads the filter: only the event types the relay handles, no presence, no account data, no receipts. */
  private Mono<String> defineFilter(String userId) {
    ObjectNode filter = Json.mapper().createObjectNode();
    filter.putObject("presence").putArray("not_types").add("*");
    filter.putObject("account_data").putArray("not_types").add("*");
    ObjectNode room = filter.putObject("room");
    room.putObject("ephemeral").putArray("not_types").add("*");
    room.putObject("account_data").putArray("not_types").add("*");
    ObjectNode state = room.putObject("state");
    state.putArray("types").add("m.room.member");
    state.put("lazy_load_members", true);
    ObjectNode timeline = timelineFilter(userId);
    timeline.put("limit", config.timelineLimit());
    room.set("timeline", timeline);
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "user", userId, "filter").build();
    return client.call(client.post(url, filter), "defining the sync filter").map(answer -> {
      String id = EventDecoder.text(answer, "filter_id");
      if (id == null) {
        throw coop.relay.api.DeliveryException.transientFailure("the homeserver defined the filter without an id", null);
      }
      return id;
    });
  }

  private static ObjectNode timelineFilter(String userId) {
    ObjectNode timeline = Json.mapper().createObjectNode();
    ArrayNode types = timeline.putArray("types");
    TIMELINE_TYPES.forEach(types::add);
    // Our own events are echoes; the homeserver need not send them at all.
    timeline.putArray("not_senders").add(userId);
    timeline.put("lazy_load_members", true);
    return timeline;
  }

  /** Joins bridged rooms the account is not in yet (it may have been invited while the relay was down). */
  private Mono<Void> joinBridgedRooms(Session session) {
    Set<String> channels = session.context().channels();
    if (channels.isEmpty()) {
      return Mono.empty();
    }
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "joined_rooms").build();
    return client.call(client.get(url), "listing joined rooms").flatMapMany(answer -> {
      Set<String> joined = new HashSet<>();
      answer.path("joined_rooms").forEach(room -> joined.add(room.asString("")));
      List<String> missing = new ArrayList<>();
      for (String channel : channels) {
        if (!joined.contains(channel)) {
          missing.add(channel);
        }
      }
      return Flux.fromIterable(missing);
    }).concatMap(this::join).then();
  }

  private Mono<Void> join(String roomId) {
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "join", roomId).build();
    return client.call(client.post(url, Map.of()), "joining " + roomId)
        .doOnNext(ok -> LOG.info("Matrix connector '{}' joined {}", config.id(), roomId))
        .onErrorResume(coop.relay.api.DeliveryException.class, e -> {
          if (e.isRetryable()) {
            return Mono.error(e);
          }
          LOG.warn("Matrix connector '{}' cannot join bridged room {}: {}", config.id(), roomId, e.getMessage());
          return Mono.empty();
        })
        .then();
  }

  /** A sync without {@code since}: finds the current position; its timeline is history and not relayed. */
  private Mono<String> initialSync(Session session) {
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "sync")
        .addQueryParameter("filter", session.filterId())
        .addQueryParameter("timeout", "0")
        .build();
    return client.bytes(pollHttp, client.get(url), "initial sync").flatMap(body -> {
      SyncResponse response = SyncResponse.read(body);
      response.joined().forEach((roomId, room) -> {
        learn(session, roomId, SyncResponse.events(room.state()));
        learn(session, roomId, SyncResponse.events(room.timeline()));
      });
      return acceptInvites(session, response).thenReturn(response.nextBatch());
    });
  }

  /** Reads membership from events without relaying anything. */
  private static void learn(Session session, String roomId, List<JsonNode> events) {
    for (JsonNode node : events) {
      if ("m.room.member".equals(EventDecoder.text(node, "type")) && node.has("state_key")) {
        Json.convertOrSkip(node, RawEvent.class, "Matrix member event").ifPresent(e -> session.decoder().decode(roomId, e));
      }
    }
  }

  private Mono<LongPoll.Page<String, InboundEvent>> poll(Session session, String since) {
    return Mono.defer(() -> {
      HttpUrl url = client.url(MatrixClient.CLIENT_V3, "sync")
          .addQueryParameter("filter", session.filterId())
          .addQueryParameter("since", since)
          .addQueryParameter("timeout", Long.toString(config.pollTimeout().toMillis()))
          .build();
      return client.bytes(pollHttp, client.get(url), "sync").flatMap(body -> {
        SyncResponse response = SyncResponse.read(body);
        String next = response.nextBatch();
        return Flux.fromIterable(response.joined().entrySet())
            .concatMap(room -> roomEvents(session, room.getKey(), room.getValue(), since))
            .collectList()
            .flatMap(events -> acceptInvites(session, response).thenReturn(
                new LongPoll.Page<String, InboundEvent>(flatten(events), next == null ? since : next)));
      });
    });
  }

  private static List<InboundEvent> flatten(List<List<InboundEvent>> rooms) {
    List<InboundEvent> all = new ArrayList<>();
    rooms.forEach(all::addAll);
    return all;
  }

  /** The inbound events of one room: state first (names), then the gap if the timeline was limited, then the timeline. */
  private Mono<List<InboundEvent>> roomEvents(Session session, String roomId, SyncResponse.JoinedRoom room, String since) {
    List<JsonNode> timeline = SyncResponse.events(room.timeline());
    SyncResponse.Timeline t = room.timeline();
    Mono<List<JsonNode>> gap = t != null && t.limited() && t.prevBatch() != null
        ? fillGap(session, roomId, t.prevBatch(), since, timeline)
        : Mono.just(List.of());
    return gap.map(missed -> {
      List<InboundEvent> out = new ArrayList<>();
      decodeAll(session, roomId, SyncResponse.events(room.state()), out);
      decodeAll(session, roomId, missed, out);
      decodeAll(session, roomId, timeline, out);
      return out;
    });
  }

  private static void decodeAll(Session session, String roomId, List<JsonNode> events, List<InboundEvent> out) {
    for (JsonNode node : events) {
      Optional<RawEvent> event = Json.convertOrSkip(node, RawEvent.class, "Matrix event in " + roomId);
      if (event.isEmpty()) {
        continue;
      }
      InboundEvent decoded = session.decoder().decode(roomId, event.get());
      if (decoded != null) {
        out.add(decoded);
      }
    }
  }

  /**
   * The events a limited timeline left out, oldest first, with the membership that names their
   * senders: {@code /messages} backwards from {@code prev_batch} until the previous {@code since},
   * at most the configured number of events.
   */
  private Mono<List<JsonNode>> fillGap(Session session, String roomId, String prevBatch, String since,
      List<JsonNode> timeline) {
    int max = config.gapFillLimit();
    if (max == 0) {
      LOG.warn("Matrix connector '{}': more happened in {} than one sync holds, and gap filling is off", config.id(),
          roomId);
      return Mono.just(List.of());
    }
    Set<String> known = new HashSet<>();
    timeline.forEach(e -> known.add(e.path("event_id").asString("")));
    List<JsonNode> newestFirst = new ArrayList<>();
    List<JsonNode> members = new ArrayList<>();
    String filter = timelineFilter(session.userId()).toString();
    return Mono.just(prevBatch)
        .expand(from -> {
          int remaining = max - newestFirst.size();
          if (remaining <= 0) {
            return Mono.empty();
          }
          HttpUrl url = client.url(MatrixClient.CLIENT_V3, "rooms", roomId, "messages")
              .addQueryParameter("dir", "b")
              .addQueryParameter("from", from)
              .addQueryParameter("to", since)
              .addQueryParameter("limit", Integer.toString(Math.min(remaining, 100)))
              .addQueryParameter("filter", filter)
              .build();
          return client.call(client.get(url), "filling the gap in " + roomId).flatMap(answer -> {
            JsonNode chunk = answer.path("chunk");
            for (JsonNode event : chunk) {
              if (newestFirst.size() < max && known.add(event.path("event_id").asString(""))) {
                newestFirst.add(event);
              }
            }
            answer.path("state").forEach(members::add);
            String end = EventDecoder.text(answer, "end");
            boolean more = chunk.size() > 0 && end != null && !end.equals(from);
            if (more && newestFirst.size() >= max) {
              LOG.warn("Matrix connector '{}': more than {} events happened in {} between two syncs; the older ones"
                  + " are not relayed (raise gapFillLimit to relay more)", config.id(), max, roomId);
            }
            return more ? Mono.just(end) : Mono.<String>empty();
          });
        })
        .then(Mono.fromCallable(() -> {
          List<JsonNode> oldestFirst = new ArrayList<>(members);
          List<JsonNode> events = new ArrayList<>(newestFirst);
          Collections.reverse(events);
          oldestFirst.addAll(events);
          return oldestFirst;
        }))
        .onErrorResume(e -> e instanceof coop.relay.api.DeliveryException d && !d.isRetryable(), e -> {
          LOG.warn("Matrix connector '{}': cannot fill the gap in {} ({}); events in it are not relayed", config.id(),
              roomId, e.getMessage());
          return Mono.just(List.of());
        });
  }

  /** Joins the rooms the account is invited to once they are bridged; remembers the others. */
  private Mono<Void> acceptInvites(Session session, SyncResponse response) {
    Set<String> invites = session.invites();
    for (String room : response.invited()) {
      if (invites.size() < 1000) {
        invites.add(room);
      }
    }
    Set<String> bridged = session.context().channels();
    return Flux.fromIterable(List.copyOf(invites))
        .filter(bridged::contains)
        .concatMap(room -> join(room).doOnSuccess(done -> invites.remove(room)))
        .then();
  }

  @Override
  public String toString() {
    return "SyncReceiver[" + config.id() + "]";
  }
}
