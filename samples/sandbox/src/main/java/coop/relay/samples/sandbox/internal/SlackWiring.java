package coop.relay.samples.sandbox.internal;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.slack.SlackEmulator;
import coop.relay.spi.Connector;
import coop.relay.slack.SlackConnector;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Slack: one workspace with the apps {@code relay} and {@code relay-two}, both in Socket Mode. */
final class SlackWiring implements PlatformWiring {
  private static final String[] BOT_TOKENS = {"xoxb-1-relay-sandbox", "xoxb-2-relay-sandbox"};
  private static final String[] APP_TOKENS = {"xapp-1-relay-sandbox", "xapp-2-relay-sandbox"};

  @Override
  public String platform() {
    return "slack";
  }

  @Override
  public String label() {
    return "Slack";
  }

  @Override
  public String connectorId() {
    return "sl";
  }

  @Override
  public Emulator emulator() {
    return SlackEmulator.builder()
        .app("relay", a -> a.botToken(BOT_TOKENS[0]).appToken(APP_TOKENS[0]))
        .app("relay-two", a -> a.botToken(BOT_TOKENS[1]).appToken(APP_TOKENS[1]))
        .team("T0COOPSBX1", "Coop Sandbox")
        .rateLimits(false)
        // Link previews would add attachments a moment after each post; the demo keeps messages as typed.
        .unfurlDelay(null)
        .build();
  }

  @Override
  public @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot) {
    return SlackConnector.builder()
        .id(id)
        .baseUrl(baseUrl + "/api")
        .botToken(BOT_TOKENS[bot])
        .appToken(APP_TOKENS[bot])
        .reconnectBackoff(Demo.RECONNECT)
        .build();
  }

  @Override
  public List<NewUser> people(String avatarBase) {
    return List.of(
        new NewUser("Esther Okafor", "esther", avatarBase + "esther.svg"),
        new NewUser("Farid Haddad", "farid", avatarBase + "farid.svg"));
  }
}
