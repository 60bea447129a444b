/**
 * The Slack emulator: {@link coop.relay.sandbox.slack.SlackEmulator} (Web API, Socket Mode and
 * Events API delivery).
 */
@NullMarked
package coop.relay.sandbox.slack;

import org.jspecify.annotations.NullMarked;
