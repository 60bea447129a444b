package coop.relay.sandbox.slack.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The arguments of chat.postMessage that the emulator acts on. */
record PostRequest(
    String channel,
    String text,
    @Nullable JsonNode blocks,
    @Nullable JsonNode attachments,
    @Nullable String threadTs,
    boolean replyBroadcast,
    @Nullable String username,
    @Nullable String iconUrl,
    @Nullable String iconEmoji,
    @Nullable ObjectNode metadata,
    boolean unfurlLinks,
    boolean unfurlMedia) {}
