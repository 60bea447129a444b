package coop.relay.discord.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.ChannelMention;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.InlineCode;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Discord markdown (as people type it and as {@link MarkdownRenderer} writes it) into
 * {@link RichText}: bold, italic, underline, strike, spoiler, inline code, code blocks with their
 * language, block quotes ({@code >} and {@code >>>}), masked and bare links, mentions of users,
 * channels and roles, custom emoji and timestamps. Headings become bold lines and lists stay text,
 * as {@code RichText} has no such blocks. Never fails: what is not markdown is text.
 */
final class MarkdownParser {
  private static final Pattern URL = Pattern.compile("https?://[^\\s<]+[^<.,:;\"')\\]\\s]");
  private static final Pattern ANGLE = Pattern.compile(
      "<(?:@!?(\\d{1,20})|#(\\d{1,20})|@&(\\d{1,20})|(a?):(\\w{2,32}):(\\d{1,20})|t:(-?\\d{1,13})(?::([tTdDfFR]))?"
          + "|(https?://[^\\s>]+)|/([\\w -]{1,96}):\\d{1,20})>");
  private static final Pattern LANGUAGE = Pattern.compile("([A-Za-z0-9_+#.-]{1,32})\\n");
  private static final Pattern HEADING = Pattern.compile("(#{1,3}) (.*)");
  private static final DateTimeFormatter SHORT_TIME = utc("HH:mm");
  private static final DateTimeFormatter LONG_TIME = utc("HH:mm:ss");
  private static final DateTimeFormatter SHORT_DATE = utc("dd/MM/yyyy");
  private static final DateTimeFormatter LONG_DATE = utc("d MMMM yyyy");
  private static final DateTimeFormatter SHORT_DATE_TIME = utc("d MMMM yyyy HH:mm");
  private static final DateTimeFormatter LONG_DATE_TIME = utc("EEEE, d MMMM yyyy HH:mm");
  private static final DateTimeFormatter RELATIVE = utc("yyyy-MM-dd HH:mm");

  private final String connectorId;
  private final String cdnBaseUrl;

  MarkdownParser(String connectorId, String cdnBaseUrl) {
    this.connectorId = connectorId;
    this.cdnBaseUrl = cdnBaseUrl;
  }

  /** The rich text of a message's {@code content}. */
  RichText parse(String markdown, MentionNames names) {
    List<Node> out = new ArrayList<>();
    blocks(markdown, names, out);
    return new RichText(out);
  }

  private enum Kind { NORMAL, HEADING, SUBTEXT, QUOTE }

  private record Block(Kind kind, String text) {}

