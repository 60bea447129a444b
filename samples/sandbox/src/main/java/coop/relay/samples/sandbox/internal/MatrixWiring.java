package coop.relay.samples.sandbox.internal;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.matrix.MatrixEmulator;
import coop.relay.spi.Connector;
import coop.relay.matrix.MatrixConnector;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Matrix: a homeserver {@code sandbox.local} with the bot accounts {@code @relay} and {@code @relay2}. */
final class MatrixWiring implements PlatformWiring {
  private static final String[] LOCALPARTS = {"relay", "relay2"};
  private static final String[] TOKENS = {"syt_relay_sandbox_one", "syt_relay_sandbox_two"};

  @Override
  public String platform() {
    return "matrix";
  }

  @Override
  public String label() {
    return "Matrix";
  }

  @Override
  public String connectorId() {
    return "mx";
  }

  @Override
  public Emulator emulator() {
    return MatrixEmulator.builder()
        .bot(LOCALPARTS[0], TOKENS[0], "Relay")
        .bot(LOCALPARTS[1], TOKENS[1], "Relay two")
        .rateLimits(false)
        .build();
  }

  @Override
  public @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot) {
    return MatrixConnector.builder()
        .id(id)
        .baseUrl(baseUrl)
        .accessToken(TOKENS[bot])
        .pollTimeout(Duration.ofSeconds(10))
        .backoff(Demo.RECONNECT)
        .build();
  }

  @Override
  public List<NewUser> people(String avatarBase) {
    return List.of(
        new NewUser("Grace Lin", "grace", avatarBase + "grace.svg"),
        new NewUser("Hiro Tanaka", "hiro", avatarBase + "hiro.svg"));
  }
}
