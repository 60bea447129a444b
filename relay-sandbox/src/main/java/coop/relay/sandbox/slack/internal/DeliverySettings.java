package coop.relay.sandbox.slack.internal;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How Slack delivers events, from the emulator's builder.
 *
 * @param ackTimeout how long Slack waits for a Socket Mode ack or an HTTP 2xx (3 s on Slack)
 * @param socketRetries how often an unacknowledged Socket Mode envelope is sent again
 * @param httpRetryDelays the waits before each Events API retry (Slack: nearly at once, 1 min, 5 min)
 * @param refreshAfter the age at which Slack refreshes a Socket Mode connection, or {@code null}
 * @param refreshGrace how long a refreshed connection stays open after its {@code disconnect}
 */
record DeliverySettings(
    Duration ackTimeout,
    int socketRetries,
    List<Duration> httpRetryDelays,
    @Nullable Duration refreshAfter,
    Duration refreshGrace) {}
