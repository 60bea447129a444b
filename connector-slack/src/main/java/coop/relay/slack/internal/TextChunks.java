package coop.relay.slack.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits mrkdwn that is too long for one Slack message: at the last line break before the limit,
 * else at the last space, else hard, and never inside a {@code <...>} token or an entity, which
 * would break a link or a mention.
 */
final class TextChunks {
  private TextChunks() {}

  static List<String> split(String text, int max) {
    if (text.length() <= max) {
      return List.of(text);
    }
    List<String> chunks = new ArrayList<>();
    int start = 0;
    while (text.length() - start > max) {
      int end = cut(text, start, start + max);
      chunks.add(text.substring(start, end));
      start = end;
      while (start < text.length() && text.charAt(start) == '\n') {
        start++;
      }
    }
    if (start < text.length()) {
      chunks.add(text.substring(start));
    }
    return chunks;
  }

  private static int cut(String text, int start, int limit) {
    int newline = text.lastIndexOf('\n', limit - 1);
    int candidate = newline > start ? newline : text.lastIndexOf(' ', limit - 1);
    if (candidate <= start) {
      candidate = limit;
    }
    int open = text.lastIndexOf('<', candidate - 1);
    if (open >= start && text.indexOf('>', open) >= candidate && open > start) {
      candidate = open;
    }
    int amp = text.lastIndexOf('&', candidate - 1);
    if (amp > start && candidate - amp < 5 && text.indexOf(';', amp) >= candidate) {
      candidate = amp;
    }
    return candidate;
  }
}
