package coop.relay.sandbox.matrix.internal;

import org.jspecify.annotations.Nullable;

/** An uploaded file of the content repository. The bytes are never handed out without a copy. */
record MediaItem(String mediaId, String contentType, @Nullable String fileName, byte[] data, String uploader, long ts) {
  String mxc(String serverName) {
    return "mxc://" + serverName + "/" + mediaId;
  }

  @Override
  public String toString() {
    return "MediaItem[" + mediaId + ", " + contentType + ", " + data.length + " bytes]";
  }
}
