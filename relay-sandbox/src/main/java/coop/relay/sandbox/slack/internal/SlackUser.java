package coop.relay.sandbox.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * A member of the emulated workspace: a person, or the bot user of an app.
 *
 * @param id the user id ({@code U...})
 * @param name the legacy handle ({@code name} in users.info)
 * @param realName the full name
 * @param displayName the name people chose to show
 * @param avatarUrl their picture, or {@code null} for Slack's default
 * @param botId for bot users, their bot id ({@code B...})
 * @param appId for bot users, their app's id ({@code A...})
 * @param updated when the profile last changed, epoch seconds
 */
record SlackUser(
    String id,
    String name,
    String realName,
    String displayName,
    @Nullable String avatarUrl,
    @Nullable String botId,
    @Nullable String appId,
    long updated) {

  boolean bot() {
    return botId != null;
  }

  /** What Slack clients show next to the user's messages: the display name, else the real name. */
  String shownName() {
    return displayName.isEmpty() ? realName : displayName;
  }
}
