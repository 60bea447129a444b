package coop.relay.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a channel's history, as the platform stores and shows it.
 *
 * @param messageId the platform's message id
 * @param channelId the channel it is in
 * @param author who sent it and how it is shown
 * @param text the text exactly as the platform stores it: Telegram's plain text (formatting lives in
 *     entities), Discord markdown, Slack mrkdwn, Matrix {@code body}; a Telegram caption for media
 * @param formatted the platform's separate rich form when it has one: Telegram's entities as Bot
 *     API HTML, Matrix {@code formatted_body}; {@code null} where markup lives in {@code text}
 * @param replyTo the id of the message it answers, or {@code null}
 * @param threadId the thread (Telegram forum topic or reply thread, thread root) it belongs to, or
 *     {@code null}
 * @param reactions its reactions, in the order they were first added
 * @param attachments its files
 * @param edited whether it was edited
 * @param deleted whether it was deleted (deleted messages stay in the history)
 * @param date when it was sent
 * @param raw the platform's own JSON object for the message as its API returns it (a Telegram
 *     {@code Message}, a Discord message, a Slack message, a Matrix event), for assertions on details
 *     this neutral shape leaves out, such as Telegram entities
 */
public record HistoryEntry(
    String messageId,
    String channelId,
    Author author,
    String text,
    @Nullable String formatted,
    @Nullable String replyTo,
    @Nullable String threadId,
    List<SandboxReaction> reactions,
    List<SandboxAttachment> attachments,
    boolean edited,
    boolean deleted,
    Instant date,
    String raw) {

  /** @throws NullPointerException if a required component is null */
  public HistoryEntry {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    reactions = List.copyOf(reactions);
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(raw, "raw");
  }
}
