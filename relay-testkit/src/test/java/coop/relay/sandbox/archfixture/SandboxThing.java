package coop.relay.sandbox.archfixture;

import coop.relay.discord.archfixture.DiscordThing;
import coop.relay.testkit.internal.Account;

/** Breaks the sandbox's rules: uses a connector and another module's internals. */
public class SandboxThing {
  public String uses() {
    return new DiscordThing().toString() + new Account("u", "U", null, false, null);
  }
}
