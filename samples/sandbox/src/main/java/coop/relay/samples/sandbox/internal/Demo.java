package coop.relay.samples.sandbox.internal;

import coop.relay.spi.Backoff;
import java.time.Duration;

/** Settings that suit a live demo on one machine better than the connectors' production defaults. */
final class Demo {
  /**
   * Reconnect quickly: the sandbox's outages are a button press, and a person watching wants to see
   * the catch-up within seconds of pressing Start, not after a minute of backoff.
   */
  static final Backoff RECONNECT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 2.0, 0.2);

  private Demo() {}
}
