package coop.relay.sandbox.discord.internal;

/**
 * One application with its bot user, as configured in the Developer Portal: its token and which
 * privileged intents are enabled for it.
 */
final class BotApp {
  final String token;
  final DcUser user;
  final long applicationId;
  /** The privileged intent bits (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT) it may ask for. */
  final long privilegedAllowed;
  int sessionStartsRemaining;

  BotApp(String token, DcUser user, long applicationId, long privilegedAllowed, int sessionStarts) {
    this.token = token;
    this.user = user;
    this.applicationId = applicationId;
    this.privilegedAllowed = privilegedAllowed;
    this.sessionStartsRemaining = sessionStarts;
  }

  @Override
  public String toString() {
    return "BotApp[" + user.username() + "]";
  }
}
