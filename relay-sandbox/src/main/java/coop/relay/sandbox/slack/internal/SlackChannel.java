package coop.relay.sandbox.slack.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/** A conversation of the workspace (public or private channel). Guarded by the state's lock. */
final class SlackChannel {
  final String id;
  final String name;
  final String title;
  final boolean isPrivate;
  final String creator;
  final long created;
  /** The users and bot users who are members. */
  final Set<String> members = new LinkedHashSet<>();

  SlackChannel(String id, String name, String title, boolean isPrivate, String creator, long created) {
    this.id = id;
    this.name = name;
    this.title = title;
    this.isPrivate = isPrivate;
    this.creator = creator;
    this.created = created;
  }

  /** The conversation type as the control API names it. */
  String type() {
    return isPrivate ? "private_channel" : "public_channel";
  }

  /** {@code channel_type} in message events: {@code channel} or {@code group} (private). */
  String eventChannelType() {
    return isPrivate ? "group" : "channel";
  }
}
