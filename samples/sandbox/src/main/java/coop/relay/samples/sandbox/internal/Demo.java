package coop.relay.samples.sandbox.internal;

import coop.relay.spi.Backoff;
import java.time.Duration;

/** Settings that suit a live demo on one machine better than the production defaults. */
public final class Demo {
  /**
   * Reconnect quickly: the sandbox's outages are a button press, and a person watching wants to see
   * the catch-up within seconds of pressing Start, not after a minute of backoff.
   */
  static final Backoff RECONNECT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 2.0, 0.2);

  /**
   * Retry deliveries to a platform that is down every few seconds, for about ten minutes, so that a
   * message sent during a demo outage arrives within moments of pressing Start instead of waiting out
   * a long backoff, and an outage of several minutes loses nothing.
   */
  public static final Backoff DELIVERY_RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(3), 2.0, 0.2);

  /** See {@link #DELIVERY_RETRY}: about ten minutes of attempts. */
  public static final int DELIVERY_ATTEMPTS = 200;

  private Demo() {}
}
