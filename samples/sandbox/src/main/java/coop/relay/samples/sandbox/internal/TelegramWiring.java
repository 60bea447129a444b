package coop.relay.samples.sandbox.internal;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.telegram.TelegramEmulator;
import coop.relay.spi.Connector;
import coop.relay.telegram.TelegramConnector;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Telegram: the Bot API emulator, bots {@code relay_bot} and {@code relay_two_bot}. */
final class TelegramWiring implements PlatformWiring {
  private static final String[] TOKENS = {"7000001:relay-sandbox-one", "7000002:relay-sandbox-two"};

  @Override
  public String platform() {
    return "telegram";
  }

  @Override
  public String label() {
    return "Telegram";
  }

  @Override
  public String connectorId() {
    return "tg";
  }

  @Override
  public Emulator emulator() {
    return TelegramEmulator.builder()
        .bot(TOKENS[0], "relay_bot", "Relay")
        .bot(TOKENS[1], "relay_two_bot", "Relay two")
        .rateLimits(false)
        .build();
  }

  @Override
  public @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot) {
    return TelegramConnector.builder()
        .id(id)
        .token(TOKENS[bot])
        .baseUrl(baseUrl)
        // Short polls and quick reconnects: the connector reports itself connected again when its
        // first poll after an outage returns, so a short poll shows the recovery on the page sooner.
        .pollTimeout(Duration.ofSeconds(3))
        .backoff(Demo.RECONNECT)
        .build();
  }

  @Override
  public List<NewUser> people(String avatarBase) {
    return List.of(
        new NewUser("Alice Martin", "alice", avatarBase + "alice.svg"),
        new NewUser("Bruno Costa", "bruno", avatarBase + "bruno.svg"));
  }
}
