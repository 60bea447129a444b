package coop.relay.testkit.internal;

import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.spi.CursorStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * One connector's live connection to the platform: reads the event log from its cursor and emits
 * the connector's inbound events, honouring demand.
 *
 * <p>The platform's log is the buffer, so nothing is queued here but state changes. Each entry is
 * emitted and its sequence number saved to the cursor store under {@code emitLock}, and
 * {@link #cancel()} takes the same lock: an event is either delivered and recorded, or neither, so a
 * connector restarted from the cursor store replays exactly what the previous connection did not
 * deliver. Emission runs on whichever thread signals the connection (usually the one that acted on
 * the platform), or on the configured scheduler, serialised by a work-in-progress counter.
 */
public final class Connection implements Subscription {
  /** The cursor name under which a connection keeps the sequence number of the last entry it handled. */
  public static final String CURSOR = "seq";

  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final PlatformEngine engine;
  private final Settings settings;
  private final Subscriber<? super InboundEvent> actual;
  private final Set<Connection> registry;
  private final ReentrantLock emitLock = new ReentrantLock();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicLong requested = new AtomicLong();
  private final Queue<Control> control = new ConcurrentLinkedQueue<>();
  private final Scheduler.@Nullable Worker worker;
  private volatile boolean cancelled;
  // Only touched by the thread that holds the drain (wip).
  private boolean online;
  private long position;

  /**
   * What a connection needs to know about its connector.
   *
   * @param connectorId the id put into every reference the connection reports
   * @param relayId the relay the connector serves; its own echoes carry it
   * @param suppressEchoes whether to drop the relay's own echoes
   * @param cursors where to resume from and save to
   * @param clock the clock for state change timestamps
   * @param deliverOn where to emit, or {@code null} to emit on the thread that acted on the platform
   */
  public record Settings(String connectorId, String relayId, boolean suppressEchoes, CursorStore.Scoped cursors,
      Clock clock, @Nullable Scheduler deliverOn) {
    /** @throws NullPointerException if a part is missing */
    public Settings {
      Objects.requireNonNull(connectorId, "connectorId");
      Objects.requireNonNull(relayId, "relayId");
      Objects.requireNonNull(cursors, "cursors");
      Objects.requireNonNull(clock, "clock");
    }
  }

  private sealed interface Control {}

  private record StateChange(ConnectorState state, @Nullable String detail) implements Control {}

  private record Stop() implements Control {}

  private Connection(PlatformEngine engine, Settings settings, Subscriber<? super InboundEvent> actual,
      Set<Connection> registry) {
    this.engine = engine;
    this.settings = settings;
    this.actual = actual;
    this.registry = registry;
    this.position = startPosition(settings);
    Scheduler scheduler = settings.deliverOn();
    this.worker = scheduler == null ? null : scheduler.createWorker();
  }

  /**
   * A cold flux: each subscription opens a connection that starts from the saved cursor (from the
   * beginning of the log when none was saved), is kept in {@code registry} while it lives, never
   * completes unless {@link #stop() stopped}, and disconnects when cancelled.
   */
  public static Flux<InboundEvent> open(PlatformEngine engine, Settings settings, Set<Connection> registry) {
    return Flux.from(subscriber -> {
      Connection connection = new Connection(engine, settings, subscriber, registry);
      registry.add(connection);
      subscriber.onSubscribe(connection);
      engine.register(connection);
    });
  }

  private static long startPosition(Settings settings) {
    String saved = settings.cursors().load(CURSOR).orElse(null);
    if (saved == null) {
      return 0;
    }
    try {
      long value = Long.parseLong(saved);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through: a cursor that is not ours is reported and ignored
    }
    LOG.warn("connector '{}': ignoring saved cursor '{}' that is not a sequence number; starting from the beginning",
        settings.connectorId(), saved);
    return 0;
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      cancel();
      actual.onError(new IllegalArgumentException("§3.9: request must be positive, was " + n));
      return;
    }
    requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
    signal();
  }

  @Override
  public void cancel() {
    emitLock.lock();
    try {
      cancelled = true;
    } finally {
      emitLock.unlock();
    }
    engine.unregister(this);
    registry.remove(this);
    disposeWorker();
  }

  /** Reports the state, then completes: what closing the connector does to a connection it still has. */
  public void stop() {
    enqueueState(ConnectorState.STOPPED, "the connector was closed");
    control.add(new Stop());
    signal();
  }

  /** Lets the connection catch up with the log: at once on this thread, or on its scheduler. */
  void signal() {
    Scheduler.Worker w = worker;
    if (w == null) {
      drain();
      return;
    }
    try {
      w.schedule(this::drain);
    } catch (RejectedExecutionException e) {
      // The worker was disposed: the connection is over and has nothing more to emit.
    }
  }

  private void disposeWorker() {
    Scheduler.Worker w = worker;
    if (w != null) {
      w.dispose();
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  void enqueueState(ConnectorState state, @Nullable String detail) {
    control.add(new StateChange(state, detail));
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      long wanted = requested.get();
      long emitted = 0;
      for (;;) {
        if (cancelled) {
          return;
        }
        Control next = control.peek();
        if (next instanceof Stop) {
          terminate();
          return;
        }
        if (emitted == wanted) {
          break;
        }
        if (next instanceof StateChange change) {
          control.poll();
          online = change.state() == ConnectorState.CONNECTED;
          var event = new ConnectorStateChanged(settings.connectorId(), change.state(), change.detail(),
              settings.clock().instant());
          if (!emit(event, -1)) {
            return;
          }
          emitted++;
          continue;
        }
        if (!online) {
          break;
        }
        LogEntry entry = engine.entryAfter(position);
        if (entry == null) {
          break;
        }
        InboundEvent event = eventFor(entry);
        if (!emit(event, entry.seq())) {
          return;
        }
        if (event != null) {
          emitted++;
        }
      }
      if (emitted != 0 && wanted != Long.MAX_VALUE) {
        requested.addAndGet(-emitted);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private @Nullable InboundEvent eventFor(LogEntry entry) {
    if (settings.suppressEchoes() && InboundTranslator.isEchoOf(entry, settings.relayId())) {
      LOG.debug("connector '{}': dropping the echo of its own relay's event #{} in channel '{}'",
          settings.connectorId(), entry.seq(), entry.channelId());
      return null;
    }
    try {
      return InboundTranslator.translate(entry, settings.connectorId());
    } catch (IllegalArgumentException e) {
      LOG.warn("connector '{}': skipping malformed payload #{} in channel '{}': {}", settings.connectorId(),
          entry.seq(), entry.channelId(), e.getMessage());
      return null;
    }
  }

  /** Emits the event (if any) and records the entry (if any) as handled; {@code false} once cancelled. */
  private boolean emit(@Nullable InboundEvent event, long seq) {
    emitLock.lock();
    try {
      if (cancelled) {
        return false;
      }
      if (event != null) {
        actual.onNext(event);
      }
      if (seq > 0) {
        position = seq;
        saveCursor(seq);
      }
      return true;
    } finally {
      emitLock.unlock();
    }
  }

  private void saveCursor(long seq) {
    try {
      settings.cursors().save(CURSOR, Long.toString(seq));
    } catch (RuntimeException e) {
      // The next connection may replay a little, which the relay's dedup window absorbs;
      // ending the stream would be worse.
      LOG.warn("connector '{}': could not save its cursor: {}", settings.connectorId(), e.toString());
    }
  }

  private void terminate() {
    emitLock.lock();
    try {
      if (cancelled) {
        return;
      }
      cancelled = true;
    } finally {
      emitLock.unlock();
    }
    engine.unregister(this);
    registry.remove(this);
    actual.onComplete();
    disposeWorker();
  }
}
