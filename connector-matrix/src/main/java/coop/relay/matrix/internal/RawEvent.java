package coop.relay.matrix.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A client-format event as the homeserver serves it in {@code /sync}, {@code /messages} and
 * application-service transactions, before the connector made sense of it. Fields are nullable
 * because payloads come from the network; {@link EventDecoder} skips events that lack what it needs.
 *
 * @param type the event type, e.g. {@code m.room.message}
 * @param eventId the event id
 * @param sender who sent it
 * @param originServerTs when, in milliseconds since the epoch
 * @param roomId the room, absent in {@code /sync} (where the room is the key above the event)
 * @param stateKey present on state events only
 * @param content the event content
 * @param unsigned what the server added (redaction, transaction id, age)
 * @param redacts the redacted event of a redaction in rooms before version 11 (later it is in the content)
 */
record RawEvent(
    @Nullable String type,
    @Nullable String eventId,
    @Nullable String sender,
    long originServerTs,
    @Nullable String roomId,
    @Nullable String stateKey,
    @Nullable JsonNode content,
    @Nullable JsonNode unsigned,
    @Nullable String redacts) {}
