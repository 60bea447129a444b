package coop.relay.testkit.internal;

import coop.relay.api.Identity;
import coop.relay.api.UserRef;
import org.jspecify.annotations.Nullable;

/**
 * A user account as the platform knows it, independent of the connector id that a connector puts
 * into the {@link UserRef}s it reports.
 */
public record Account(String userId, String displayName, @Nullable String avatarUrl, boolean bot,
    @Nullable String personId) {

  /** The account behind an identity; the identity's connector id is ignored. */
  public static Account of(Identity identity) {
    return new Account(identity.user().userId(), identity.displayName(), identity.avatarUrl(), identity.bot(),
        identity.personId());
  }

  /** This account as seen through the connector {@code connectorId}. */
  public Identity toIdentity(String connectorId) {
    return new Identity(new UserRef(connectorId, userId), displayName, avatarUrl, bot, personId);
  }
}
