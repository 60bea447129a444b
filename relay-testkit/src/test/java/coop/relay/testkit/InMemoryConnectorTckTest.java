package coop.relay.testkit;

import coop.relay.api.Capabilities;
import coop.relay.api.PuppetingMode;
import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.InMemoryTckFixture;
import coop.relay.testkit.tck.TckFixture;
import org.junit.jupiter.api.Nested;
import reactor.core.scheduler.Schedulers;

/** The connector TCK, run against the in-memory connector (from another package, as a connector module would). */
class InMemoryConnectorTckTest extends ConnectorTck {

  @Override
  protected TckFixture createFixture() {
    return new InMemoryTckFixture();
  }

  /** Again with per-message puppeting, as Discord and Slack connectors would declare. */
  @Nested
  class WithPuppeting extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new InMemoryTckFixture(Capabilities.builder().puppeting(PuppetingMode.PER_MESSAGE).build());
    }
  }

  /** Again with events emitted on another thread, as a real platform's arrive from the network. */
  @Nested
  class WithAsynchronousDelivery extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new InMemoryTckFixture(InMemoryPlatform.builder().deliverOn(Schedulers.parallel()).build(),
          Capabilities.builder().build());
    }
  }
}
