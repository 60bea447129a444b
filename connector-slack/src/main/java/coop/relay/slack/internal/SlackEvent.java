package coop.relay.slack.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a Slack event (or of the message nested in {@code message_changed} and
 * {@code message_deleted}) that the bridge reads; everything else in the payload (blocks, legacy
 * attachments, profiles) is skipped while reading. Empty strings, which Slack and its samples use for
 * "not set", are {@code null} here.
 *
 * @param type the event type, e.g. {@code message}, {@code reaction_added}
 * @param subtype the message subtype, e.g. {@code message_changed}
 * @param channel the channel id
 * @param user the author's user id (a string; {@code null} where Slack sends a user object)
 * @param botId the bot id of a bot's message
 * @param appId the app id of an app's message
 * @param username the name a bot message is shown under
 * @param text the mrkdwn text
 * @param ts the message ts, its id within the channel
 * @param threadTs the ts of the thread's root
 * @param eventTs when the event happened
 * @param hidden whether Slack hides the event from the channel
 * @param deletedTs the ts of the deleted message ({@code message_deleted})
 * @param editedUser who edited the message
 * @param editedTs when it was edited
 * @param iconUrl the icon a bot message is shown with
 * @param botName the bot profile's name
 * @param botIconUrl the bot profile's icon
 * @param profileName the author's display name, when Slack sends the profile along
 * @param profileAvatar the author's avatar, when Slack sends the profile along
 * @param metadataType the message metadata's {@code event_type}
 * @param metadataOrigin the {@code origin} in the message metadata's {@code event_payload}
 * @param files the message's files
 * @param message the new message of a {@code message_changed}
 * @param previousMessage the message before a change or a deletion
 * @param itemType the type of a reaction's item ({@code message}, {@code file})
 * @param itemChannel the channel of a reaction's message
 * @param itemTs the ts of a reaction's message
 * @param reaction the emoji name of a reaction
 */
record SlackEvent(
    @Nullable String type,
    @Nullable String subtype,
    @Nullable String channel,
    @Nullable String user,
    @Nullable String botId,
    @Nullable String appId,
    @Nullable String username,
    @Nullable String text,
    @Nullable String ts,
    @Nullable String threadTs,
    @Nullable String eventTs,
    boolean hidden,
    @Nullable String deletedTs,
    @Nullable String editedUser,
    @Nullable String editedTs,
    @Nullable String iconUrl,
    @Nullable String botName,
    @Nullable String botIconUrl,
    @Nullable String profileName,
    @Nullable String profileAvatar,
    @Nullable String metadataType,
    @Nullable String metadataOrigin,
    List<SlackFile> files,
    @Nullable SlackEvent message,
    @Nullable SlackEvent previousMessage,
    @Nullable String itemType,
    @Nullable String itemChannel,
    @Nullable String itemTs,
    @Nullable String reaction) {

  public SlackEvent {
    files = List.copyOf(files);
  }

  /** The metadata event type that marks the messages a relay posts. */
  static final String MARKER_EVENT_TYPE = "relay_copy";
}
