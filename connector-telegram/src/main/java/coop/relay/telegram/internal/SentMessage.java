package coop.relay.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Telegram messages one relayed message became: its text parts (several when the text was
 * longer than one message may be) and its files. Edits compare the new parts with the HTML each
 * text part was sent with and touch only the parts that changed.
 *
 * @param parts in the order they were sent; the first one's id is the copy's id
 */
record SentMessage(List<Part> parts) {

  /** Stands for the HTML of a text part the connector did not record (it was sent before a restart). */
  static final String UNKNOWN_HTML = "\u0000unknown";

  /**
   * One Telegram message.
   *
   * @param messageId its id
   * @param html the HTML its text was sent with, or {@code null} for a file
   */
  record Part(long messageId, @Nullable String html) {
    boolean isText() {
      return html != null;
    }
  }

  SentMessage {
    parts = List.copyOf(parts);
  }

  /** What the connector assumes about a message it has no record of: one text part. */
  static SentMessage single(long messageId) {
    return new SentMessage(List.of(new Part(messageId, UNKNOWN_HTML)));
  }

  List<Part> textParts() {
    return parts.stream().filter(Part::isText).toList();
  }

  List<Part> fileParts() {
    return parts.stream().filter(p -> !p.isText()).toList();
  }

  /** A copy whose text parts are {@code text}, keeping the files. */
  SentMessage withText(List<Part> text) {
    List<Part> all = new ArrayList<>(text);
    all.addAll(fileParts());
    return new SentMessage(all);
  }

  /** Whether remembering this message matters (it is more than one plain text message). */
  boolean worthTracking() {
    return parts.size() > 1 || parts.stream().anyMatch(p -> !p.isText());
  }
}
