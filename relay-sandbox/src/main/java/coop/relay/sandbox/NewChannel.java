package coop.relay.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * What {@link SandboxControl#createChannel(NewChannel)} needs to create a channel.
 *
 * @param name the title people see; must not be blank
 * @param type the platform's own kind of channel (see each emulator), or {@code null} for the
 *     platform's ordinary group conversation
 */
public record NewChannel(String name, @Nullable String type) {

  /** An ordinary group conversation of the platform, titled {@code name}. */
  public static NewChannel named(String name) {
    return new NewChannel(name, null);
  }

  /** This channel as the platform's kind {@code type}. */
  public NewChannel ofType(String type) {
    return new NewChannel(name, type);
  }
}
