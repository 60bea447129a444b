/**
 * The connector TCK: contract tests that every {@link coop.relay.spi.Connector} must pass. Extend
 * {@link coop.relay.testkit.tck.ConnectorTck} in the connector's test sources and implement a
 * {@link coop.relay.testkit.tck.TckFixture} that drives the platform (usually a local emulator) as a
 * user would; see {@link coop.relay.testkit.tck.ConnectorTck} for an example.
 */
@NullMarked
package coop.relay.testkit.tck;

import org.jspecify.annotations.NullMarked;
