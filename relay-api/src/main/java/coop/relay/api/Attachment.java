package coop.relay.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file attached to a message. The bytes are not held here: the source connector fetches them on
 * demand (see {@code Connector#download}), so a message that is never re-uploaded costs no I/O.
 *
 * @param id the platform's id of the file (Telegram file_id, Slack file id, Matrix mxc URI, Discord attachment id)
 * @param fileName the file name to show and to upload under
 * @param mediaType the MIME type, e.g. {@code image/png}; {@code application/octet-stream} when unknown
 * @param sizeBytes the size in bytes, or {@code -1} when the platform does not say
 * @param url a link that people on other platforms may open, used when the file is too big to
 *     re-upload; {@code null} when the platform has no shareable link (a URL that embeds a secret,
 *     such as Telegram's file path, must never be put here)
 * @param kind what kind of media it is, for platforms that upload images and files differently
 */
public record Attachment(
    String id, String fileName, String mediaType, long sizeBytes, @Nullable String url, Kind kind) {

  /** The kind of media. */
  public enum Kind {
    /** A picture. */
    IMAGE,
    /** A video. */
    VIDEO,
    /** A sound or voice recording. */
    AUDIO,
    /** Any other file. */
    FILE
  }

  /** @throws IllegalArgumentException if id or file name is blank or the size is below -1 */
  public Attachment {
    Checks.notBlank(id, "attachment id");
    Checks.notBlank(fileName, "fileName");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(kind, "kind");
    if (sizeBytes < -1) {
      throw new IllegalArgumentException("sizeBytes must be -1 (unknown) or positive, was " + sizeBytes);
    }
  }

  /** Whether the size is known and at most {@code limit} bytes. */
  public boolean fitsWithin(long limit) {
    return sizeBytes >= 0 && sizeBytes <= limit;
  }
}
