package coop.relay.slack.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who the connector is on Slack, as {@code auth.test} tells: what its own posts, edits and reactions
 * carry, so their echoes are dropped.
 *
 * @param userId the bot user's id ({@code U...})
 * @param botId the bot's id ({@code B...}), or {@code null}
 * @param appId the app's id ({@code A...}), or {@code null}
 * @param teamId the workspace, or {@code null}
 */
record SelfIdentity(String userId, @Nullable String botId, @Nullable String appId, @Nullable String teamId) {
  SelfIdentity {
    Objects.requireNonNull(userId, "userId");
  }

  /** Whether a message with these author fields was posted by this connector's bot or app. */
  boolean posted(@Nullable String user, @Nullable String bot, @Nullable String app) {
    return userId.equals(user)
        || botId != null && botId.equals(bot)
        || appId != null && appId.equals(app);
  }
}
