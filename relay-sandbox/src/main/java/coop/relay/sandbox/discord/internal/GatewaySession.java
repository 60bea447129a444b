package coop.relay.sandbox.discord.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * A gateway session: what an Identify started and a Resume continues. It numbers its dispatches
 * and keeps the latest of them, so that a client that lost its connection gets the ones it missed
 * replayed on Resume. Guarded by the state's lock.
 */
final class GatewaySession {
  /** A sent dispatch: its sequence number and its JSON text. */
  record Frame(long seq, String text) {}

  final String id;
  final BotApp bot;
  final long intents;
  /** Whether the emulated guild belongs to this session's shard. */
  final boolean hasGuild;
  long seq;
  final Deque<Frame> buffer = new ArrayDeque<>();
  @Nullable GatewayConnection connection;
  long detachedAt;

  GatewaySession(String id, BotApp bot, long intents, boolean hasGuild) {
    this.id = id;
    this.bot = bot;
    this.intents = intents;
    this.hasGuild = hasGuild;
  }

  boolean wants(long intent) {
    return intent == 0 || (intents & intent) != 0;
  }

  /** The lowest sequence number still buffered, or {@code seq + 1} when nothing is. */
  long oldestBuffered() {
    Frame first = buffer.peekFirst();
    return first == null ? seq + 1 : first.seq();
  }

  @Override
  public String toString() {
    return "GatewaySession[" + id + " " + bot + " seq=" + seq + "]";
  }
}
