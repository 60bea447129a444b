package coop.relay.samples.sandbox.internal;

import java.util.List;

/** The four platforms, in the order the page shows them. */
public final class Wirings {
  private Wirings() {}

  /** Telegram, Discord, Slack and Matrix. */
  public static List<PlatformWiring> all() {
    return List.of(new TelegramWiring(), new DiscordWiring(), new SlackWiring(), new MatrixWiring());
  }
}
