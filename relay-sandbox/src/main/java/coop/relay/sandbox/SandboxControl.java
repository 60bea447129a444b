package coop.relay.sandbox;

import coop.relay.sandbox.internal.RemoteControl;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The control API shared by every platform emulator: one shape for Telegram, Discord, Slack and
 * Matrix, so that the sandbox web page and cross-platform tests can drive any of them.
 *
 * <p>Identifiers are the platform's own ids as strings (a Telegram chat id {@code -1001234567890},
 * a Slack ts {@code 1700000000.000100}, a Matrix event id). Text is in the platform's own markup; each
 * emulator's class documentation says which markup it accepts and how it stores it.
 *
 * <p>All methods are lazy: nothing happens until subscription. They fail with {@link
 * SandboxException} when an id is unknown or an argument is invalid; cancelling a subscription
 * before it completes may or may not leave the action done (as with any remote call).
 *
 * <p>Over HTTP the same API is served under {@link #HTTP_PREFIX} on each emulator's server, with JSON
 * bodies that mirror the records of this package:
 *
 * <pre>
 * GET    /_sandbox                                          {"platform":"telegram"}
 * GET    /_sandbox/users                                    [SandboxUser]
 * POST   /_sandbox/users                  NewUser           SandboxUser
 * GET    /_sandbox/channels                                 [SandboxChannel]
 * POST   /_sandbox/channels               NewChannel        SandboxChannel
 * GET    /_sandbox/channels/{c}/messages                    [HistoryEntry]
 * POST   /_sandbox/channels/{c}/messages  Post              HistoryEntry
 * POST   /_sandbox/channels/{c}/threads   {userId,title}    HistoryEntry (the thread's root)
 * PATCH  /_sandbox/channels/{c}/messages/{m}  {userId,text} HistoryEntry
 * DELETE /_sandbox/channels/{c}/messages/{m}?userId=u       204
 * POST   /_sandbox/channels/{c}/messages/{m}/reactions {userId,emoji}      204
 * DELETE /_sandbox/channels/{c}/messages/{m}/reactions?userId=u&amp;emoji=e   204
 * GET    /_sandbox/files/{id}                               the file's bytes
 * POST   /_sandbox/faults                 Fault             204
 * DELETE /_sandbox/faults                                   204
 * GET    /_sandbox/events?after=n         text/event-stream of SandboxEvent (Last-Event-ID honoured)
 * </pre>
 *
 * Path segments are URL-encoded; errors answer {@code {"error":"...","message":"..."}} with status
 * 400 (invalid), 404 (unknown id) or 409 (conflict). The {@code channelId} of a posted {@link Post}
 * is taken from the path.
 */
public interface SandboxControl {

  /** The path prefix of the control API on every emulator's server. */
  String HTTP_PREFIX = "/_sandbox";

  /**
   * A client of the HTTP control API of the emulator at {@code baseUrl} (its base URL as given by
   * {@link RelaySandbox#baseUrl(String)}), for tests that drive an emulator in another process.
   *
   * <p>Emits the client once the emulator answered which platform it emulates; fails if it cannot
   * be reached or is no sandbox emulator.
   *
   * @throws IllegalArgumentException if {@code baseUrl} is not an http(s) URL
   */
  static Mono<SandboxControl> remote(String baseUrl) {
    return RemoteControl.connect(baseUrl);
  }

  /** The platform this control API belongs to, e.g. {@code telegram}. */
  String platform();

  /** Emits every user the platform knows, bots included, in creation order, then completes. */
  Flux<SandboxUser> users();

  /** Creates a user and emits it; fails with {@code INVALID} if the display name is blank. */
  Mono<SandboxUser> createUser(NewUser user);

  /** Emits every channel (chat, room, conversation), in creation order, then completes. */
  Flux<SandboxChannel> channels();

  /**
   * Creates a channel and emits it; fails with {@code INVALID} for a type the platform does not
   * have. The emulated bots are members of every channel.
   */
  Mono<SandboxChannel> createChannel(NewChannel channel);

  /**
   * Posts a message as a (human) user and emits it as stored. The platform delivers it to the bots as
   * it would (an update, an event, a sync). Fails with {@code NOT_FOUND} for an unknown channel, user,
   * reply target or thread, and with {@code INVALID} for text the platform would refuse.
   */
  Mono<HistoryEntry> post(Post post);

  /**
   * Opens a thread (a forum topic on Telegram, a thread root elsewhere) titled {@code title} and
   * emits its root entry; post into it with {@link Post#withThread(String)} and the root's id.
   */
  Mono<HistoryEntry> createThread(String channelId, String userId, String title);

  /** Edits a message's text as the user who posted it and emits the new state. */
  Mono<HistoryEntry> edit(String channelId, String messageId, String userId, String text);

  /** Deletes a message as {@code userId}; it stays in the history, marked deleted. */
  Mono<Void> delete(String channelId, String messageId, String userId);

  /** Adds {@code emoji} (a Unicode emoji) to a message as {@code userId}. */
  Mono<Void> react(String channelId, String messageId, String userId, String emoji);

  /** Removes {@code userId}'s {@code emoji} reaction from a message. */
  Mono<Void> unreact(String channelId, String messageId, String userId, String emoji);

  /**
   * Emits a channel's history oldest first, deleted messages included (marked), exactly as the
   * platform stores it, then completes. Fails with {@code NOT_FOUND} for an unknown channel.
   */
  Flux<HistoryEntry> history(String channelId);

  /** Emits the content of an attachment by its {@link SandboxAttachment#id()}. */
  Mono<SandboxFile> file(String attachmentId);

  /**
   * Makes the platform API misbehave for the next requests, in the platform's own way (a Telegram 429
   * body with {@code retry_after}, a Discord 429 with its headers); faults queue in the order added.
   */
  Mono<Void> injectFault(Fault fault);

  /** Removes every fault that has not fired yet. */
  Mono<Void> clearFaults();

  /**
   * Follows every change of this emulator's state (messages by users and by bots, edits, deletes,
   * reactions, new users and channels), live, from the subscription on. Never completes while the
   * emulator lives; cancel to stop following. Slow subscribers get events buffered, not dropped.
   */
  Flux<SandboxEvent> changes();

  /**
   * Like {@link #changes()}, but first replays the remembered changes whose {@link
   * SandboxEvent#sequence()} is above {@code sequence} (the emulator remembers the latest two
   * thousand), so a follower that reconnects misses nothing. {@code changesAfter(0)} replays all that
   * are remembered.
   */
  Flux<SandboxEvent> changesAfter(long sequence);
}
