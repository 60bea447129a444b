package coop.relay.sandbox.slack.internal;

import tools.jackson.databind.node.ObjectNode;

/**
 * One Events API event for one app: the {@code event_callback} wrapper as Slack sends it in an HTTP
 * request body or a Socket Mode {@code events_api} envelope's payload.
 *
 * @param eventId the wrapper's {@code event_id}
 * @param payload the wrapper
 */
record EventCallback(String eventId, ObjectNode payload) {}
