package coop.relay.testkit;

import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Subscribes to a connector's inbound stream and keeps everything it emits, so that a test can wait
 * for an event (with Awaitility, never by sleeping) and then assert on the whole sequence.
 *
 * <pre>{@code
 * try (InboundRecorder inbound = InboundRecorder.record(connector.connect(context))) {
 *   inbound.awaitState(ConnectorState.CONNECTED, Duration.ofSeconds(5));
 *   platform.post("general", alice, "hi");
 *   MessageCreated hi = inbound.await(MessageCreated.class, m -> m.message().text().plainText().equals("hi"),
 *       Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Waiting fails with an {@link AssertionError} that lists what was received when the time runs
 * out, or at once when the stream ended with an error. Thread-safe.
 */
public final class InboundRecorder implements AutoCloseable {
  private final List<InboundEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
  private volatile boolean completed;
  private final Disposable subscription;

  private InboundRecorder(Flux<InboundEvent> stream) {
    this.subscription = stream.subscribe(events::add, error::set, () -> completed = true);
  }

  /** Subscribes to {@code stream} (requesting everything) and starts recording. */
  public static InboundRecorder record(Flux<InboundEvent> stream) {
    return new InboundRecorder(Objects.requireNonNull(stream, "stream"));
  }

  /** Everything received so far, in order; a snapshot. */
  public List<InboundEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one type received so far, in order. */
  public <T extends InboundEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The channel events received so far about channel {@code channelId}, in order. */
  public List<ChannelEvent> channelEvents(String channelId) {
    return events(ChannelEvent.class).stream().filter(e -> e.channel().channelId().equals(channelId)).toList();
  }

  /** The messages created in channel {@code channelId} received so far, in order. */
  public List<MessageCreated> messagesIn(String channelId) {
    return events(MessageCreated.class).stream()
        .filter(e -> e.channel().channelId().equals(channelId))
        .toList();
  }

  /** How many events were received; pass it to {@link #awaitFrom} to wait for a later one. */
  public int size() {
    return events.size();
  }

  /** The error the stream failed with, or {@code null}. */
  public @Nullable Throwable error() {
    return error.get();
  }

  /** Whether the stream completed (a connector's stream should not, until it is closed). */
  public boolean isCompleted() {
    return completed;
  }

  /**
   * Waits for the first received event of {@code type} that matches.
   *
   * @return the event
   * @throws AssertionError when none arrives within {@code timeout} or the stream fails
   */
  public <T extends InboundEvent> T await(Class<T> type, Predicate<? super T> condition, Duration timeout) {
    return awaitFrom(0, type, condition, timeout);
  }

  /**
   * Waits for an event of {@code type} that matches, among those received from position {@code from}
   * on (see {@link #size()}).
   *
   * @return the first such event
   * @throws AssertionError when none arrives within {@code timeout} or the stream fails
   */
  public <T extends InboundEvent> T awaitFrom(int from, Class<T> type, Predicate<? super T> condition,
      Duration timeout) {
    AtomicReference<@Nullable T> found = new AtomicReference<>();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> {
            Throwable failure = error.get();
            if (failure != null) {
              throw new AssertionError("the inbound stream failed while waiting for a " + type.getSimpleName(),
                  failure);
            }
            List<InboundEvent> snapshot = List.copyOf(events);
            for (int i = Math.max(0, from); i < snapshot.size(); i++) {
              InboundEvent event = snapshot.get(i);
              if (type.isInstance(event) && condition.test(type.cast(event))) {
                found.set(type.cast(event));
                return true;
              }
            }
            return false;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout
          + "; received: " + describe(), e);
    }
    return Objects.requireNonNull(found.get());
  }

  /** Waits until a state change to {@code state} was received. */
  public ConnectorStateChanged awaitState(ConnectorState state, Duration timeout) {
    return await(ConnectorStateChanged.class, s -> s.state() == state, timeout);
  }

  /** Waits until a state change to {@code state} was received at or after position {@code from}. */
  public ConnectorStateChanged awaitStateFrom(int from, ConnectorState state, Duration timeout) {
    return awaitFrom(from, ConnectorStateChanged.class, s -> s.state() == state, timeout);
  }

  /** Cancels the subscription; what was recorded stays. Idempotent. */
  @Override
  public void close() {
    subscription.dispose();
  }

  /** A short, readable list of what was received, for failure messages. */
  public String describe() {
    StringBuilder out = new StringBuilder("[");
    for (InboundEvent event : events) {
      if (out.length() > 1) {
        out.append(", ");
      }
      if (event instanceof MessageCreated created) {
        out.append("MessageCreated ").append(created.target()).append(" '")
            .append(created.message().text().plainText()).append('\'');
      } else if (event instanceof ChannelEvent channelEvent) {
        out.append(event.getClass().getSimpleName()).append(' ').append(channelEvent.target());
      } else if (event instanceof ConnectorStateChanged state) {
        out.append(state.state());
      }
    }
    return out.append(']').toString();
  }

  @Override
  public String toString() {
    return "InboundRecorder" + describe();
  }
}
