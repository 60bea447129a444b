/**
 * The service-provider interfaces: {@link coop.relay.spi.Connector} for platforms and
 * {@link coop.relay.spi.RelayStore} for the state that must outlive a message (the id map, the
 * dedup window and connector cursors). Third-party connectors implement these and check themselves
 * with the connector TCK of {@code relay-testkit}.
 */
@NullMarked
package coop.relay.spi;

import org.jspecify.annotations.NullMarked;
