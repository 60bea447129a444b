package coop.relay.discord.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits markdown longer than Discord's 2000 characters into messages that each render on their
 * own: cuts prefer a line break, then a space, in the second half of the allowed length; a hard
 * cut never splits a surrogate pair, an escape or a {@code <...>} token; a code block cut in two
 * is closed at the end of one part and reopened (with its language) at the start of the next.
 * Styles that span a cut ({@code **...**} over 2000 characters without a line break) are not
 * repaired.
 */
final class MessageSplitter {
  /** Discord's limit for {@code content}. */
  static final int MAX_LENGTH = 2000;
  private static final String FENCE = "```";
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9_+#.-]{1,32}(?=\\n)");

  private MessageSplitter() {}

  /** The parts of {@code markdown}, each at most {@code max} UTF-16 units long; one part when it fits. */
  static List<String> split(String markdown, int max) {
    if (max < 16) {
      throw new IllegalArgumentException("max must leave room for code fences, was " + max);
    }
    List<String> parts = new ArrayList<>();
    String rest = markdown;
    String reopen = "";
    while (true) {
      String candidate = reopen + rest;
      if (candidate.length() <= max) {
        if (!candidate.isBlank() || parts.isEmpty()) {
          parts.add(candidate);
        }
        return parts;
      }
      // Room for closing a code block that the cut leaves open.
      int limit = max - (FENCE.length() + 1);
      Cut cut = cut(candidate, limit, reopen.length());
      String part = candidate.substring(0, cut.end());
      String language = openFenceLanguage(part);
      if (language != null) {
        part = (part.endsWith("\n") ? part : part + "\n") + FENCE;
        reopen = FENCE + language + "\n";
      } else {
        reopen = "";
      }
      if (!part.isBlank()) {
        parts.add(part);
      }
      rest = candidate.substring(cut.resume());
    }
  }

  private record Cut(int end, int resume) {}

  private static Cut cut(String s, int limit, int notBefore) {
    int floor = Math.max(notBefore + 1, limit / 2);
    int newline = s.lastIndexOf('\n', limit);
    if (newline >= floor) {
      return new Cut(newline, newline + 1);
    }
    int space = s.lastIndexOf(' ', limit);
    if (space >= floor) {
      return new Cut(space, space + 1);
    }
    int end = limit;
    if (Character.isLowSurrogate(s.charAt(end)) && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    int backslashes = 0;
    while (end - 1 - backslashes >= 0 && s.charAt(end - 1 - backslashes) == '\\') {
      backslashes++;
    }
    if (backslashes % 2 == 1) {
      end--;
    }
    int open = s.lastIndexOf('<', end - 1);
    if (open > notBefore && end - open < 64 && s.indexOf('>', open) >= end) {
      end = open;
    }
    return new Cut(Math.max(end, notBefore + 1), Math.max(end, notBefore + 1));
  }

  /** The language (possibly empty) of a code block still open at the end of {@code part}, or {@code null}. */
  private static @org.jspecify.annotations.Nullable String openFenceLanguage(String part) {
    String language = null;
    for (int i = part.indexOf(FENCE); i >= 0; i = part.indexOf(FENCE, i + FENCE.length())) {
      if (i > 0 && part.charAt(i - 1) == '\\') {
        continue;
      }
      if (language == null) {
        Matcher matcher = LANGUAGE.matcher(part).region(i + FENCE.length(), part.length());
        language = matcher.lookingAt() ? matcher.group() : "";
      } else {
        language = null;
      }
    }
    return language;
  }
}
