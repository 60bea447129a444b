package coop.relay.sandbox.matrix.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Pushes one application service's events as transactions ({@code PUT
 * /_matrix/app/v1/transactions/{txnId}}), one at a time and in stream order. A transaction is done
 * when the service answers 2xx; otherwise it is sent again, with the same id and the same events,
 * after a delay that doubles up to a maximum, as the spec asks. Paused while the server is down.
 */
final class TransactionPusher {
  private static final Logger log = LoggerFactory.getLogger(TransactionPusher.class);
  private static final int MAX_EVENTS = 100;

  private final MatrixState state;
  private final AppserviceAccount as;
  private final AppserviceClient client;
  private final Scheduler scheduler;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private boolean busy;
  private boolean paused = true;
  private @Nullable Disposable inFlight;

  TransactionPusher(MatrixState state, AppserviceAccount as, AppserviceClient client, Scheduler scheduler,
      Duration firstRetry, Duration maxRetry) {
    this.state = state;
    this.as = as;
    this.client = client;
    this.scheduler = scheduler;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  /** Starts pushing if there is something to push and no push is under way. */
  void kick() {
    synchronized (this) {
      if (busy || paused || as.registration.url() == null) {
        return;
      }
      busy = true;
    }
    pushNext();
  }

  synchronized void pause() {
    paused = true;
    busy = false;
    if (inFlight != null) {
      inFlight.dispose();
      inFlight = null;
    }
  }

  void resume() {
    synchronized (this) {
      paused = false;
    }
    kick();
  }

  private void pushNext() {
    AppserviceAccount.Transaction txn = state.nextTransaction(as, MAX_EVENTS);
    synchronized (this) {
      if (txn == null || paused) {
        busy = false;
        return;
      }
    }
    Disposable d = client.pushTransaction(as, txn).subscribe(
        answer -> {
          if (answer.ok()) {
            state.transactionDone(as, txn.txnId());
            pushNext();
          } else {
            retry("HTTP " + answer.status());
          }
        },
        error -> retry(String.valueOf(error.getMessage())));
    synchronized (this) {
      inFlight = d;
    }
  }

  private void retry(String why) {
    int failures = state.transactionFailed(as, why);
    Duration delay;
    // Never take the state's lock while holding this one: the state calls kick() under its own.
    synchronized (this) {
      if (paused) {
        busy = false;
        return;
      }
      delay = firstRetry.multipliedBy(1L << Math.min(Math.max(0, failures - 1), 20));
      if (delay.compareTo(maxRetry) > 0) {
        delay = maxRetry;
      }
    }
    log.debug("transaction push to application service {} failed ({}); retrying in {}", as.id(), why, delay);
    Disposable d = Mono.delay(delay, scheduler).subscribe(t -> pushNext());
    synchronized (this) {
      inFlight = d;
    }
  }
}
