package coop.relay.slack.internal;

import org.jspecify.annotations.Nullable;

/**
 * A file of a Slack message, with the fields the bridge uses.
 *
 * @param id the file id ({@code F...}); {@code null} when the payload had none
 * @param name the file name
 * @param title the title people gave it
 * @param mimetype its media type
 * @param size its size in bytes, or -1 when unknown
 * @param permalink the link that opens it in Slack, for people on other platforms
 * @param downloadUrl the private download URL, which needs the bot token
 */
record SlackFile(
    @Nullable String id,
    @Nullable String name,
    @Nullable String title,
    @Nullable String mimetype,
    long size,
    @Nullable String permalink,
    @Nullable String downloadUrl) {}
