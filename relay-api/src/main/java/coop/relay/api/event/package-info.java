/**
 * Events: {@link coop.relay.api.event.InboundEvent} is what a connector reports from its platform,
 * {@link coop.relay.api.event.RelayEvent} is what a running relay reports to its users.
 * Both are sealed hierarchies: switch over them exhaustively.
 */
@NullMarked
package coop.relay.api.event;

import org.jspecify.annotations.NullMarked;
