package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.PuppetingMode;
import coop.relay.api.UserRef;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.RichText;
import coop.relay.spi.Backoff;
import coop.relay.spi.DedupStore;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RelayStore;
import coop.relay.spi.RenderedText;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * One message fanned out to 1, 4 or 16 destination channels spread over 3 platforms: route, run the
 * name template, render and enqueue. The relay renders once per platform and queues one small
 * delivery per destination that shares the immutable message. The baseline is the obvious reactive
 * design: per destination, render, then build its own {@code Mono} chain (post, retry) and queue it.
 *
 * <p>Neither side runs the deliveries here (both would make the same platform call); both queues
 * are replaced every {@value #MESSAGES} messages so memory stays bounded, and that cost is shared
 * out over the messages on both sides.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar FanOutBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOutBenchmark {
  private static final int MESSAGES = 1024;
  private static final String[] PLATFORMS = {"alpha", "beta", "gamma"};

  @Param({"1", "4", "16"})
  public int destinations;

  private Router router;
  private RoutingTable table;
  private Map<String, ConnectorHandle> handles;
  private Map<String, BridgeDefinition> bridges;
  private DeliveryContext context;
  private Map<ChannelRef, ArrayDeque<Mono<MessageRef>>> baselineQueues;
  private ConnectorHandle source;
  private MessageCreated[] events;
  private List<ChannelRef> targets;
  private Map<String, BenchConnector> connectors;
  private NameTemplate nameTemplate;
  private int next;

  @Setup
  public void setUp() {
    handles = new LinkedHashMap<>();
    connectors = new LinkedHashMap<>();
    BenchConnector src = new BenchConnector("src", "source", PuppetingMode.NONE);
    handles.put("src", new ConnectorHandle(src));
    for (int p = 0; p < PLATFORMS.length; p++) {
      // One platform puppets, two need the name template: both paths are on the bench.
      BenchConnector c = new BenchConnector(PLATFORMS[p], PLATFORMS[p],
          p == 0 ? PuppetingMode.PER_MESSAGE : PuppetingMode.NONE);
      connectors.put(c.id(), c);
      handles.put(c.id(), new ConnectorHandle(c));
    }
    source = handles.get("src");
    List<BridgeChannel> channels = new ArrayList<>();
    channels.add(new BridgeChannel(new ChannelRef("src", "room"), coop.relay.api.Direction.BOTH));
    targets = new ArrayList<>();
    for (int i = 0; i < destinations; i++) {
      ChannelRef target = new ChannelRef(PLATFORMS[i % PLATFORMS.length], "room-" + i);
      targets.add(target);
      channels.add(new BridgeChannel(target, coop.relay.api.Direction.BOTH));
    }
    RelayStore store = new InMemoryRelayStore(100_000, 100_000);
    DedupStore alwaysNew = new DedupStore() {
      @Override
      public boolean markSeen(ChannelRef channel, String eventId) {
        return true;
      }

      @Override
      public boolean contains(ChannelRef channel, String eventId) {
        return false;
      }
    };
    EventBus events = new EventBus(16);
    // A scheduler that never runs the drain: deliveries stay queued, as in a busy relay.
    Scheduler parked = Schedulers.fromExecutor(task -> { });
    context = new DeliveryContext("bench", store, parked, Backoff.DEFAULT, 8, Integer.MAX_VALUE, events,
        Metrics.NONE, new ReactionEchoGuard(16));
    nameTemplate = NameTemplate.parse("**{name}** ({platform}): ", true);
    router = new Router("bench", store.idMap(), alwaysNew, new InterceptorChain(List.of(), nameTemplate), events,
        Metrics.NONE, new ReactionEchoGuard(16));
    bridges = Map.of("b", new BridgeDefinition("b", channels));
    freshQueues();
    this.events = new MessageCreated[MESSAGES];
    Identity author = Identity.of(new UserRef("src", "42"), "Ada Lovelace");
    for (int i = 0; i < MESSAGES; i++) {
      RichText text = RichText.builder().text("Meeting at ").bold("10:00").text(" in ")
          .link("https://example.org/room", "the room").text(", bring notes #" + i).build();
      this.events[i] = new MessageCreated(
          Message.builder(new ChannelRef("src", "room").message(Integer.toString(i)), author).text(text).build());
    }
  }

  private void freshQueues() {
    Map<ChannelRef, DeliveryQueue> queues = new LinkedHashMap<>();
    table = RoutingTable.compile(bridges, handles,
        channel -> queues.computeIfAbsent(channel, c -> new DeliveryQueue(c, handles.get(c.connectorId()), context)));
    baselineQueues = new HashMap<>();
    for (ChannelRef target : targets) {
      baselineQueues.put(target, new ArrayDeque<>());
    }
  }

  private int nextIndex() {
    int index = next++ & (MESSAGES - 1);
    if (index == 0) {
      freshQueues();
    }
    return index;
  }

  @Benchmark
  public void routeRenderEnqueue() {
    router.onEvent(source, events[nextIndex()], table);
  }

  @Benchmark
  public void baselineMonoChainPerDestination() {
    Message message = events[nextIndex()].message();
    for (ChannelRef target : targets) {
      BenchConnector connector = connectors.get(target.connectorId());
      Message shown = connector.capabilities().puppeting().canPuppet()
          ? message
          : message.withText(nameTemplate.prefix(message.author(), "source").concat(message.text()));
      RenderedText text = connector.render(shown.text());
      OutboundMessage outbound = new OutboundMessage(target, message.ref(), message.author(), text, List.of(),
          null, null, new OriginMarker("bench", Long.toString(next, 36)));
      Mono<MessageRef> delivery = Mono.just(outbound)
          .flatMap(connector::post)
          .retryWhen(Retry.backoff(8, Duration.ofMillis(500)));
      baselineQueues.get(target).add(delivery);
    }
  }
}
