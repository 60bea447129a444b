package coop.relay.telegram.internal;

import coop.relay.api.DeliveryException;
import org.jspecify.annotations.Nullable;

/**
 * The Bot API refused a request for good ({@code ok:false} with a 4xx code other than 401, 404, 409
 * and 429, which have their own exceptions). Carries Telegram's code and description, which never
 * contain the token, and the supergroup a migrated group moved to.
 */
final class TelegramApiException extends DeliveryException {
  private static final long serialVersionUID = 1L;

  private final int errorCode;
  private final String description;
  private final @Nullable Long migrateToChatId;

  TelegramApiException(String message, int errorCode, String description, @Nullable Long migrateToChatId) {
    super(message, null, false);
    this.errorCode = errorCode;
    this.description = description;
    this.migrateToChatId = migrateToChatId;
  }

  int errorCode() {
    return errorCode;
  }

  /** Telegram's description, e.g. {@code Bad Request: chat not found}. */
  String description() {
    return description;
  }

  /** The supergroup the chat was upgraded to, when that is why the request failed. */
  @Nullable Long migrateToChatId() {
    return migrateToChatId;
  }

  /** Whether Telegram's description contains {@code fragment}, ignoring case. */
  boolean says(String fragment) {
    return description.toLowerCase(java.util.Locale.ROOT).contains(fragment.toLowerCase(java.util.Locale.ROOT));
  }
}
