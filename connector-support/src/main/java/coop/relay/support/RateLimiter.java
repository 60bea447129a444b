package coop.relay.support;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.RateLimitedException;
import coop.relay.support.internal.LimiterState;
import coop.relay.support.internal.OrderedLanes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps a connector within its platform's rate limits by waiting, never by failing: one ordered
 * request stream per key, fixed {@link Quota}s, and the limits the platform reports in its responses.
 *
 * <p><b>Keys and order.</b> Every request is submitted under a key (Telegram: the chat id; Discord:
 * the route with its top-level resource id; Slack: the channel). Requests of one key run strictly one
 * after another, in subscription order; requests of different keys run independently, so a slow or
 * rate-limited key never delays another (except through the global limits below). Keys appear in
 * log lines: never put a credential into one (for Discord's webhook routes, use the webhook id, not
 * its token).
 *
 * <p><b>Fixed quotas</b> ({@link Builder#keyQuota}, {@link Builder#globalQuota}): a request waits until
 * every quota that applies to it has room. Telegram's "1 message/s per chat, 20/min per group,
 * 30/s overall" is
 * <pre>{@code
 * RateLimiter.builder()
 *     .keyQuota(Quota.perSecond(1))
 *     .keyQuota(chatId -> chatId.startsWith("-"), Quota.perMinute(20))
 *     .globalQuota(Quota.perSecond(30))
 *     .build();
 * }</pre>
 *
 * <p><b>Reported limits.</b> With {@link #submit(String, Mono, Function)}, the platform layer reads
 * each response into a {@link RateLimitInfo}: the bucket it counted against (keys that report the
 * same bucket share its state from then on), how many requests remain until when, and whether the
 * request was refused with a retry-after. A bucket at zero makes its keys wait for the reset; a
 * retry-after pauses exactly that bucket (or, when global, every key) for exactly that long, and the
 * refused request is sent again after the pause, keeping its place in its key's order. A request
 * that fails with a {@link RateLimitedException} is treated as a retry-after for its bucket.
 *
 * <p>All waiting happens on the configured {@link Scheduler}, so tests run in virtual time.
 * Thread-safe; share one instance per connector.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  private final String name;
  private final Scheduler scheduler;
  private final int maxRateLimitRetries;
  private final BiConsumer<? super String, ? super RateLimitInfo> onRateLimited;
  private final LimiterState state;
  private final OrderedLanes lanes = new OrderedLanes();

  private RateLimiter(Builder builder) {
    this.name = builder.name;
    this.scheduler = builder.scheduler;
    this.maxRateLimitRetries = builder.maxRateLimitRetries;
    this.onRateLimited = builder.onRateLimited;
    this.state = new LimiterState(builder.keyQuotas, builder.globalQuota);
  }

  /** A builder: no quotas, 3 retries after a retry-after, on {@link Schedulers#parallel()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code request} under {@code key}'s limits, without reading its response; see
   * {@link #submit(String, Mono, Function)}.
   */
  public <T> Mono<T> submit(String key, Mono<T> request) {
    return submit(key, request, value -> RateLimitInfo.NONE);
  }

  /**
   * Runs {@code request} once every limit for {@code key} allows it and after every earlier request
   * of {@code key} has finished, then applies what {@code rateLimitInfo} reads from its value.
   *
   * <p>Lazy: the request takes its place in the key's order when this mono is subscribed. Emits the
   * request's value. When the value (or a {@link RateLimitedException}) says the request was refused,
   * it waits as told and subscribes to {@code request} again, at most {@code maxRateLimitRetries}
   * times; after that it fails with a {@link RateLimitedException} carrying the last wait. Other
   * errors of {@code request} pass through unchanged; the key's next request runs anyway. Cancelling
   * removes a waiting request from the queue, or cancels a running one.
   *
   * @param request must be re-subscribable (each subscription sends anew), as
   *     {@link ReactiveHttpClient#execute} is
   * @param rateLimitInfo reads the limits from a value; must not block or throw
   */
  public <T> Mono<T> submit(String key, Mono<T> request, Function<? super T, RateLimitInfo> rateLimitInfo) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(rateLimitInfo, "rateLimitInfo");
    return lanes.submit(key, attempt(key, request, rateLimitInfo, 0));
  }

  /** How many keys have requests waiting or running right now. */
  public int activeKeys() {
    return lanes.activeLanes();
  }

  private <T> Mono<T> attempt(String key, Mono<T> request, Function<? super T, RateLimitInfo> rateLimitInfo, int retries) {
    return Mono.defer(() -> {
      long wait = state.tryAcquire(key, now());
      if (wait > 0) {
        if (LOG.isTraceEnabled()) {
          LOG.trace("{}: {} waits {} ms for its rate limit", name, key, TimeUnit.NANOSECONDS.toMillis(wait));
        }
        return Mono.delay(Duration.ofNanos(wait), scheduler).then(attempt(key, request, rateLimitInfo, retries));
      }
      return request.materialize().flatMap(signal -> {
        Throwable failure = signal.getThrowable();
        if (failure instanceof RateLimitedException limited) {
          return refused(key, request, rateLimitInfo, retries, RateLimitInfo.retryAfter(limited.retryAfter()), limited);
        }
        if (failure != null) {
          return Mono.error(failure);
        }
        T value = signal.get();
        if (value == null) {
          return Mono.empty();
        }
        RateLimitInfo info = rateLimitInfo.apply(value);
        if (info.isRateLimited()) {
          return refused(key, request, rateLimitInfo, retries, info, null);
        }
        state.update(key, info, now());
        return Mono.just(value);
      });
    });
  }

  private <T> Mono<T> refused(
      String key,
      Mono<T> request,
      Function<? super T, RateLimitInfo> rateLimitInfo,
      int retries,
      RateLimitInfo info,
      @Nullable RateLimitedException failure) {
    state.update(key, info, now());
    Duration wait = Objects.requireNonNull(info.retryAfter());
    LOG.warn("{}: {} was rate limited{}, waiting {} ms", name, key, info.global() ? " globally" : "", wait.toMillis());
    onRateLimited.accept(key, info);
    if (retries < maxRateLimitRetries) {
      return attempt(key, request, rateLimitInfo, retries + 1);
    }
    return Mono.error(failure != null ? failure : new RateLimitedException(
        name + ": requests for " + key + " were rate limited " + (retries + 1)
            + " times in a row; the platform asks to wait " + wait + " before the next one", wait));
  }

  private long now() {
    return scheduler.now(TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "RateLimiter[" + name + "]";
  }

  /** Options of a {@link RateLimiter}; not thread-safe. */
  public static final class Builder {
    private String name = "rate limiter";
    private Scheduler scheduler = Schedulers.parallel();
    private int maxRateLimitRetries = 3;
    private final List<LimiterState.KeyQuota> keyQuotas = new ArrayList<>();
    private @Nullable Quota globalQuota;
    private BiConsumer<? super String, ? super RateLimitInfo> onRateLimited = (key, info) -> { };

    private Builder() {}

    /**
     * Called with the key and what the platform said each time a request is refused, after the pause
     * took effect: for metrics and events (a 429 means the limits were not known well enough). It
     * must not block. Default does nothing.
     */
    public Builder onRateLimited(BiConsumer<? super String, ? super RateLimitInfo> onRateLimited) {
      this.onRateLimited = Objects.requireNonNull(onRateLimited, "onRateLimited");
      return this;
    }

    /** A name for log lines, e.g. the connector id. */
    public Builder name(String name) {
      if (name.isBlank()) {
        throw new InvalidConfigurationException("rate limiter name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Where waits run and what tells the time; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** A quota every key has on its own, e.g. one message per second per chat. */
    public Builder keyQuota(Quota quota) {
      return keyQuota(key -> true, quota);
    }

    /** A quota each key that {@code appliesTo} accepts has on its own, e.g. 20/min for group chats. */
    public Builder keyQuota(Predicate<? super String> appliesTo, Quota quota) {
      keyQuotas.add(new LimiterState.KeyQuota(
          Objects.requireNonNull(appliesTo, "appliesTo"), Objects.requireNonNull(quota, "quota")));
      return this;
    }

    /** A quota all keys share, e.g. Telegram's 30/s or Discord's 50/s. */
    public Builder globalQuota(Quota quota) {
      if (globalQuota != null) {
        throw new InvalidConfigurationException("globalQuota is already set to " + globalQuota + "; set it once");
      }
      this.globalQuota = Objects.requireNonNull(quota, "quota");
      return this;
    }

    /** How often a refused request is sent again before failing with a RateLimitedException; default 3. */
    public Builder maxRateLimitRetries(int retries) {
      if (retries < 0) {
        throw new InvalidConfigurationException("maxRateLimitRetries must not be negative, was " + retries);
      }
      this.maxRateLimitRetries = retries;
      return this;
    }

    /** The limiter. */
    public RateLimiter build() {
      return new RateLimiter(this);
    }
  }
}
