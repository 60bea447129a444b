package coop.relay.sandbox.slack.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One message of a channel as Slack stores it. Guarded by the state's lock; {@link Wire} renders it.
 */
final class SlackMessage {
  final String channelId;
  final String ts;
  /** The author's user id: a person, or the bot user of the app that posted it. */
  final String user;
  /** The app that posted it, or {@code null} for a person's message. */
  final @Nullable SlackApp app;
  final @Nullable String subtype;
  final @Nullable String username;
  final @Nullable String iconUrl;
  final @Nullable String iconEmoji;
  final @Nullable String clientMsgId;
  final @Nullable String threadTs;
  String text;
  @Nullable JsonNode blocks;
  @Nullable JsonNode attachments;
  @Nullable ObjectNode metadata;
  final List<SlackFile> files = new ArrayList<>();
  @Nullable String editedTs;
  @Nullable String editedBy;
  boolean deleted;
  /** Reaction name to the users who reacted, in the order reactions were first added. */
  final Map<String, List<String>> reactions = new LinkedHashMap<>();
  /** For a thread root: the replies' ts and the users who replied. */
  final List<String> replies = new ArrayList<>();
  final Set<String> replyUsers = new LinkedHashSet<>();

  SlackMessage(
      String channelId,
      String ts,
      String user,
      @Nullable SlackApp app,
      @Nullable String subtype,
      @Nullable String username,
      @Nullable String iconUrl,
      @Nullable String iconEmoji,
      @Nullable String clientMsgId,
      @Nullable String threadTs,
      String text) {
    this.channelId = channelId;
    this.ts = ts;
    this.user = user;
    this.app = app;
    this.subtype = subtype;
    this.username = username;
    this.iconUrl = iconUrl;
    this.iconEmoji = iconEmoji;
    this.clientMsgId = clientMsgId;
    this.threadTs = threadTs;
    this.text = text;
  }

  /** Whether this is a reply inside a thread (not the thread's root). */
  boolean isReply() {
    return threadTs != null && !threadTs.equals(ts);
  }

  /** Whether the app posted it under a name or icon of its choosing ({@code bot_message}). */
  boolean isPuppet() {
    return "bot_message".equals(subtype);
  }
}
