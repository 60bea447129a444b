package coop.relay.samples.sandbox.internal;

import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.discord.DiscordEmulator;
import coop.relay.spi.Connector;
import coop.relay.discord.DiscordConnector;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Discord: the REST and Gateway emulator, bots {@code Relay} and {@code Relay2}. */
final class DiscordWiring implements PlatformWiring {
  private static final String[] TOKENS = {"sandbox.relay-bot.one", "sandbox.relay-bot.two"};

  @Override
  public String platform() {
    return "discord";
  }

  @Override
  public String label() {
    return "Discord";
  }

  @Override
  public String connectorId() {
    return "dc";
  }

  @Override
  public Emulator emulator() {
    return DiscordEmulator.builder()
        .bot(TOKENS[0], "Relay")
        .bot(TOKENS[1], "Relay2")
        .guildName("Coop Sandbox")
        .rateLimits(false)
        .build();
  }

  @Override
  public @Nullable Connector connector(Emulator emulator, String baseUrl, String id, int bot) {
    return DiscordConnector.builder()
        .id(id)
        .token(TOKENS[bot])
        .baseUrl(((DiscordEmulator) emulator).apiBaseUrl())
        // The emulator serves avatars and attachments itself, where Discord has its CDN.
        .cdnUrl(baseUrl)
        .reconnectBackoff(Demo.RECONNECT)
        .build();
  }

  @Override
  public List<NewUser> people(String avatarBase) {
    return List.of(
        new NewUser("Chloé Dubois", "chloe", avatarBase + "chloe.svg"),
        new NewUser("Dmitri Volkov", "dmitri", avatarBase + "dmitri.svg"));
  }
}
