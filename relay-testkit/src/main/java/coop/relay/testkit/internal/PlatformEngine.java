package coop.relay.testkit.internal;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.testkit.ChannelStats;
import coop.relay.testkit.PlatformMessage;
import coop.relay.testkit.Reaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The state of one in-memory platform: channels, messages, files, and the append-only event log
 * that every connection reads from its own cursor.
 *
 * <p>One lock guards all state, so every operation is atomic and the log order is the order in
 * which operations happened. Connections are signalled after the lock is released: they call back
 * into connectors' subscribers, which may act on the platform again.
 */
public final class PlatformEngine {
  private final String name;
  private final Clock clock;
  private final Object lock = new Object();

  // Guarded by lock.
  private final Map<String, ChannelState> channels = new LinkedHashMap<>();
  private final Map<String, byte[]> files = new HashMap<>();
  private final List<LogEntry> log = new ArrayList<>();
  private final Set<Connection> connections = new LinkedHashSet<>();
  private long nextMessageId = 1;
  private long nextEventId = 1;
  private long nextFileId = 1;
  private int duplicateNext;
  private boolean online = true;
  private boolean credentialsRejected;

  /** An empty platform named {@code name} that timestamps with {@code clock}. */
  public PlatformEngine(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** The platform's name. */
  public String name() {
    return name;
  }

  /** The clock for timestamps. */
  public Clock clock() {
    return clock;
  }

  /** The platform's current time. */
  public Instant now() {
    return clock.instant();
  }

  /** Creates the channel; does nothing when it exists. */
  public void createChannel(String channelId) {
    synchronized (lock) {
      channels.computeIfAbsent(channelId, ChannelState::new);
    }
  }

  /** The channel ids in creation order. */
  public List<String> channelIds() {
    synchronized (lock) {
      return List.copyOf(channels.keySet());
    }
  }

  /**
   * Posts one message, or several when a long text was split.
   *
   * @return the ids of the new messages, in order
   * @throws PlatformRejection when the channel, the reply target or the thread root does not exist
   */
  public List<String> post(String channelId, List<Draft> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to post");
    }
    List<String> ids = new ArrayList<>(parts.size());
    List<Connection> toSignal;
    synchronized (lock) {
      ChannelState channel = channel(channelId);
      for (Draft draft : parts) {
        ids.add(postLocked(channel, draft));
      }
      if (parts.get(0).byBridge()) {
        channel.posts++;
      }
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
    return ids;
  }

  private String postLocked(ChannelState channel, Draft draft) {
    StoredMessage target = null;
    if (draft.replyToId() != null) {
      target = liveMessage(channel, draft.replyToId(), "reply target");
    }
    String threadRootId = null;
    if (draft.threadRootId() != null) {
      StoredMessage root = liveMessage(channel, draft.threadRootId(), "thread root");
      // As on Slack and Matrix, a thread has one root: posting "in the thread of" a reply joins its thread.
      threadRootId = root.threadRootId != null ? root.threadRootId : root.id;
    }
    String id = Long.toString(nextMessageId++);
    Instant now = clock.instant();
    StoredMessage message = new StoredMessage(id, draft.author(), draft.byBridge(), draft.text(), draft.markup(),
        draft.attachments(), draft.replyToId(), threadRootId, now, draft.origin());
    channel.messages.put(id, message);
    Payload.Posted payload = new Payload.Posted(id, draft.author(), draft.byBridge(), draft.text(),
        draft.attachments(), draft.replyToId(), target == null ? null : target.author.displayName(),
        target == null ? RichText.empty() : target.text, threadRootId, now, draft.origin());
    append(channel.id, payload, draft.actorRelayId());
    return id;
  }

  /**
   * Replaces a message's content.
   *
   * @throws PlatformRejection when the message does not exist, was deleted, or belongs to someone else
   */
  public void edit(String channelId, String messageId, Account editor, boolean byBridge, RichText text,
      String markup, @Nullable OriginMarker origin, @Nullable String actorRelayId) {
    List<Connection> toSignal;
    synchronized (lock) {
      ChannelState channel = channel(channelId);
      StoredMessage message = liveMessage(channel, messageId, "message");
      if (byBridge && !message.byBridge) {
        throw new PlatformRejection("message " + messageId + " in channel '" + channelId
            + "' was not posted by the bridge, and a bot can only edit its own messages");
      }
      if (!byBridge && !message.author.userId().equals(editor.userId())) {
        throw new PlatformRejection("user '" + editor.userId() + "' cannot edit message " + messageId
            + " of user '" + message.author.userId() + "': only the author can edit a message");
      }
      message.text = text;
      message.markup = markup;
      message.edited = true;
      append(channelId, new Payload.Edited(eventId("edit"), messageId, editor, text, message.attachments,
          clock.instant(), origin), actorRelayId);
      if (byBridge) {
        channel.edits++;
      }
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
  }

  /**
   * Deletes a message.
   *
   * @return {@code false} when the message did not exist or was already deleted (nothing happened)
   * @throws PlatformRejection when the channel does not exist
   */
  public boolean delete(String channelId, String messageId, boolean byBridge, @Nullable String actorRelayId) {
    List<Connection> toSignal;
    synchronized (lock) {
      ChannelState channel = channel(channelId);
      if (byBridge) {
        channel.deletes++;
      }
      StoredMessage message = channel.messages.get(messageId);
      if (message == null || message.deleted) {
        return false;
      }
      message.deleted = true;
      append(channelId, new Payload.Deleted(eventId("delete"), messageId, clock.instant()), actorRelayId);
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
    return true;
  }

  /**
   * Adds or removes a reaction.
   *
   * @return {@code false} when nothing changed (the reaction was already there, or was not there to remove)
   * @throws PlatformRejection when the message does not exist or was deleted
   */
  public boolean react(String channelId, String messageId, Account user, Emoji emoji, boolean add, boolean byBridge,
      @Nullable String actorRelayId) {
    List<Connection> toSignal;
    synchronized (lock) {
      ChannelState channel = channel(channelId);
      StoredMessage message = liveMessage(channel, messageId, "message");
      if (byBridge) {
        if (add) {
          channel.reactionsAdded++;
        } else {
          channel.reactionsRemoved++;
        }
      }
      String key = StoredMessage.reactionKey(emoji, user);
      boolean changed = add
          ? message.reactions.putIfAbsent(key, new StoredMessage.StoredReaction(emoji, user, byBridge)) == null
          : message.reactions.remove(key) != null;
      if (!changed) {
        return false;
      }
      append(channelId, new Payload.Reacted(eventId(add ? "react" : "unreact"), messageId, user, emoji, add,
          clock.instant()), actorRelayId);
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
    return true;
  }

  /** Counts an operation that an injected fault failed. */
  public void countFailure(String channelId) {
    synchronized (lock) {
      ChannelState channel = channels.get(channelId);
      if (channel != null) {
        channel.failures++;
      }
    }
  }

  /** The connectors' operation counts in a channel; all zero for an unknown channel. */
  public ChannelStats stats(String channelId) {
    synchronized (lock) {
      ChannelState channel = channels.get(channelId);
      return channel == null ? ChannelStats.EMPTY : channel.stats();
    }
  }

  /**
   * What the channel shows, oldest first, deleted messages included as tombstones.
   *
   * @throws PlatformRejection when the channel does not exist
   */
  public List<PlatformMessage> history(String channelId) {
    synchronized (lock) {
      ChannelState channel = channel(channelId);
      List<PlatformMessage> out = new ArrayList<>(channel.messages.size());
      for (StoredMessage m : channel.messages.values()) {
        out.add(snapshot(channelId, m));
      }
      return List.copyOf(out);
    }
  }

  /** One message as the channel shows it, or {@code null} when there is no such message. */
  public @Nullable PlatformMessage message(String channelId, String messageId) {
    synchronized (lock) {
      ChannelState channel = channels.get(channelId);
      StoredMessage m = channel == null ? null : channel.messages.get(messageId);
      return m == null ? null : snapshot(channelId, m);
    }
  }

  private PlatformMessage snapshot(String channelId, StoredMessage m) {
    ChannelRef ref = new ChannelRef(name, channelId);
    List<Reaction> reactions = new ArrayList<>(m.reactions.size());
    for (StoredMessage.StoredReaction r : m.reactions.values()) {
      reactions.add(new Reaction(r.emoji(), r.user().toIdentity(name), r.byBridge()));
    }
    return new PlatformMessage(ref.message(m.id), m.author.toIdentity(name), m.byBridge, m.text, m.markup,
        m.attachments, m.replyToId == null ? null : ref.message(m.replyToId),
        m.threadRootId == null ? null : ref.message(m.threadRootId), reactions, m.edited, m.deleted, m.origin,
        m.timestamp);
  }

  /** Stores a file and describes it as an attachment that links to it. */
  public Attachment storeFile(String fileName, String mediaType, byte[] content) {
    synchronized (lock) {
      String id = "file-" + nextFileId++;
      files.put(id, content.clone());
      return new Attachment(id, fileName, mediaType, content.length,
          "https://" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + ".invalid/files/" + id,
          kindOf(mediaType));
    }
  }

  private static Attachment.Kind kindOf(String mediaType) {
    if (mediaType.startsWith("image/")) {
      return Attachment.Kind.IMAGE;
    }
    if (mediaType.startsWith("video/")) {
      return Attachment.Kind.VIDEO;
    }
    if (mediaType.startsWith("audio/")) {
      return Attachment.Kind.AUDIO;
    }
    return Attachment.Kind.FILE;
  }

  /** The bytes of a stored file, or {@code null} when there is none with that id. */
  public byte @Nullable [] file(String fileId) {
    synchronized (lock) {
      byte[] content = files.get(fileId);
      return content == null ? null : content.clone();
    }
  }

  /** Puts a payload no connector can parse into the log. */
  public void injectMalformed(String channelId, String raw) {
    List<Connection> toSignal;
    synchronized (lock) {
      append(channelId, new Payload.Malformed(raw), null);
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
  }

  /** Lets each of the next {@code count} events be logged (and so delivered) twice. */
  public void duplicateNext(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    synchronized (lock) {
      duplicateNext += count;
    }
  }

  /** How many events the log holds; the highest sequence number. */
  public long logSize() {
    synchronized (lock) {
      return log.size();
    }
  }

  /** The entry after sequence number {@code position}, or {@code null} when the log has no more. */
  public @Nullable LogEntry entryAfter(long position) {
    synchronized (lock) {
      return position >= 0 && position < log.size() ? log.get((int) position) : null;
    }
  }

  /** Whether connections are accepted. */
  public boolean isOnline() {
    synchronized (lock) {
      return online;
    }
  }

  /** Drops every connection; they report RECONNECTING and receive nothing until {@link #reconnect()}. */
  public void disconnect() {
    setOnline(false, ConnectorState.RECONNECTING, name + " dropped the connection");
  }

  /** Lets every connection in again; each reports CONNECTED and then receives what it missed. */
  public void reconnect() {
    setOnline(true, ConnectorState.CONNECTED, name + " accepted the connection again");
  }

  private void setOnline(boolean value, ConnectorState state, String detail) {
    List<Connection> toSignal;
    synchronized (lock) {
      if (online == value) {
        return;
      }
      online = value;
      for (Connection c : connections) {
        c.enqueueState(state, detail);
      }
      toSignal = List.copyOf(connections);
    }
    signal(toSignal);
  }

  /** Whether new connections are refused for bad credentials. */
  public void rejectCredentials(boolean value) {
    synchronized (lock) {
      credentialsRejected = value;
    }
  }

  /** See {@link #rejectCredentials(boolean)}. */
  public boolean credentialsRejected() {
    synchronized (lock) {
      return credentialsRejected;
    }
  }

  /** Starts delivering the log to a new connection, which first reports whether it is connected. */
  void register(Connection connection) {
    synchronized (lock) {
      if (connection.isCancelled()) {
        return;
      }
      connections.add(connection);
      if (online) {
        connection.enqueueState(ConnectorState.CONNECTED, null);
      } else {
        connection.enqueueState(ConnectorState.RECONNECTING, name + " is unreachable; waiting for it");
      }
    }
    connection.signal();
  }

  void unregister(Connection connection) {
    synchronized (lock) {
      connections.remove(connection);
    }
  }

  private void append(String channelId, Payload payload, @Nullable String actorRelayId) {
    log.add(new LogEntry(log.size() + 1L, channelId, payload, actorRelayId));
    if (duplicateNext > 0) {
      duplicateNext--;
      log.add(new LogEntry(log.size() + 1L, channelId, payload, actorRelayId));
    }
  }

  private String eventId(String kind) {
    return kind + "-" + nextEventId++;
  }

  private ChannelState channel(String channelId) {
    ChannelState channel = channels.get(channelId);
    if (channel == null) {
      throw new PlatformRejection("channel '" + channelId + "' does not exist on " + name
          + "; create it first (InMemoryPlatform.createChannel)");
    }
    return channel;
  }

  private static StoredMessage liveMessage(ChannelState channel, String messageId, String what) {
    StoredMessage message = channel.messages.get(messageId);
    if (message == null) {
      throw new PlatformRejection(what + " " + messageId + " does not exist in channel '" + channel.id + "'");
    }
    if (message.deleted) {
      throw new PlatformRejection(what + " " + messageId + " in channel '" + channel.id + "' was deleted");
    }
    return message;
  }

  private static void signal(List<Connection> toSignal) {
    for (Connection c : toSignal) {
      c.signal();
    }
  }
}
