package coop.relay.sandbox.telegram.internal;

import org.jspecify.annotations.Nullable;

/**
 * A Bot API {@code MessageEntity}: offsets and lengths in UTF-16 code units, which is what Java
 * string indices are.
 */
record Entity(
    String type,
    int offset,
    int length,
    @Nullable String url,
    @Nullable String language,
    @Nullable String customEmojiId,
    @Nullable Long userId,
    @Nullable Long unixTime,
    @Nullable String dateTimeFormat) {

  static Entity of(String type, int offset, int length) {
    return new Entity(type, offset, length, null, null, null, null, null, null);
  }

  int end() {
    return offset + length;
  }

  Entity at(int newOffset, int newLength) {
    return new Entity(type, newOffset, newLength, url, language, customEmojiId, userId, unixTime, dateTimeFormat);
  }

  Entity withUrl(String value) {
    return new Entity(type, offset, length, value, language, customEmojiId, userId, unixTime, dateTimeFormat);
  }

  Entity withLanguage(@Nullable String value) {
    return new Entity(type, offset, length, url, value, customEmojiId, userId, unixTime, dateTimeFormat);
  }

  Entity withCustomEmoji(String value) {
    return new Entity(type, offset, length, url, language, value, userId, unixTime, dateTimeFormat);
  }

  Entity withUser(long value) {
    return new Entity(type, offset, length, url, language, customEmojiId, value, unixTime, dateTimeFormat);
  }

  Entity withTime(long unix, @Nullable String format) {
    return new Entity(type, offset, length, url, language, customEmojiId, userId, unix, format);
  }

  Entity asType(String newType) {
    return new Entity(newType, offset, length, url, language, customEmojiId, userId, unixTime, dateTimeFormat);
  }
}
