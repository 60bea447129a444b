package coop.relay.sandbox.internal;

import coop.relay.sandbox.Fault;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/** The faults injected into one emulator, consumed request by request. Thread-safe. */
public final class FaultPlan {

  private static final class Pending {
    final Fault fault;
    int remaining;

    Pending(Fault fault) {
      this.fault = fault;
      this.remaining = fault.times();
    }
  }

  private final Deque<Pending> pending = new ArrayDeque<>();

  /** Queues a fault after the ones already queued. */
  public synchronized void add(Fault fault) {
    pending.addLast(new Pending(fault));
  }

  /** Forgets every fault that has not fired. */
  public synchronized void clear() {
    pending.clear();
  }

  /**
   * The fault that applies to this request of {@code method}, counting it as fired, or {@code null}
   * when the request should be served normally.
   */
  public synchronized @Nullable Fault take(String method) {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.fault.matches(method)) {
        if (--p.remaining == 0) {
          it.remove();
        }
        return p.fault;
      }
    }
    return null;
  }

  /**
   * Closes the request's connection without answering, as {@link Fault.Kind#DROP_CONNECTION} asks;
   * the returned {@code Mono} ends the handler.
   */
  public static Mono<Void> dropConnection(HttpServerResponse response) {
    response.withConnection(Connection::dispose);
    return Mono.empty();
  }
}
