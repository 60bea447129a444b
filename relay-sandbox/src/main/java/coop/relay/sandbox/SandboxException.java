package coop.relay.sandbox;

/**
 * A control-API request the emulator refused: an unknown id, an invalid argument, or an action that
 * conflicts with the platform's state. The message says what to fix.
 */
public final class SandboxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused; maps to the HTTP status of the control API. */
  public enum Reason {
    /** An argument is missing or invalid (HTTP 400). */
    INVALID(400),
    /** A channel, user, message or file does not exist (HTTP 404). */
    NOT_FOUND(404),
    /** The action conflicts with the current state, e.g. editing a deleted message (HTTP 409). */
    CONFLICT(409);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status the control API answers with. */
    public int status() {
      return status;
    }
  }

  private final Reason reason;

  /** @param message what went wrong and what to do instead */
  public SandboxException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the request was refused. */
  public Reason reason() {
    return reason;
  }

  /** Shorthand for a {@link Reason#NOT_FOUND} exception. */
  public static SandboxException notFound(String message) {
    return new SandboxException(Reason.NOT_FOUND, message);
  }

  /** Shorthand for an {@link Reason#INVALID} exception. */
  public static SandboxException invalid(String message) {
    return new SandboxException(Reason.INVALID, message);
  }

  /** Shorthand for a {@link Reason#CONFLICT} exception. */
  public static SandboxException conflict(String message) {
    return new SandboxException(Reason.CONFLICT, message);
  }
}
