package coop.relay.telegram.archfixture;

import coop.relay.core.archfixture.CoreThing;
import coop.relay.discord.archfixture.DiscordThing;

/** Breaks the connectors' rules: uses the core and another connector. */
public class TelegramThing {
  public String both() {
    return new CoreThing().toString() + new DiscordThing();
  }
}
