package coop.relay.api;

/** A builder or option was given something it cannot work with; the message names the option and the fix. */
public class InvalidConfigurationException extends RelayException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;

  /** @param message the option to fix and how */
  public InvalidConfigurationException(String message) {
    super(message);
  }
}
