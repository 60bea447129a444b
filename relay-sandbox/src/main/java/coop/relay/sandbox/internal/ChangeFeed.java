package coop.relay.sandbox.internal;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxUser;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The stream of {@link SandboxEvent}s of one emulator. Keeps the most recent events so that a page
 * reconnecting with {@code Last-Event-ID} misses nothing that happened while it was away.
 */
public final class ChangeFeed {
  private static final int REMEMBERED = 2048;

  private final String platform;
  private final Supplier<Instant> clock;
  // A replaying sink hands a new subscriber the remembered events and then the live ones with no gap
  // between the two, which a snapshot followed by a subscription could not guarantee.
  private final Sinks.Many<SandboxEvent> sink = Sinks.many().replay().limit(REMEMBERED);
  private long sequence;

  /** @param clock the time stamped on events (the emulator's scheduler clock) */
  public ChangeFeed(String platform, Supplier<Instant> clock) {
    this.platform = platform;
    this.clock = clock;
  }

  /** Publishes a change; callers hold their state lock so that sequence order is state order. */
  public synchronized SandboxEvent publish(
      SandboxEvent.Type type,
      @Nullable String channelId,
      @Nullable HistoryEntry message,
      @Nullable SandboxChannel channel,
      @Nullable SandboxUser user) {
    SandboxEvent event =
        new SandboxEvent(++sequence, type, platform, clock.get(), channelId, message, channel, user);
    sink.emitNext(event, Sinks.EmitFailureHandler.FAIL_FAST);
    return event;
  }

  /** Publishes a message change. */
  public SandboxEvent message(SandboxEvent.Type type, HistoryEntry message) {
    return publish(type, message.channelId(), message, null, null);
  }

  /** Publishes a channel change. */
  public SandboxEvent channel(SandboxEvent.Type type, SandboxChannel channel) {
    return publish(type, channel.id(), null, channel, null);
  }

  /** Publishes a new user. */
  public SandboxEvent user(SandboxUser user) {
    return publish(SandboxEvent.Type.USER_CREATED, null, null, null, user);
  }

  /** The sequence number of the latest event, 0 before the first. */
  public synchronized long lastSequence() {
    return sequence;
  }

  /** Live changes from subscription on (see {@link coop.relay.sandbox.SandboxControl#changes()}). */
  public Flux<SandboxEvent> changes() {
    return Flux.defer(() -> after(lastSequence()));
  }

  /**
   * Changes with a sequence above {@code after}: the remembered ones first (as far back as they are
   * remembered), then live ones. Delivered off the publisher's thread, so a subscriber may call back
   * into the emulator.
   */
  public Flux<SandboxEvent> after(long after) {
    return sink.asFlux()
        .filter(e -> e.sequence() > after)
        .onBackpressureBuffer()
        .publishOn(Schedulers.boundedElastic());
  }
}
