package coop.relay.sandbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A user of an emulated platform.
 *
 * @param id the platform's user id (Telegram {@code 5000001}, Slack {@code U012AB3CD}, Matrix
 *     {@code @alice:sandbox.local})
 * @param displayName the name other people see
 * @param username the handle people mention, without sigil, where the platform has one
 * @param avatarUrl the picture other people see, or {@code null}
 * @param bot whether this is a bot account (the ones Relay's connectors log in as are)
 */
public record SandboxUser(
    String id, String displayName, @Nullable String username, @Nullable String avatarUrl, boolean bot) {

  /** @throws NullPointerException if id or display name is null */
  public SandboxUser {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
  }
}
