package coop.relay.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.UserRef;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.MessageCreated;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's first step for every inbound event: the loop check (is it the echo of something we
 * sent?) and the dedup check (seen before?), for events that were already seen — the case of every
 * platform retry, replay after reconnect and echo.
 *
 * <p>The baseline is the same two checks written the obvious way, with Caffeine caches used as sets:
 * the event's channel and id joined into a {@code String} key, a look-up in a cache of the ids we
 * sent, then {@code asMap().putIfAbsent(key, TRUE)} in the cache of seen events. The relay instead
 * keys its window by the channel and id objects the event already holds, and registers its own
 * copies in that same window, so one look-up answers both questions without building a key.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar LoopCheckAndDedupBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LoopCheckAndDedupBenchmark {
  private static final int EVENTS = 1024;

  private Router router;
  private ChannelEvent[] events;
  private Cache<String, Boolean> seen;
  private Cache<String, Boolean> sent;
  private int next;

  @Setup
  public void setUp() {
    InMemoryRelayStore store = new InMemoryRelayStore(100_000, 100_000);
    router = new Router("bench", store.idMap(), store.dedup(),
        new InterceptorChain(List.of(), NameTemplate.parse("", false)), new EventBus(16), Metrics.NONE,
        new ReactionEchoGuard(16));
    seen = Caffeine.newBuilder().maximumSize(100_000).build();
    sent = Caffeine.newBuilder().maximumSize(100_000).build();
    events = new ChannelEvent[EVENTS];
    Identity author = Identity.of(new UserRef("tg", "42"), "Ada");
    for (int i = 0; i < EVENTS; i++) {
      ChannelRef channel = new ChannelRef("tg", "-100123456789" + (i % 8));
      Message message = Message.builder(channel.message(Integer.toString(1_000_000 + i)), author).text("hi").build();
      events[i] = new MessageCreated(message);
      router.screen(events[i]);
      baselineLoopCheckAndDedup(events[i]);
    }
  }

  @Benchmark
  public Dropped.Reason loopCheckAndDedupOfSeenEvent() {
    return router.screen(events[next++ & (EVENTS - 1)]);
  }

  @Benchmark
  public Dropped.Reason baselineCaffeinePutIfAbsent() {
    return baselineLoopCheckAndDedup(events[next++ & (EVENTS - 1)]);
  }

  private Dropped.Reason baselineLoopCheckAndDedup(ChannelEvent event) {
    String key = event.channel().connectorId() + ':' + event.channel().channelId() + '/' + event.eventId();
    if (sent.getIfPresent(key) != null) {
      return Dropped.Reason.ECHO;
    }
    return seen.asMap().putIfAbsent(key, Boolean.TRUE) != null ? Dropped.Reason.DUPLICATE : null;
  }
}
