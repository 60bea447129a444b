package coop.relay.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * An Events API request body (the {@code payload} of a Socket Mode {@code events_api} envelope):
 * the outer callback with the event inside.
 *
 * @param type {@code event_callback}, {@code url_verification}, {@code app_rate_limited}; the
 *     samples leave it empty
 * @param eventId the event's id, the same on every retry
 * @param challenge the {@code url_verification} challenge
 * @param apiAppId the app the event is for
 * @param event the event, or {@code null} when there was none
 */
record Callback(
    @Nullable String type,
    @Nullable String eventId,
    @Nullable String challenge,
    @Nullable String apiAppId,
    @Nullable SlackEvent event) {}
