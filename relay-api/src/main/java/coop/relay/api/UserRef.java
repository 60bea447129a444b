package coop.relay.api;

/**
 * A user (or bot) account on one connector.
 *
 * @param connectorId the connector the account belongs to
 * @param userId the platform's id of the account
 */
public record UserRef(String connectorId, String userId) {
  /** @throws IllegalArgumentException if either id is blank */
  public UserRef {
    Checks.notBlank(connectorId, "connectorId");
    Checks.notBlank(userId, "userId");
  }

  @Override
  public String toString() {
    return connectorId + ":" + userId;
  }
}
