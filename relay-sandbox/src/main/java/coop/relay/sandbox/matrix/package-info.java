/**
 * The Matrix homeserver emulator: {@link coop.relay.sandbox.matrix.MatrixEmulator}, configured with
 * bot accounts and {@link coop.relay.sandbox.matrix.AppserviceRegistration application services}.
 */
@NullMarked
package coop.relay.sandbox.matrix;

import org.jspecify.annotations.NullMarked;
