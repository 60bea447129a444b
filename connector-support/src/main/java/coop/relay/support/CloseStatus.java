package coop.relay.support;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The code and reason of a WebSocket close frame (RFC 6455 §7.4).
 *
 * @param code 1000–4999; 4000–4999 are free for applications (Discord's gateway uses them)
 * @param reason at most 123 UTF-8 bytes, possibly empty
 */
public record CloseStatus(int code, String reason) {
  /** 1000: the purpose of the connection is fulfilled. Some platforms end the session on it. */
  public static final CloseStatus NORMAL = new CloseStatus(1000, "");
  /** 1001: the client is going away. */
  public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "");

  public CloseStatus {
    Objects.requireNonNull(reason, "reason");
    if (code < 1000 || code > 4999) {
      throw new IllegalArgumentException("WebSocket close code must be within 1000..4999, was " + code);
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("WebSocket close reason must fit in 123 UTF-8 bytes");
    }
  }

  /** A status with an empty reason. */
  public static CloseStatus of(int code) {
    return new CloseStatus(code, "");
  }
}
