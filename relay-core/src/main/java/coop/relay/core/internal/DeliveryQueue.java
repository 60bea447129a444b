package coop.relay.core.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.RateLimitedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The ordered queue of one destination channel. One delivery runs at a time, in the order they
 * were queued; a delivery that fails transiently is retried (after exactly the retry-after the
 * platform gave, else after a backoff) before the next one starts, so the channel shows messages in
 * order. Queues of different channels are independent: a slow or failing channel delays only itself.
 *
 * <p>Draining uses a work-in-progress counter instead of recursion, so a connector that completes
 * synchronously cannot grow the stack, and deliveries run on the context's scheduler, never on the
 * thread that received the message.
 */
final class DeliveryQueue {
  private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);

  final ChannelRef channel;
  private final ConnectorHandle connector;
  private final DeliveryContext context;
  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final Runnable drainTask = this::drain;
  private volatile boolean busy;
  private volatile boolean closed;
  private final AtomicReference<@Nullable Delivery> current = new AtomicReference<>();
  private volatile @Nullable Disposable inFlight;

  DeliveryQueue(ChannelRef channel, ConnectorHandle connector, DeliveryContext context) {
    this.channel = channel;
    this.connector = connector;
    this.context = context;
  }

  ConnectorHandle connector() {
    return connector;
  }

  /** Queues a delivery; a full or closed queue reports it as failed at once instead of growing. */
  void offer(Delivery delivery) {
    String refusal = null;
    synchronized (waiting) {
      if (closed) {
        refusal = "the relay is stopping";
      } else if (waiting.size() >= context.queueCapacity) {
        refusal = "the delivery queue of " + channel + " is full (" + context.queueCapacity
            + " waiting); the destination is not keeping up";
      } else {
        waiting.addLast(delivery);
      }
    }
    if (refusal != null) {
      context.failed(delivery, refusal);
      return;
    }
    context.accepted();
    signal();
  }

  /** Deliveries waiting, not counting the one running. */
  int depth() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  private void signal() {
    if (wip.getAndIncrement() == 0) {
      context.scheduler.schedule(drainTask);
    }
  }

  private void drain() {
    int missed = 1;
    do {
      if (!busy) {
        Delivery next;
        synchronized (waiting) {
          next = closed ? null : waiting.pollFirst();
        }
        if (next != null) {
          busy = true;
          attempt(next);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void attempt(Delivery delivery) {
    if (closed) {
      return;
    }
    current.set(delivery);
    delivery.attempts++;
    DeliveryAttempt attempt = new DeliveryAttempt(this, delivery);
    inFlight = attempt;
    try {
      delivery.execute(context, connector.connector).subscribe(attempt);
    } catch (RuntimeException e) {
      attemptFailed(delivery, e);
    }
  }

  void attemptSucceeded(Delivery delivery, MessageRef result) {
    if (!claim(delivery)) {
      return;
    }
    try {
      delivery.onDelivered(context, result);
    } catch (RuntimeException e) {
      log.error("recording the delivery of {} to {} failed", delivery.source, channel, e);
    }
    context.delivered(delivery, result);
    finish();
  }

  void attemptFailed(Delivery delivery, Throwable error) {
    if (closed || current.get() != delivery) {
      return;
    }
    String reason = describe(error);
    if (isRetryable(error) && delivery.attempts < context.maxAttempts) {
      Duration delay = error instanceof RateLimitedException limited
          ? limited.retryAfter()
          : context.backoffDelay(delivery.attempts);
      context.retrying(delivery, delay, reason);
      inFlight = context.scheduler.schedule(() -> attempt(delivery), delay.toNanos(), TimeUnit.NANOSECONDS);
      return;
    }
    if (!claim(delivery)) {
      return;
    }
    if (delivery.attempts >= context.maxAttempts && isRetryable(error)) {
      reason = "gave up after " + delivery.attempts + " attempts: " + reason;
    }
    context.failed(delivery, reason);
    finish();
  }

  /** Makes sure a delivery is finished once, even when stop() abandons it concurrently. */
  private boolean claim(Delivery delivery) {
    if (!current.compareAndSet(delivery, null)) {
      return false;
    }
    inFlight = null;
    return true;
  }

  private void finish() {
    context.finished();
    busy = false;
    signal();
  }

  /**
   * Stops the queue: the running delivery is cancelled and it and every waiting one are reported as
   * failed with {@code reason}. Later offers are refused.
   */
  void abandon(String reason) {
    List<Delivery> abandoned = new ArrayList<>();
    synchronized (waiting) {
      closed = true;
      abandoned.addAll(waiting);
      waiting.clear();
    }
    Delivery running = current.getAndSet(null);
    Disposable work = inFlight;
    inFlight = null;
    if (work != null) {
      work.dispose();
    }
    if (running != null) {
      abandoned.add(0, running);
    }
    for (Delivery delivery : abandoned) {
      context.failed(delivery, reason);
      context.finished();
    }
  }

  private static boolean isRetryable(Throwable error) {
    if (error instanceof DeliveryException delivery) {
      return delivery.isRetryable();
    }
    // Credentials and configuration do not get better by waiting; a connector bug might not either,
    // but an unknown failure is retried (and reported if it keeps failing) rather than lost at once.
    return !(error instanceof CredentialsRejectedException
        || error instanceof InvalidConfigurationException
        || error instanceof NoSuchElementException);
  }

  private static String describe(Throwable error) {
    if (error instanceof NoSuchElementException) {
      return "the connector completed without reporting the message it made";
    }
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
  }
}
