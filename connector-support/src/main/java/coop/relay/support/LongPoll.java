package coop.relay.support;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The loop behind Telegram's {@code getUpdates} and Matrix's {@code /sync}: poll with a cursor,
 * hand out the page, poll again from the cursor the page returned.
 *
 * <p>The next poll starts only when the subscriber requests the next page. This matters: Telegram
 * forgets updates once a poll with a higher offset arrives, so a page must be handled (and its cursor
 * saved) before the next poll confirms it. Consume the pages one at a time:
 *
 * <pre>{@code
 * LongPoll.pages(storedOffset, offset -> getUpdates(offset), policy)
 *     .concatMap(page -> emit(page.items()).then(saveCursor(page.next())), 0)
 * }</pre>
 */
public final class LongPoll {
  private LongPoll() {}

  /**
   * One answer of a long poll.
   *
   * @param items what arrived, possibly nothing (the poll timed out)
   * @param next the cursor for the next poll (Telegram: last {@code update_id} + 1; Matrix:
   *     {@code next_batch})
   */
  public record Page<C, T>(List<T> items, C next) {
    public Page {
      items = List.copyOf(items);
      Objects.requireNonNull(next, "next");
    }
  }

  /**
   * Polls from {@code start} forever, one poll per requested page.
   *
   * <p>Lazy; each subscription starts again from {@code start}. A failed poll is retried as
   * {@code retry} says (give it {@link RetryPolicy.Builder#retryForever()} and an {@code onRetry} that
   * reports {@code RECONNECTING}); when the policy gives up or the failure is not retryable (rejected
   * credentials), the flux fails with it. Never completes on its own. Cancelling cancels the poll in
   * flight.
   *
   * @param poll sends one poll from a cursor; must be lazy
   */
  public static <C, T> Flux<Page<C, T>> pages(
      C start, Function<? super C, ? extends Mono<Page<C, T>>> poll, RetryPolicy retry) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(retry, "retry");
    return Flux.defer(() -> {
      AtomicReference<C> cursor = new AtomicReference<>(start);
      Mono<Page<C, T>> once = Mono.<Page<C, T>>defer(() -> poll.apply(cursor.get()))
          .retryWhen(retry.toRetry())
          .doOnNext(page -> cursor.set(page.next()));
      // generate emits a tick per request, and concatMap without prefetch polls once per tick after
      // the previous poll ended: so no poll runs ahead of the subscriber.
      return Flux.<Boolean>generate(sink -> sink.next(Boolean.TRUE)).concatMap(tick -> once, 0);
    });
  }
}
