/**
 * The Slack connector: {@link coop.relay.slack.SlackConnector} receives through Socket Mode (a
 * WebSocket the connector opens; no public URL needed) or the Events API (signed HTTP requests Slack
 * sends to an endpoint of yours), and posts through the Web API as the bot, showing each bridged
 * author's name and avatar.
 *
 * <pre>{@code
 * // Socket Mode: a bot token (xoxb-...) and an app-level token (xapp-...) with connections:write
 * Connector slack = SlackConnector.builder().id("sl").botToken(xoxb).appToken(xapp).build();
 *
 * // Events API: a bot token and the app's signing secret; Slack posts events to your endpoint
 * SlackConnector slack = SlackConnector.builder().id("sl").botToken(xoxb).signingSecret(secret)
 *     .webhookPort(3000).build();
 * }</pre>
 */
@NullMarked
package coop.relay.slack;

import org.jspecify.annotations.NullMarked;
