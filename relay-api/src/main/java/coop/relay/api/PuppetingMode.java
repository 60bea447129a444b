package coop.relay.api;

/** How a platform can show who wrote a bridged message. */
public enum PuppetingMode {
  /** Every message comes from the bot; the author's name goes into the text by the name template (Telegram). */
  NONE,
  /** Each message can carry its own name and avatar (Discord webhooks, Slack {@code username}/{@code icon_url}). */
  PER_MESSAGE,
  /** Each remote person gets a real account on the platform (Matrix appservice ghost users). */
  GHOST_USERS;

  /** Whether the author's name and avatar can be shown without the name template. */
  public boolean canPuppet() {
    return this != NONE;
  }
}
