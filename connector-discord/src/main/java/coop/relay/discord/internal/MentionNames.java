package coop.relay.discord.internal;

import org.jspecify.annotations.Nullable;

/** The names the parser shows for mentions, from the message's {@code mentions} and the guild caches. */
interface MentionNames {
  /** No names known: mentions show their ids. */
  MentionNames NONE = new MentionNames() {};

  /** The display name of user {@code id}, or {@code null}. */
  default @Nullable String user(String id) {
    return null;
  }

  /** The name of channel {@code id}, or {@code null}. */
  default @Nullable String channel(String id) {
    return null;
  }

  /** The name of role {@code id}, or {@code null}. */
  default @Nullable String role(String id) {
    return null;
  }
}
