package coop.relay.telegram;

import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFixture;

/** The connector TCK against the Telegram emulator, receiving through a webhook on the default listener. */
class TelegramWebhookTckIT extends ConnectorTck {
  @Override
  protected TckFixture createFixture() {
    return TelegramTckFixture.webhook();
  }
}
