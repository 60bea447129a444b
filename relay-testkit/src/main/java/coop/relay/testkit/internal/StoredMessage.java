package coop.relay.testkit.internal;

import coop.relay.api.Attachment;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A message in a channel; mutable, guarded by the engine's lock. */
final class StoredMessage {
  final String id;
  final Account author;
  final boolean byBridge;
  final @Nullable String replyToId;
  final @Nullable String threadRootId;
  final Instant timestamp;
  final @Nullable OriginMarker origin;
  RichText text;
  String markup;
  List<Attachment> attachments;
  boolean edited;
  boolean deleted;
  /** Keyed by emoji key and user id, so that one user's reaction is counted once. */
  final Map<String, StoredReaction> reactions = new LinkedHashMap<>();

  StoredMessage(String id, Account author, boolean byBridge, RichText text, String markup,
      List<Attachment> attachments, @Nullable String replyToId, @Nullable String threadRootId, Instant timestamp,
      @Nullable OriginMarker origin) {
    this.id = id;
    this.author = author;
    this.byBridge = byBridge;
    this.text = text;
    this.markup = markup;
    this.attachments = List.copyOf(attachments);
    this.replyToId = replyToId;
    this.threadRootId = threadRootId;
    this.timestamp = timestamp;
    this.origin = origin;
  }

  static String reactionKey(Emoji emoji, Account user) {
    String unicode = emoji.unicode();
    return (unicode != null ? "u:" + unicode : "c:" + emoji.name()) + "|" + user.userId();
  }

  /** One reaction; {@code byBridge} when a connector added it. */
  record StoredReaction(Emoji emoji, Account user, boolean byBridge) {}
}
