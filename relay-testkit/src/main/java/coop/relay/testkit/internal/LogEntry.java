package coop.relay.testkit.internal;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the platform's event log, which every connection reads from its own position.
 *
 * @param seq the position in the log, from 1; a connection's cursor is the last seq it handled
 * @param channelId the channel the event happened in
 * @param payload what happened
 * @param actorRelayId the relay whose connector caused the event, or {@code null} when a user did;
 *     stands in for "our own bot account did this", which real connectors recognise
 */
public record LogEntry(long seq, String channelId, Payload payload, @Nullable String actorRelayId) {}
