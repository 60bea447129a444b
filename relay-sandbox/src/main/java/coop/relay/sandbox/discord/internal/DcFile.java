package coop.relay.sandbox.discord.internal;

/**
 * An uploaded attachment, served like Discord's CDN at {@code
 * /attachments/<channel>/<id>/<filename>}. Images carry their pixel size, as on Discord.
 */
record DcFile(
    long id,
    long channelId,
    String filename,
    String contentType,
    byte[] data,
    int width,
    int height,
    String description) {

  boolean image() {
    return width > 0 && height > 0;
  }
}
