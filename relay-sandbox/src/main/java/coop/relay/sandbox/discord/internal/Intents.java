package coop.relay.sandbox.discord.internal;

/** Gateway intent bits, as the Gateway documentation lists them. */
final class Intents {
  static final long GUILDS = 1L;
  static final long GUILD_MEMBERS = 1L << 1;
  static final long GUILD_PRESENCES = 1L << 8;
  static final long GUILD_MESSAGES = 1L << 9;
  static final long GUILD_MESSAGE_REACTIONS = 1L << 10;
  static final long MESSAGE_CONTENT = 1L << 15;
  static final long PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
  /** Every documented bit: 0-16, 20, 21, 24, 25. */
  static final long KNOWN = ((1L << 17) - 1) | (1L << 20) | (1L << 21) | (1L << 24) | (1L << 25);

  private Intents() {}

  static String privilegedNames(long bits) {
    StringBuilder out = new StringBuilder();
    if ((bits & GUILD_MEMBERS) != 0) {
      out.append("GUILD_MEMBERS (Server Members Intent)");
    }
    if ((bits & GUILD_PRESENCES) != 0) {
      out.append(out.isEmpty() ? "" : ", ").append("GUILD_PRESENCES (Presence Intent)");
    }
    if ((bits & MESSAGE_CONTENT) != 0) {
      out.append(out.isEmpty() ? "" : ", ").append("MESSAGE_CONTENT (Message Content Intent)");
    }
    return out.toString();
  }
}
