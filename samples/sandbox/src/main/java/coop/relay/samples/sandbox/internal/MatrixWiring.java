package coop.relay.samples.sandbox.internal;

import coop.relay.matrix.MatrixConnector;
import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.matrix.AppserviceRegistration;
import coop.relay.sandbox.matrix.MatrixEmulator;
import coop.relay.spi.Connector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Matrix: a homeserver {@code sandbox.local} with two application services, {@code @relay} and
 * {@code @relay2}, one per relay. In application-service mode the connector puppets: every remote
 * person speaks through a ghost user ({@code @relayone_…}) with their name, as bridges on Matrix do.
 * The homeserver pushes events to the connector's own listener, on a port picked here.
 */
final class MatrixWiring implements PlatformWiring {
  private static final String HOST = "127.0.0.1";
  private static final String[] LOCALPARTS = {"relay", "relay2"};
  private static final String[] GHOSTS = {"relayone_", "relaytwo_"};
  private static final String[] AS_TOKENS = {"as_relay_sandbox_one", "as_relay_sandbox_two"};
  private static final String[] HS_TOKENS = {"hs_relay_sandbox_one", "hs_relay_sandbox_two"};

  // The registration names the connector's listener before either exists, as a registration file does.
  private final int[] ports = {freePort(), freePort()};

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
    MatrixEmulator.Builder builder = MatrixEmulator.builder()
        .rateLimits(false)
        .transactionRetry(Duration.ofMillis(250), Duration.ofSeconds(2));
    for (int bot = 0; bot < BOTS; bot++) {
      builder.appservice(new AppserviceRegistration(
          LOCALPARTS[bot], "http://" + HOST + ":" + ports[bot], AS_TOKENS[bot], HS_TOKENS[bot], LOCALPARTS[bot],
          List.of(new AppserviceRegistration.Namespace(namespace(bot), true)), List.of(), List.of(), false));
    }
    return builder.build();
  }

  @Override
  public @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot) {
    return MatrixConnector.builder()
        .id(id)
        .baseUrl(baseUrl)
        .appservice(coop.relay.matrix.AppserviceRegistration.builder()
            .id(LOCALPARTS[bot])
            .asToken(AS_TOKENS[bot])
            .hsToken(HS_TOKENS[bot])
            .senderLocalpart(LOCALPARTS[bot])
            .userNamespace(namespace(bot))
            .ghostPrefix(GHOSTS[bot])
            .build())
        .listen(HOST, ports[bot])
        // Pushed events need no poll; a quick health check shows an outage on the page at once.
        .healthCheckInterval(Duration.ofSeconds(1))
        .backoff(Demo.RECONNECT)
        .build();
  }

  @Override
  public List<NewUser> people(String avatarBase) {
    return List.of(
        new NewUser("Grace Lin", "grace", avatarBase + "grace.svg"),
        new NewUser("Hiro Tanaka", "hiro", avatarBase + "hiro.svg"));
  }

  private static String namespace(int bot) {
    return "@" + GHOSTS[bot] + ".*:sandbox\\.local";
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the Matrix connector's application-service listener", e);
    }
  }
}
