package coop.relay.sandbox.telegram.internal;

/**
 * A file stored by the emulator: uploaded by a bot or attached by a user. {@code path} is what
 * {@code getFile} answers as {@code file_path} and what the download URL ends with.
 */
record TgFile(
    String fileId,
    String uniqueId,
    Kind kind,
    String fileName,
    String mimeType,
    byte[] data,
    int width,
    int height,
    String path) {

  enum Kind {
    PHOTO,
    DOCUMENT
  }

  long size() {
    return data.length;
  }
}
