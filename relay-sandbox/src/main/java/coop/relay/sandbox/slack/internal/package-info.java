/**
 * The Slack emulator's implementation: workspace state, Web API routes, Socket Mode server, Events
 * API pusher, rate limits and the wire shapes of users, conversations, messages, files and events.
 */
@NullMarked
package coop.relay.sandbox.slack.internal;

import org.jspecify.annotations.NullMarked;
