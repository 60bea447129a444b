package coop.relay.core.internal;

import coop.relay.api.MessageRef;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/**
 * Subscribes to one attempt of one delivery and reports its outcome to the queue. A dedicated
 * subscriber (instead of lambdas and a {@code single()} operator) keeps the delivery path to one
 * small object per attempt.
 */
final class DeliveryAttempt implements CoreSubscriber<MessageRef>, Disposable {
  private final DeliveryQueue queue;
  private final Delivery delivery;
  private volatile @Nullable Subscription subscription;
  private volatile boolean disposed;
  private @Nullable MessageRef result;
  private boolean done;

  DeliveryAttempt(DeliveryQueue queue, Delivery delivery) {
    this.queue = queue;
    this.delivery = delivery;
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.validate(subscription, s)) {
      subscription = s;
      if (disposed) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }
  }

  @Override
  public void onNext(MessageRef value) {
    if (!done && result == null) {
      result = value;
    }
  }

  @Override
  public void onError(Throwable error) {
    if (done) {
      return;
    }
    done = true;
    queue.attemptFailed(delivery, error);
  }

  @Override
  public void onComplete() {
    if (done) {
      return;
    }
    done = true;
    MessageRef value = result;
    if (value == null) {
      queue.attemptFailed(delivery, new NoSuchElementException("no message reference"));
    } else {
      queue.attemptSucceeded(delivery, value);
    }
  }

  @Override
  public void dispose() {
    disposed = true;
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }
}
