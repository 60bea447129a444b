package coop.relay.sandbox.matrix.internal;

import org.jspecify.annotations.Nullable;

/**
 * Who makes a client-server API request, once the access token (and, for application services, the
 * {@code user_id} and {@code device_id} parameters) are resolved.
 *
 * @param userId the user the request acts as
 * @param deviceId the device, or null (application services without {@code device_id})
 * @param appservice the application service whose {@code as_token} was used, or null
 * @param txnScope the scope of transaction ids: one device, or one application service user
 * @param rateLimited whether the request counts against the rate limits
 */
record Requester(
    String userId, @Nullable String deviceId, @Nullable AppserviceAccount appservice, String txnScope, boolean rateLimited) {}
