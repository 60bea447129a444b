package coop.relay.sandbox;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of a file: what a user uploads with a {@link Post} and what {@link
 * SandboxControl#file(String)} returns. In JSON, {@code data} is Base64.
 *
 * @param fileName the name to show
 * @param mediaType the MIME type, e.g. {@code image/png}
 * @param data the bytes; the record keeps its own copy
 */
public record SandboxFile(String fileName, String mediaType, byte[] data) {

  /** @throws NullPointerException if an argument is null */
  public SandboxFile {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(mediaType, "mediaType");
    data = data.clone();
  }

  /** A copy of the bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The number of bytes. */
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SandboxFile f
        && f.fileName.equals(fileName)
        && f.mediaType.equals(mediaType)
        && Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, mediaType, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "SandboxFile[" + fileName + ", " + mediaType + ", " + data.length + " bytes]";
  }
}
