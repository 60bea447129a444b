package coop.relay.matrix.internal;

/**
 * Removes the reply fallback older clients put in front of a reply's plain {@code body}: quoted
 * lines ({@code "> <@alice:example.org> the original"}) followed by an empty line. Its HTML form,
 * {@code <mx-reply>}, is removed by {@link HtmlParser}.
 */
final class ReplyFallback {
  private ReplyFallback() {}

  /** {@code body} without a leading reply fallback; unchanged when it has none. */
  static String strip(String body) {
    if (!body.startsWith(">")) {
      return body;
    }
    int position = 0;
    while (position < body.length() && body.startsWith(">", position)) {
      int end = body.indexOf('\n', position);
      if (end < 0) {
        return body; // nothing but quoted lines: a message that quotes, not a fallback
      }
      position = end + 1;
    }
    if (!body.startsWith("\n", position)) {
      return body; // a fallback ends with an empty line; without one this is the user's own quote
    }
    return body.substring(position + 1);
  }
}
