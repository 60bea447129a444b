/**
 * The implementation of the Matrix connector: the client-server API client, the {@code /sync} loop
 * with gap filling, the application-service transaction receiver and ghost users, event decoding,
 * {@code org.matrix.custom.html} conversion and the send path with deterministic transaction ids.
 * Not API: only {@code MatrixEngine} and {@code EngineConfig} are public, for
 * {@code coop.relay.matrix.MatrixConnector}.
 */
@NullMarked
package coop.relay.matrix.internal;

import org.jspecify.annotations.NullMarked;
