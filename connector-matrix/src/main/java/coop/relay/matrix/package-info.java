/**
 * The Matrix connector: {@link coop.relay.matrix.MatrixConnector} bridges Matrix rooms through the
 * client-server API as one account (client mode) or as an application service with a ghost user per
 * remote person (appservice mode, configured by an {@link coop.relay.matrix.AppserviceRegistration}).
 */
@NullMarked
package coop.relay.matrix;

import org.jspecify.annotations.NullMarked;
