package coop.relay.matrix.internal;

import coop.relay.api.DeliveryException;

/**
 * A permanent refusal by the homeserver that carries its {@code errcode}, so that callers can treat
 * some refusals as success ({@code M_USER_IN_USE} when registering a ghost that exists,
 * {@code M_NOT_FOUND} when deleting what is gone).
 */
final class MatrixApiException extends DeliveryException {
  @java.io.Serial
  private static final long serialVersionUID = 1L;
  private final String errcode;
  private final int status;

  MatrixApiException(String message, String errcode, int status) {
    super(message, null, false);
    this.errcode = errcode;
    this.status = status;
  }

  String errcode() {
    return errcode;
  }

  int status() {
    return status;
  }

  /** Whether the refusal carries {@code code}. */
  boolean is(String code) {
    return errcode.equals(code);
  }
}
