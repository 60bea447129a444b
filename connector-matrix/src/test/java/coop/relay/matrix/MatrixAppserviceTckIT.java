package coop.relay.matrix;

import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.TckFixture;

/** The connector TCK against the Matrix emulator in application-service mode: pushed transactions, ghost users. */
class MatrixAppserviceTckIT extends ConnectorTck {
  @Override
  protected TckFixture createFixture() {
    return MatrixTckFixture.appservice();
  }
}
