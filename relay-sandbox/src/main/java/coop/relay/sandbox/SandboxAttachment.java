package coop.relay.sandbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A file attached to a message in the history.
 *
 * @param id the platform's file id (Telegram file_id, Discord attachment id, mxc URI); pass it to
 *     {@link SandboxControl#file(String)} to read the content
 * @param fileName the file name
 * @param mediaType the MIME type
 * @param size the size in bytes
 * @param url where the control API serves the bytes ({@code <base URL>/_sandbox/files/<id>}), or
 *     {@code null} while the emulator's server has never run
 */
public record SandboxAttachment(
    String id, String fileName, String mediaType, long size, @Nullable String url) {

  /** @throws NullPointerException if a required component is null */
  public SandboxAttachment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(mediaType, "mediaType");
  }
}
