package coop.relay.slack.internal;

import java.util.regex.Pattern;

/** What Slack accepts as a link target inside {@code <...>}, and how to write one there. */
final class Urls {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]{0,31}:\\S*");

  private Urls() {}

  /**
   * Whether {@code target} starts with a URI scheme and has no white space: only such targets are
   * links. Anything else inside {@code <...>} ({@code !here}, a user id) is a mention or a command.
   */
  static boolean hasScheme(String target) {
    return SCHEME.matcher(target).matches();
  }

  /**
   * {@code url} as it may stand inside {@code <...>}: {@code &} as an entity, and the characters that
   * would end the target or the token ({@code |}, {@code <}, {@code >}) percent-encoded.
   */
  static String escapeForAngle(String url) {
    StringBuilder out = new StringBuilder(url.length() + 8);
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '|' -> out.append("%7C");
        case '<' -> out.append("%3C");
        case '>' -> out.append("%3E");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
