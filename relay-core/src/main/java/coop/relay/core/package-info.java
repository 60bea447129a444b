/**
 * The routing engine's public face: {@link coop.relay.core.Relay}, built with
 * {@link coop.relay.core.Relay#builder()}, and the built-in {@link coop.relay.core.Interceptors}.
 */
@NullMarked
package coop.relay.core;

import org.jspecify.annotations.NullMarked;
