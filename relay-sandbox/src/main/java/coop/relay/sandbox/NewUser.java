package coop.relay.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * What {@link SandboxControl#createUser(NewUser)} needs to create a (human) user.
 *
 * @param displayName the name other people see; must not be blank
 * @param username the handle to mention them by, without sigil; {@code null} lets the emulator
 *     derive one where the platform needs one, or leave it out where the platform allows that
 * @param avatarUrl the picture other people see, or {@code null}
 */
public record NewUser(String displayName, @Nullable String username, @Nullable String avatarUrl) {

  /** A user with only a display name. */
  public static NewUser named(String displayName) {
    return new NewUser(displayName, null, null);
  }

  /** This user with {@code avatarUrl} as picture. */
  public NewUser withAvatar(@Nullable String avatarUrl) {
    return new NewUser(displayName, username, avatarUrl);
  }

  /** This user with {@code username} as handle. */
  public NewUser withUsername(@Nullable String username) {
    return new NewUser(displayName, username, avatarUrl);
  }
}
