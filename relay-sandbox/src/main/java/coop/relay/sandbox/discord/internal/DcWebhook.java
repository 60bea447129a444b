package coop.relay.sandbox.discord.internal;

import org.jspecify.annotations.Nullable;

/** A channel's incoming webhook (type 1), created by a bot. */
final class DcWebhook {
  final long id;
  final String token;
  final long channelId;
  final long creatorId;
  final long applicationId;
  String name;
  @Nullable String avatarUrl;
  @Nullable String avatarHash;

  DcWebhook(long id, String token, long channelId, long creatorId, long applicationId, String name) {
    this.id = id;
    this.token = token;
    this.channelId = channelId;
    this.creatorId = creatorId;
    this.applicationId = applicationId;
    this.name = name;
  }

  @Override
  public String toString() {
    // The token is a secret.
    return "DcWebhook[" + id + " " + name + "]";
  }
}
