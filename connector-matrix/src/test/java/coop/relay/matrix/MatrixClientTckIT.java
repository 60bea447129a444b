package coop.relay.matrix;

import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFixture;

/** The connector TCK against the Matrix emulator in client mode: one account, {@code /sync} long polls. */
class MatrixClientTckIT extends ConnectorTck {
  @Override
  protected TckFixture createFixture() {
    return MatrixTckFixture.client();
  }
}
