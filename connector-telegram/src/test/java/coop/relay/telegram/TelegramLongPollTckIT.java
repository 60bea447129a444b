package coop.relay.telegram;

import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFixture;

/** The connector TCK against the Telegram emulator, receiving by getUpdates long polls. */
class TelegramLongPollTckIT extends ConnectorTck {
  @Override
  protected TckFixture createFixture() {
    return TelegramTckFixture.longPoll();
  }
}
