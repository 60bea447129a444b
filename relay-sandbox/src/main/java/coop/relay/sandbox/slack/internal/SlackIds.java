package coop.relay.sandbox.slack.internal;

import java.util.Locale;

/**
 * Slack-shaped identifiers: a type letter and upper-case letters and digits ({@code U0SBX00001},
 * {@code C0SBX00001}, {@code F0SBX00001}), long enough for the Web API spec's id patterns, which
 * want at least eight characters after the letter.
 */
final class SlackIds {
  private long users;
  private long channels;
  private long bots;
  private long apps;
  private long files;
  private long events;

  String user() {
    return id('U', ++users);
  }

  String channel() {
    return id('C', ++channels);
  }

  String bot() {
    return id('B', ++bots);
  }

  String app() {
    return id('A', ++apps);
  }

  String file() {
    return id('F', ++files);
  }

  /** An Events API event id, e.g. {@code Ev0SBX0000A1}. */
  String event() {
    return "Ev" + id('0', ++events).substring(1);
  }

  private static String id(char letter, long n) {
    String digits = Long.toString(n, 36).toUpperCase(Locale.ROOT);
    return letter + "0SBX" + "0".repeat(Math.max(0, 6 - digits.length())) + digits;
  }
}
