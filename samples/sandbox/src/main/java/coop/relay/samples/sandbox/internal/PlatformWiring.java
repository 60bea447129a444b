package coop.relay.samples.sandbox.internal;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.spi.Connector;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the sandbox app knows about one platform, in one small unit: how to build its emulator,
 * how to log a connector into it, and who lives there. A platform whose connector is not part of
 * the build yet answers {@code null} from {@link #connector}; the app then shows its rooms without
 * bridging them, instead of faking a connector.
 */
public interface PlatformWiring {

  /** How many bot accounts every emulator has: one per Relay instance a test may run at once. */
  int BOTS = 2;

  /** The emulator's platform name, e.g. {@code telegram}. */
  String platform();

  /** The name people know the platform by, e.g. {@code Telegram}. */
  String label();

  /** The id the app's relay gives this platform's connector, e.g. {@code tg}. */
  String connectorId();

  /** A new emulator with {@link #BOTS} bot accounts and its sending limits relaxed for a live demo. */
  Emulator emulator();

  /** Whether this platform's connector is part of the build (else {@link #connector} answers null). */
  default boolean connectorAvailable() {
    return true;
  }

  /**
   * A new connector logged in as bot {@code bot} (0 to {@link #BOTS} - 1) of {@code emulator},
   * which runs at {@code baseUrl}; {@code null} while this platform's connector is not available.
   */
  @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot);

  /** The people who chat on this platform; {@code avatarBase} serves {@code <key>.svg} pictures. */
  List<NewUser> people(String avatarBase);

  /** The channel type for rooms ({@code null}: the platform's ordinary group conversation). */
  default @Nullable String roomType() {
    return null;
  }
}
