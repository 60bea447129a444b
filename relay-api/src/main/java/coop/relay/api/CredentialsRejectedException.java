package coop.relay.api;

import org.jspecify.annotations.Nullable;

/**
 * The platform refused the connector's credentials (a revoked token, a wrong signing secret).
 * Retrying will not help; the connector stays in the bad-credentials state until it is reconfigured.
 */
public class CredentialsRejectedException extends RelayException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;
  private final String connectorId;

  /**
   * @param connectorId the connector whose credentials were rejected
   * @param message what the platform said, without the secret
   * @param cause the underlying failure, or {@code null}
   */
  public CredentialsRejectedException(String connectorId, String message, @Nullable Throwable cause) {
    super("connector '" + connectorId + "': " + message, cause);
    this.connectorId = connectorId;
  }

  /** The id of the connector whose credentials were rejected. */
  public String connectorId() {
    return connectorId;
  }
}
