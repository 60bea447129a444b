package coop.relay.sandbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who wrote a message, and how the platform shows it.
 *
 * @param id the platform's id of the account that sent it (user, bot, webhook, appservice ghost)
 * @param displayName the account's own name
 * @param avatarUrl the account's own picture, or {@code null}
 * @param kind what kind of account sent it
 * @param shownName the name the platform shows next to the message: differs from {@code
 *     displayName} for puppeted messages (a Discord webhook's {@code username}, a Slack {@code
 *     username} override) and for Telegram channel posts (the channel's title)
 * @param shownAvatarUrl the picture the platform shows next to the message, or {@code null}
 */
public record Author(
    String id,
    String displayName,
    @Nullable String avatarUrl,
    Kind kind,
    String shownName,
    @Nullable String shownAvatarUrl) {

  /** What kind of account sent a message. */
  public enum Kind {
    /** A person (created through the control API). */
    USER,
    /** A bot account, e.g. the one a Relay connector logs in as. */
    BOT,
    /** A webhook that posts under a name and avatar of its caller's choosing (Discord, Slack). */
    WEBHOOK,
    /** A ghost user puppeted by a bridge (Matrix appservice users). */
    PUPPET
  }

  /** @throws NullPointerException if a required component is null */
  public Author {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(shownName, "shownName");
  }
}
