package coop.relay.sandbox.telegram.internal;

import org.jspecify.annotations.Nullable;

/**
 * A Bot API error answer: {@code {"ok":false,"error_code":N,"description":"...","parameters":{...}}}
 * with HTTP status N.
 */
final class BotApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int code;
  final @Nullable Long retryAfter;
  final @Nullable Long migrateToChatId;

  BotApiException(int code, String description, @Nullable Long retryAfter, @Nullable Long migrateToChatId) {
    super(description, null, false, false);
    this.code = code;
    this.retryAfter = retryAfter;
    this.migrateToChatId = migrateToChatId;
  }

  String description() {
    return getMessage();
  }

  static BotApiException badRequest(String what) {
    return new BotApiException(400, "Bad Request: " + what, null, null);
  }

  static BotApiException unauthorized() {
    return new BotApiException(401, "Unauthorized", null, null);
  }

  static BotApiException notFound() {
    return new BotApiException(404, "Not Found", null, null);
  }

  static BotApiException conflict(String what) {
    return new BotApiException(409, "Conflict: " + what, null, null);
  }

  static BotApiException tooManyRequests(long retryAfterSeconds) {
    return new BotApiException(
        429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds, null);
  }

  static BotApiException migrated(long toChatId) {
    return new BotApiException(
        400, "Bad Request: group chat was upgraded to a supergroup chat", null, toChatId);
  }

  static BotApiException tooLarge() {
    return new BotApiException(413, "Request Entity Too Large", null, null);
  }
}
