package coop.relay.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who wrote a message, as far as the bridge shows it.
 *
 * @param user the account on its own platform
 * @param displayName the name to show on other platforms; never blank
 * @param avatarUrl a publicly fetchable avatar image, or {@code null}
 * @param bot whether the account is a bot
 * @param personId an optional cross-platform id that links the accounts of one person; mentions of
 *     linked people may ping them on other platforms, mentions of anyone else never do
 */
public record Identity(
    UserRef user, String displayName, @Nullable String avatarUrl, boolean bot, @Nullable String personId) {

  /** @throws IllegalArgumentException if the display name is blank */
  public Identity {
    Objects.requireNonNull(user, "user");
    Checks.notBlank(displayName, "displayName");
  }

  /** A human identity with a name and no avatar. */
  public static Identity of(UserRef user, String displayName) {
    return new Identity(user, displayName, null, false, null);
  }

  /** A copy with the given avatar. */
  public Identity withAvatarUrl(@Nullable String url) {
    return new Identity(user, displayName, url, bot, personId);
  }

  /** A copy linked to the given cross-platform person. */
  public Identity withPersonId(@Nullable String id) {
    return new Identity(user, displayName, avatarUrl, bot, id);
  }
}
