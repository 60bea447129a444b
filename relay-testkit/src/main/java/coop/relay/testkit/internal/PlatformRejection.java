package coop.relay.testkit.internal;

/**
 * The platform refused a request (unknown channel, a message that is not there, an edit of someone
 * else's message). Callers translate it: a test acting as a user gets an
 * {@link IllegalArgumentException} (the test is wrong), a connector a permanent
 * {@link coop.relay.api.DeliveryException} (as a real platform's 4xx).
 */
public final class PlatformRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A refusal that says what was wrong. */
  public PlatformRejection(String message) {
    super(message);
  }
}