  private void blocks(String markdown, MentionNames names, List<Node> out) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    StringBuilder normal = null;
    StringBuilder quote = null;
    boolean inFence = false;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!inFence && (line.startsWith(">>> ") || line.equals(">>>"))) {
        normal = flush(blocks, Kind.NORMAL, normal);
        quote = flush(blocks, Kind.QUOTE, quote);
        StringBuilder rest = new StringBuilder(line.substring(Math.min(4, line.length())));
        for (int j = i + 1; j < lines.length; j++) {
          rest.append('\n').append(lines[j]);
        }
        blocks.add(new Block(Kind.QUOTE, rest.toString()));
        break;
      }
      if (!inFence && (line.startsWith("> ") || line.equals(">"))) {
        normal = flush(blocks, Kind.NORMAL, normal);
        quote = quote == null ? new StringBuilder() : quote.append('\n');
        quote.append(line.substring(Math.min(2, line.length())));
        continue;
      }
      quote = flush(blocks, Kind.QUOTE, quote);
      Matcher heading = HEADING.matcher(line);
      if (!inFence && heading.matches()) {
        normal = flush(blocks, Kind.NORMAL, normal);
        blocks.add(new Block(Kind.HEADING, heading.group(2)));
        continue;
      }
      if (!inFence && line.startsWith("-# ")) {
        normal = flush(blocks, Kind.NORMAL, normal);
        blocks.add(new Block(Kind.SUBTEXT, line.substring(3)));
        continue;
      }
      normal = normal == null ? new StringBuilder() : normal.append('\n');
      normal.append(line);
      if (countFences(line) % 2 == 1) {
        inFence = !inFence;
      }
    }
    flush(blocks, Kind.NORMAL, normal);
    flush(blocks, Kind.QUOTE, quote);

    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      if (b > 0 && blocks.get(b - 1).kind() != Kind.QUOTE) {
        out.add(LineBreak.INSTANCE); // a quote ends its own line; other blocks are separated by one
      }
      switch (block.kind()) {
        case NORMAL, SUBTEXT -> inline(block.text(), 0, block.text().length(), names, out);
        case HEADING -> {
          List<Node> content = new ArrayList<>();
          inline(block.text(), 0, block.text().length(), names, content);
          out.add(new Styled(Style.BOLD, content));
        }
        case QUOTE -> {
          List<Node> content = new ArrayList<>();
          blocks(block.text(), names, content);
          out.add(new Quote(content));
        }
      }
    }
  }

  private static @org.jspecify.annotations.Nullable StringBuilder flush(
      List<Block> blocks, Kind kind, @org.jspecify.annotations.Nullable StringBuilder pending) {
    if (pending != null) {
      blocks.add(new Block(kind, pending.toString()));
    }
    return null;
  }

  private static int countFences(String line) {
    int count = 0;
    for (int i = line.indexOf("```"); i >= 0; i = line.indexOf("```", i + 3)) {
      if (i == 0 || line.charAt(i - 1) != '\\') {
        count++;
      }
    }
    return count;
  }

  private void inline(String s, int from, int to, MentionNames names, List<Node> out) {
    StringBuilder text = new StringBuilder();
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      int next = -1;
      List<Node> produced = new ArrayList<>(1);
      switch (c) {
        case '\\' -> {
          if (i + 1 < to && isEscapable(s.charAt(i + 1))) {
            text.append(s.charAt(i + 1));
            i += 2;
            continue;
          }
        }
        case '`' -> next = code(s, i, to, produced);
        case '<' -> next = angle(s, i, to, names, produced);
        case '[' -> next = maskedLink(s, i, to, names, produced);
        case 'h' -> next = bareUrl(s, i, to, produced);
        case '*' -> next = s.startsWith("**", i)
            ? span(s, i, to, "**", Style.BOLD, names, produced)
            : span(s, i, to, "*", Style.ITALIC, names, produced);
        case '_' -> next = s.startsWith("__", i)
            ? span(s, i, to, "__", Style.UNDERLINE, names, produced)
            : span(s, i, to, "_", Style.ITALIC, names, produced);
        case '~' -> next = s.startsWith("~~", i) ? span(s, i, to, "~~", Style.STRIKE, names, produced) : -1;
        case '|' -> next = s.startsWith("||", i) ? span(s, i, to, "||", Style.SPOILER, names, produced) : -1;
        default -> { }
      }
      if (next < 0) {
        text.append(c);
        i++;
        continue;
      }
      if (text.length() > 0) {
        out.add(new Text(text.toString()));
        text.setLength(0);
      }
      out.addAll(produced);
      i = next;
    }
    if (text.length() > 0) {
      out.add(new Text(text.toString()));
    }
  }

  private static boolean isEscapable(char c) {
    return !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** A code block or an inline code span at {@code i}; the index after it, or -1. */
  private static int code(String s, int i, int to, List<Node> out) {
    if (s.startsWith("```", i)) {
      int close = s.indexOf("```", i + 3);
      if (close >= 0 && close + 3 <= to) {
        String inner = s.substring(i + 3, close);
        String language = null;
        Matcher lang = LANGUAGE.matcher(inner);
        if (lang.lookingAt()) {
          language = lang.group(1);
          inner = inner.substring(lang.end());
        } else if (inner.startsWith("\n")) {
          inner = inner.substring(1);
        }
        if (inner.endsWith("\n")) {
          inner = inner.substring(0, inner.length() - 1);
        }
        if (!inner.isEmpty()) {
          out.add(new CodeBlock(language, inner));
          return close + 3;
        }
      }
    }
    int run = s.startsWith("``", i) ? 2 : 1;
    int close = findBacktickRun(s, i + run, to, run);
    if (close < 0 || close == i + run) {
      return -1;
    }
    String code = s.substring(i + run, close);
    if (run == 2 && code.length() >= 2 && code.startsWith(" ") && code.endsWith(" ")) {
      code = code.substring(1, code.length() - 1);
    }
    out.add(new InlineCode(code));
    return close + run;
  }

  private static int findBacktickRun(String s, int from, int to, int run) {
    int j = from;
    while (j < to) {
      if (s.charAt(j) == '`') {
        int length = 0;
        while (j + length < to && s.charAt(j + length) == '`') {
          length++;
        }
        if (length == run) {
          return j;
        }
        j += length;
      } else {
        j++;
      }
    }
    return -1;
  }

  private int angle(String s, int i, int to, MentionNames names, List<Node> out) {
    Matcher m = ANGLE.matcher(s).region(i, to);
    if (!m.lookingAt()) {
      return -1;
    }
    if (m.group(1) != null) {
      String id = m.group(1);
      String name = names.user(id);
      out.add(new UserMention(new UserRef(connectorId, id), name == null ? id : name));
    } else if (m.group(2) != null) {
      String id = m.group(2);
      String name = names.channel(id);
      out.add(new ChannelMention(ChannelRef.of(connectorId, id), name == null ? id : name));
    } else if (m.group(3) != null) {
      String name = names.role(m.group(3));
      out.add(new Text("@" + (name == null ? "role" : name)));
    } else if (m.group(5) != null) {
      boolean animated = !m.group(4).isEmpty();
      out.add(Emoji.custom(m.group(5), cdnBaseUrl + "/emojis/" + m.group(6) + (animated ? ".gif" : ".png")));
    } else if (m.group(7) != null) {
      out.add(new Text(timestamp(Long.parseLong(m.group(7)), m.group(8))));
    } else if (m.group(9) != null) {
      String url = m.group(9);
      out.add(new Link(url, List.of(new Text(url))));
    } else {
      out.add(new Text("/" + m.group(10)));
    }
    return m.end();
  }

  private int maskedLink(String s, int i, int to, MentionNames names, List<Node> out) {
    int depth = 0;
    int close = -1;
    for (int j = i + 1; j < to; j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        if (depth == 0) {
          close = j;
          break;
        }
        depth--;
      } else if (c == '\n') {
        return -1;
      }
    }
    if (close < 0 || close + 1 >= to || s.charAt(close + 1) != '(' || close == i + 1) {
      return -1;
    }
    int urlStart = close + 2;
    int urlEnd;
    String url;
    if (urlStart < to && s.charAt(urlStart) == '<') {
      urlEnd = s.indexOf('>', urlStart);
      if (urlEnd < 0 || urlEnd + 1 >= to || s.charAt(urlEnd + 1) != ')') {
        return -1;
      }
      url = s.substring(urlStart + 1, urlEnd);
      urlEnd++;
    } else {
      urlEnd = urlStart;
      while (urlEnd < to && s.charAt(urlEnd) != ')' && !Character.isWhitespace(s.charAt(urlEnd))) {
        urlEnd++;
      }
      if (urlEnd >= to || s.charAt(urlEnd) != ')') {
        return -1;
      }
      url = s.substring(urlStart, urlEnd);
    }
    if (!(url.startsWith("https://") || url.startsWith("http://")) || url.length() <= "http://".length()) {
      return -1;
    }
    List<Node> label = new ArrayList<>();
    inline(s, i + 1, close, names, label);
    out.add(new Link(url, label));
    return urlEnd + 1;
  }

  private static int bareUrl(String s, int i, int to, List<Node> out) {
    if (!(s.startsWith("http://", i) || s.startsWith("https://", i)) || (i > 0 && isWordChar(s.charAt(i - 1)))) {
      return -1;
    }
    Matcher m = URL.matcher(s).region(i, to);
    if (!m.lookingAt()) {
      return -1;
    }
    out.add(new Link(m.group(), List.of(new Text(m.group()))));
    return m.end();
  }

  /** A styled span opened by {@code marker} at {@code i}; the index after its closing marker, or -1. */
  private int span(String s, int i, int to, String marker, Style style, MentionNames names, List<Node> out) {
    int open = i + marker.length();
    if (open >= to) {
      return -1;
    }
    boolean single = marker.length() == 1;
    if (single && Character.isWhitespace(s.charAt(open))) {
      return -1;
    }
    if (marker.equals("_") && i > 0 && isWordChar(s.charAt(i - 1))) {
      return -1; // snake_case_words are not italic
    }
    int close = findClose(s, open, to, marker);
    if (close < 0) {
      return -1;
    }
    List<Node> children = new ArrayList<>();
    inline(s, open, close, names, children);
    out.add(new Styled(style, children));
    return close + marker.length();
  }

  /**
   * The closing {@code marker} for a span whose content starts at {@code from}, skipping escapes,
   * code spans and, for one-character markers, doubled markers (a bold inside an italic).
   */
  private int findClose(String s, int from, int to, String marker) {
    char m = marker.charAt(0);
    boolean single = marker.length() == 1;
    int j = from;
    while (j < to) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '`') {
        int run = s.startsWith("``", j) ? 2 : 1;
        if (s.startsWith("```", j)) {
          int end = s.indexOf("```", j + 3);
          if (end >= 0 && end + 3 <= to) {
            j = end + 3;
            continue;
          }
        }
        int end = findBacktickRun(s, j + run, to, run);
        j = end < 0 ? j + run : end + run;
        continue;
      }
      if (c == m) {
        if (single && j + 1 < to && s.charAt(j + 1) == m) {
          int inner = findClose(s, j + 2, to, marker + marker);
          if (inner >= 0 && inner > j + 2) {
            j = inner + 2;
            continue;
          }
          if (j > from && !Character.isWhitespace(s.charAt(j - 1)) && m == '*') {
            return j; // "*a***" closes the italic before a bold that never closes
          }
          j += 2;
          continue;
        }
        if (j > from && isValidClose(s, j, to, marker)) {
          return j;
        }
      }
      j++;
    }
    return -1;
  }

  private static boolean isValidClose(String s, int j, int to, String marker) {
    char m = marker.charAt(0);
    int after = j + marker.length();
    if (!s.startsWith(marker, j)) {
      return false;
    }
    if (marker.length() == 1) {
      if (Character.isWhitespace(s.charAt(j - 1))) {
        return false;
      }
      return m != '_' || after >= to || !isWordChar(s.charAt(after));
    }
    return after >= to || s.charAt(after) != m;
  }

  private static String timestamp(long seconds, @org.jspecify.annotations.Nullable String style) {
    Instant at;
    try {
      at = Instant.ofEpochSecond(seconds);
    } catch (java.time.DateTimeException e) {
      return "<t:" + seconds + ">";
    }
    String s = style == null ? "f" : style;
    return switch (s) {
      case "t" -> SHORT_TIME.format(at) + " UTC";
      case "T" -> LONG_TIME.format(at) + " UTC";
      case "d" -> SHORT_DATE.format(at);
      case "D" -> LONG_DATE.format(at);
      case "F" -> LONG_DATE_TIME.format(at) + " UTC";
      case "R" -> RELATIVE.format(at) + " UTC";
      default -> SHORT_DATE_TIME.format(at) + " UTC";
    };
  }

  private static DateTimeFormatter utc(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).withZone(ZoneOffset.UTC);
  }
}
