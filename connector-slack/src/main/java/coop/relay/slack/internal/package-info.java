/**
 * The implementation of the Slack connector: the Web API client and its error mapping, Socket Mode
 * sessions, the Events API endpoint, event decoding, and mrkdwn conversion. Not API: everything here
 * may change without notice.
 */
@NullMarked
package coop.relay.slack.internal;

import org.jspecify.annotations.NullMarked;
