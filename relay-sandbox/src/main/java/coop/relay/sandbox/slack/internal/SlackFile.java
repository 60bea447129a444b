package coop.relay.sandbox.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * A file of the workspace. Created by files.getUploadURLExternal (or by a person's post), filled by
 * the upload, shared by files.completeUploadExternal. Guarded by the state's lock.
 */
final class SlackFile {
  final String id;
  final String name;
  final String user;
  final long declaredLength;
  final @Nullable String altText;
  String title;
  String mimetype = "application/octet-stream";
  byte @Nullable [] data;
  long created;
  boolean completed;

  SlackFile(String id, String name, String user, long declaredLength, @Nullable String altText) {
    this.id = id;
    this.name = name;
    this.user = user;
    this.declaredLength = declaredLength;
    this.altText = altText;
    this.title = name;
  }

  long size() {
    return data == null ? 0 : data.length;
  }
}
