package coop.relay.sandbox.discord.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One gateway event for every session whose intents include {@code intent}. For message events,
 * {@code messageAuthorId} and {@code mentionIds} let each session apply the MESSAGE_CONTENT rule:
 * without that intent, content, embeds, attachments and components arrive empty unless the bot
 * wrote the message or is mentioned in it.
 */
record Dispatch(
    String type, long intent, ObjectNode payload, @Nullable Long messageAuthorId, List<Long> mentionIds) {

  static Dispatch of(String type, long intent, ObjectNode payload) {
    return new Dispatch(type, intent, payload, null, List.of());
  }
}
