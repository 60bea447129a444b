package coop.relay.samples.sandbox.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.DeliveryRetried;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.event.Received;
import coop.relay.api.event.RelayEvent;
import coop.relay.api.text.Emoji;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watches a relay's {@code events()} and the emulators' up/down switches, and serves them to the page
 * as JSON: a snapshot (connector states, emulator states, counters, recent latencies) followed by the
 * recent events and then the live ones. Every published event gets an increasing {@code id}, so the
 * page counts only events newer than the snapshot it started from.
 */
public final class RelayMonitor {
  private static final Logger log = LoggerFactory.getLogger(RelayMonitor.class);
  private static final int RECENT = 300;
  private static final int LATENCIES = 200;
  private static final int EXCERPT = 80;

  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, String> platformOf;
  private final Sinks.Many<ObjectNode> sink = Sinks.many().replay().limit(RECENT);
  private final Map<String, ObjectNode> connectors = new LinkedHashMap<>();
  private final Map<String, Boolean> emulators = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Deque<Double> latencies = new ArrayDeque<>();
  private long sequence;

  /** @param platformOf the platform of each connector id, e.g. {@code tg -> telegram} */
  public RelayMonitor(Map<String, String> platformOf) {
    this.platformOf = Map.copyOf(platformOf);
    for (String type : List.of("received", "delivered", "retried", "failed", "dropped")) {
      counts.put(type, 0L);
    }
  }

  /** Follows {@code events} until they complete (the relay stopped) or the returned handle is disposed. */
  public Disposable watch(Flux<RelayEvent> events) {
    return events.subscribe(this::record, e -> log.warn("the relay's event stream failed", e));
  }

  /** Reports that an emulator went down or came back. */
  public void emulator(String platform, boolean running) {
    ObjectNode node = json.createObjectNode();
    node.put("type", "emulator");
    node.put("platform", platform);
    node.put("running", running);
    synchronized (this) {
      emulators.put(platform, running);
      publish(node);
    }
  }

  /** The JSON object the page gets first: the current state, with the id of the last event it covers. */
  public synchronized ObjectNode snapshot() {
    ObjectNode node = json.createObjectNode();
    node.put("type", "snapshot");
    node.put("id", sequence);
    ObjectNode states = node.putObject("connectors");
    connectors.forEach(states::set);
    ObjectNode up = node.putObject("emulators");
    emulators.forEach(up::put);
    ObjectNode c = node.putObject("counts");
    counts.forEach(c::put);
    ArrayNode l = node.putArray("latencies");
    latencies.forEach(l::add);
    return node;
  }

  /**
   * The page's event stream: the snapshot, the recent events (which the snapshot's counters already
   * include) and then every new one, as JSON strings. Never completes; cancel to stop.
   */
  public Flux<String> stream() {
    return Flux.defer(() -> {
      ObjectNode first = snapshot();
      return Flux.concat(Flux.just(first), sink.asFlux()).map(json::writeValueAsString);
    });
  }

  /** The latencies of the latest deliveries, in milliseconds, oldest first. */
  public synchronized List<Double> latencies() {
    return new ArrayList<>(latencies);
  }

  private void record(RelayEvent event) {
    ObjectNode node = json.createObjectNode();
    // Java 17: no pattern matching in switch yet, hence the instanceof chain.
    if (event instanceof Received r) {
      node.put("type", "received");
      describe(node, r.event());
    } else if (event instanceof Delivered d) {
      node.put("type", "delivered");
      node.put("operation", d.operation().name());
      message(node.putObject("from"), d.source());
      message(node.putObject("to"), d.copy());
      node.put("latencyMs", d.latency().toNanos() / 1e6);
      node.put("attempts", d.attempts());
    } else if (event instanceof DeliveryRetried r) {
      node.put("type", "retried");
      node.put("operation", r.operation().name());
      message(node.putObject("from"), r.source());
      channel(node.putObject("to"), r.destination());
      node.put("attempt", r.attempt());
      node.put("delayMs", r.delay().toMillis());
      node.put("reason", r.reason());
    } else if (event instanceof DeliveryFailed f) {
      node.put("type", "failed");
      node.put("operation", f.operation().name());
      message(node.putObject("from"), f.source());
      channel(node.putObject("to"), f.destination());
      node.put("attempts", f.attempts());
      node.put("reason", f.reason());
    } else if (event instanceof Dropped d) {
      node.put("type", "dropped");
      node.put("reason", d.reason().name());
      describe(node, d.event());
    } else if (event instanceof ConnectorStateChanged s) {
      node.put("type", "state");
      node.put("connector", s.connectorId());
      node.put("platform", platformOf.getOrDefault(s.connectorId(), s.connectorId()));
      node.put("state", s.state().name());
      node.put("up", s.state().isUp());
      node.put("detail", s.detail());
      node.put("since", s.at().toEpochMilli());
    } else {
      return;
    }
    synchronized (this) {
      String type = node.get("type").asString();
      counts.computeIfPresent(type, (k, v) -> v + 1);
      if (event instanceof Delivered d) {
        latencies.addLast(d.latency().toNanos() / 1e6);
        if (latencies.size() > LATENCIES) {
          latencies.removeFirst();
        }
      }
      if (event instanceof ConnectorStateChanged s) {
        connectors.put(s.connectorId(), node.deepCopy());
      }
      publish(node);
    }
  }

  // Called with the monitor's lock held: the replay sink needs serialized emissions.
  private void publish(ObjectNode node) {
    node.put("id", ++sequence);
    node.put("at", System.currentTimeMillis());
    Sinks.EmitResult result = sink.tryEmitNext(node);
    if (result.isFailure()) {
      log.debug("event {} not published: {}", sequence, result);
    }
  }

  private void describe(ObjectNode node, ChannelEvent event) {
    message(node.putObject("from"), event.target());
    if (event instanceof MessageCreated c) {
      node.put("kind", "message");
      node.put("author", c.message().author().displayName());
      node.put("text", excerpt(c.message().text().plainText()));
    } else if (event instanceof MessageEdited e) {
      node.put("kind", "edit");
      node.put("author", e.editor().displayName());
      node.put("text", excerpt(e.text().plainText()));
    } else if (event instanceof MessageDeleted) {
      node.put("kind", "delete");
    } else if (event instanceof ReactionAdded a) {
      node.put("kind", "reaction");
      node.put("author", a.user().displayName());
      node.put("text", emoji(a.emoji()));
    } else if (event instanceof ReactionRemoved r) {
      node.put("kind", "unreaction");
      node.put("author", r.user().displayName());
      node.put("text", emoji(r.emoji()));
    }
  }

  private static String emoji(Emoji emoji) {
    String unicode = emoji.unicode();
    return unicode != null ? unicode : ":" + emoji.name() + ":";
  }

  private void message(ObjectNode node, MessageRef ref) {
    channel(node, ref.channel());
    node.put("message", ref.messageId());
  }

  private void channel(ObjectNode node, ChannelRef ref) {
    node.put("connector", ref.connectorId());
    node.put("platform", platformOf.getOrDefault(ref.connectorId(), ref.connectorId()));
    node.put("channel", ref.channelId());
  }

  private static String excerpt(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
  }
}
