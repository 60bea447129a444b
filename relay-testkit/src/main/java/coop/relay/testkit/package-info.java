/**
 * Test doubles for Relay and its connectors: {@link coop.relay.testkit.InMemoryPlatform}, a
 * thread-safe chat platform in memory that behaves like a real one (message ids, echoes of the
 * bridge's own posts, edits, deletes, reactions, replies, threads) and injects faults on demand;
 * {@link coop.relay.testkit.InMemoryConnector}, the connector that talks to it; small
 * {@link coop.relay.spi.ConnectorContext} and {@link coop.relay.spi.CursorStore} implementations;
 * and {@link coop.relay.testkit.ArchitectureRules}, the dependency rules every module checks.
 * The connector contract tests (TCK) are in {@code coop.relay.testkit.tck}.
 */
@NullMarked
package coop.relay.testkit;

import org.jspecify.annotations.NullMarked;
