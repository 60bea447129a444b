package coop.relay.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * One text frame of a Socket Mode connection.
 *
 * @param type {@code hello}, {@code disconnect}, {@code events_api}, {@code slash_commands},
 *     {@code interactive}
 * @param envelopeId the id to acknowledge
 * @param retryAttempt how often Slack delivered this envelope before
 * @param reason why Slack disconnects ({@code refresh_requested}, {@code warning}, {@code link_disabled})
 * @param appId the app id a {@code hello} names
 * @param payload the Events API callback of an {@code events_api} envelope
 */
record SocketFrame(
    @Nullable String type,
    @Nullable String envelopeId,
    int retryAttempt,
    @Nullable String reason,
    @Nullable String appId,
    @Nullable Callback payload) {}
