package coop.relay.discord.internal;

import org.jspecify.annotations.Nullable;

/**
 * One Gateway payload: opcode, sequence, dispatch type and the data, bound to the {@link Wire}
 * record of its dispatch type (or a {@code JsonNode} for other opcodes).
 *
 * @param op the opcode
 * @param sequence {@code s}: the dispatch's sequence number, or {@code null}
 * @param type {@code t}: the dispatch's event name, or {@code null}
 * @param data {@code d}, bound; {@code null} when absent, not needed, or malformed
 * @param malformed whether {@code d} was there but could not be read (the dispatch is skipped)
 */
record Frame(int op, @Nullable Long sequence, @Nullable String type, @Nullable Object data, boolean malformed) {
  static final int DISPATCH = 0;
  static final int HEARTBEAT = 1;
  static final int IDENTIFY = 2;
  static final int RESUME = 6;
  static final int RECONNECT = 7;
  static final int INVALID_SESSION = 9;
  static final int HELLO = 10;
  static final int HEARTBEAT_ACK = 11;
}
