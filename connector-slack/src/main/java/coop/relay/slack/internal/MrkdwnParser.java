package coop.relay.slack.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.ChannelMention;
import coop.relay.api.text.CodeBlock;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads Slack message text ({@code mrkdwn}, as Slack delivers it in events) into {@link RichText}.
 *
 * <p>Slack escapes {@code &}, {@code <} and {@code >} in the text it delivers, so a literal
 * {@code <} is always {@code &lt;} and every {@code <...>} is markup: a link, a mention, a special
 * mention or a date. Styles follow Slack's rules: a marker opens after the start or a non-word
 * character and before a non-space, closes after a non-space and before the end or a non-word
 * character, and never spans lines; nothing is formatted inside code. Mass mentions
 * ({@code <!here>}, {@code <!channel>}, {@code <!everyone>}) and user-group mentions become plain
 * text, so they can never ping anyone after the bridge.
 *
 * <p>Immutable and thread-safe; never fails: what is not markup is text.
 */
final class MrkdwnParser {
  private static final int MAX_EMOJI_NAME = 100;
  /** Written before a literal {@code >} at the start of a line so that Slack does not quote the line. */
  static final char QUOTE_GUARD = '\u200B';

  private final String connectorId;
  private final Function<String, @Nullable String> userNames;
  private final Function<String, @Nullable String> channelNames;

  /**
   * @param connectorId the connector the mentioned users and channels belong to
   * @param userNames the display name of a user id, when known without asking Slack
   * @param channelNames the name of a channel id, when known without asking Slack
   */
  MrkdwnParser(String connectorId, Function<String, @Nullable String> userNames,
      Function<String, @Nullable String> channelNames) {
    this.connectorId = connectorId;
    this.userNames = userNames;
    this.channelNames = channelNames;
  }

  /** A parser that knows no names: mentions show the ids, or the labels Slack sent along. */
  static MrkdwnParser withoutNames(String connectorId) {
    return new MrkdwnParser(connectorId, id -> null, id -> null);
  }

  RichText parse(@Nullable String mrkdwn) {
    if (mrkdwn == null || mrkdwn.isEmpty()) {
      return RichText.empty();
    }
    return new RichText(blocks(mrkdwn, true));
  }

  private List<Node> blocks(String s, boolean quotesAllowed) {
    List<Node> out = new ArrayList<>();
    int segment = 0;
    int i = 0;
    while (i < s.length()) {
      boolean lineStart = i == 0 || s.charAt(i - 1) == '\n';
      if (lineStart && quotesAllowed && quoteMarker(s, i) > 0) {
        inline(s, segment, i, out);
        StringBuilder quoted = new StringBuilder();
        int j = i;
        while (j < s.length() && quoteMarker(s, j) > 0) {
          int end = s.indexOf('\n', j);
          if (end < 0) {
            end = s.length();
          }
          if (quoted.length() > 0) {
            quoted.append('\n');
          }
          quoted.append(s, j + quoteMarker(s, j), end);
          j = Math.min(end + 1, s.length());
        }
        out.add(new Quote(blocks(quoted.toString(), false)));
        i = j;
        segment = j;
        continue;
      }
      if (s.startsWith("```", i)) {
        int end = s.indexOf("```", i + 3);
        if (end >= 0) {
          inline(s, segment, i, out);
          out.add(new CodeBlock(null, codeBlockContent(decode(s.substring(i + 3, end)))));
          i = end + 3;
          segment = i;
          continue;
        }
      }
      i++;
    }
    inline(s, segment, s.length(), out);
    return out;
  }

  /** The length of the quote marker ({@code &gt;} or {@code >}, and one space) at {@code i}, or 0. */
  private static int quoteMarker(String s, int i) {
    int length;
    if (s.startsWith("&gt;", i)) {
      length = 4;
    } else if (i < s.length() && s.charAt(i) == '>') {
      length = 1;
    } else {
      return 0;
    }
    return i + length < s.length() && s.charAt(i + length) == ' ' ? length + 1 : length;
  }

  /** Slack shows a code block's first and last line feed as part of the fence, not of the code. */
  private static String codeBlockContent(String code) {
    String result = code.startsWith("\n") ? code.substring(1) : code;
    return result.endsWith("\n") ? result.substring(0, result.length() - 1) : result;
  }

  private void inline(String s, int from, int to, List<Node> out) {
    StringBuilder text = new StringBuilder();
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '`') {
        int end = s.indexOf('`', i + 1);
        int lineEnd = s.indexOf('\n', i);
        if (end > i + 1 && end < to && (lineEnd < 0 || lineEnd > end)) {
          flush(text, out);
          out.add(new InlineCode(decode(s.substring(i + 1, end))));
          i = end + 1;
          continue;
        }
      } else if (c == '<') {
        int end = s.indexOf('>', i + 1);
        if (end > i + 1 && end < to) {
          Node node = angle(s.substring(i + 1, end));
          if (node != null) {
            flush(text, out);
            out.add(node);
            i = end + 1;
            continue;
          }
        }
      } else if ((c == '*' || c == '_' || c == '~') && canOpen(s, i, from, to)) {
        int close = findClose(s, c, i + 1, to);
        if (close > 0) {
          flush(text, out);
          List<Node> children = new ArrayList<>();
          inline(s, i + 1, close, children);
          out.add(new Styled(style(c), children));
          i = close + 1;
          continue;
        }
      } else if (c == ':' && (i == from || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
        int end = emojiEnd(s, i, to);
        if (end > 0) {
          flush(text, out);
          out.add(EmojiNames.fromSlackName(s.substring(i + 1, end)));
          i = end + 1;
          continue;
        }
      } else if (c == '&') {
        int length = entityLength(s, i);
        if (length > 0) {
          text.append(entity(s, i));
          i += length;
          continue;
        }
      } else if (c == QUOTE_GUARD && (i == from || s.charAt(i - 1) == '\n') && s.startsWith("&gt;", i + 1)) {
        i++;
        continue;
      } else if (c == '\n') {
        flush(text, out);
        out.add(LineBreak.INSTANCE);
        i++;
        continue;
      }
      text.append(c);
      i++;
    }
    flush(text, out);
  }

  private static Style style(char marker) {
    return switch (marker) {
      case '*' -> Style.BOLD;
      case '_' -> Style.ITALIC;
      default -> Style.STRIKE;
    };
  }

  private static boolean canOpen(String s, int i, int from, int to) {
    if (i + 1 >= to) {
      return false;
    }
    char next = s.charAt(i + 1);
    if (Character.isWhitespace(next) || next == s.charAt(i)) {
      return false;
    }
    return i == from || isBoundary(s.charAt(i - 1));
  }

  /** The index of the marker that closes one opened before {@code from}, or -1. */
  private static int findClose(String s, char marker, int from, int to) {
    int j = from;
    while (j < to) {
      char c = s.charAt(j);
      if (c == '\n') {
        return -1;
      }
      if (c == '`' || c == '<') {
        // Markers inside code and links do not close anything.
        int end = s.indexOf(c == '`' ? '`' : '>', j + 1);
        if (end > j && end < to) {
          j = end + 1;
          continue;
        }
      }
      if (c == marker && j > from && !Character.isWhitespace(s.charAt(j - 1))
          && (j + 1 == to || isBoundary(s.charAt(j + 1)))) {
        return j;
      }
      j++;
    }
    return -1;
  }

  private static boolean isBoundary(char c) {
    return !Character.isLetterOrDigit(c);
  }

  /** The index of the colon closing an emoji code opened at {@code i}, or -1. */
  private static int emojiEnd(String s, int i, int to) {
    int limit = Math.min(to, i + 2 + MAX_EMOJI_NAME);
    int end = -1;
    for (int j = i + 1; j < limit; j++) {
      if (s.charAt(j) == ':') {
        end = j;
        break;
      }
    }
    if (end <= i + 1) {
      return -1;
    }
    String name = s.substring(i + 1, end);
    if (!EmojiNames.isSlackName(name) || !(EmojiNames.isKnown(name) || hasLetter(name))) {
      return -1;
    }
    // Slack writes skin tones as a second code right after the first: ":+1::skin-tone-3:".
    if (s.startsWith("::skin-tone-", end) && end + 13 < to && Character.isDigit(s.charAt(end + 12))
        && s.charAt(end + 13) == ':') {
      end += 13;
    }
    if (end + 1 < to && Character.isLetterOrDigit(s.charAt(end + 1))) {
      return -1;
    }
    return end;
  }

  private static boolean hasLetter(String name) {
    for (int k = 0; k < name.length(); k++) {
      if (Character.isLetter(name.charAt(k))) {
        return true;
      }
    }
    return false;
  }

  /** A link, mention or special token from the inside of {@code <...>}, or {@code null} when it is none. */
  private @Nullable Node angle(String content) {
    int bar = content.indexOf('|');
    String target = bar < 0 ? content : content.substring(0, bar);
    String label = bar < 0 ? null : decode(content.substring(bar + 1));
    if (target.startsWith("@") && target.length() > 1) {
      String id = target.substring(1);
      String name = label != null && !label.isBlank() ? label : userNames.apply(id);
      return new UserMention(new UserRef(connectorId, id), name == null ? id : name);
    }
    if (target.startsWith("#") && target.length() > 1) {
      String id = target.substring(1);
      String name = label != null && !label.isBlank() ? label : channelNames.apply(id);
      return new ChannelMention(new ChannelRef(connectorId, id), name == null ? id : name);
    }
    if (target.startsWith("!")) {
      return new Text(special(target.substring(1), label));
    }
    if (!Urls.hasScheme(target)) {
      return null;
    }
    String url = decode(target);
    return new Link(url, List.of(new Text(label == null || label.isEmpty() ? url : label)));
  }

  /** The text shown for {@code <!...>}: never the token itself, so it pings nobody after the bridge. */
  private static String special(String token, @Nullable String label) {
    if (label != null && !label.isBlank()) {
      return label;
    }
    int caret = token.indexOf('^');
    String kind = caret < 0 ? token : token.substring(0, caret);
    return switch (kind) {
      case "here", "channel", "everyone" -> "@" + kind;
      case "subteam" -> "@" + token.substring(caret + 1);
      default -> token;
    };
  }

  private static void flush(StringBuilder text, List<Node> out) {
    if (text.length() > 0) {
      out.add(new Text(text.toString()));
      text.setLength(0);
    }
  }

  /** {@code s} with Slack's three entities decoded. */
  static String decode(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int length = s.charAt(i) == '&' ? entityLength(s, i) : 0;
      if (length > 0) {
        out.append(entity(s, i));
        i += length;
      } else {
        out.append(s.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private static int entityLength(String s, int i) {
    if (s.startsWith("&amp;", i)) {
      return 5;
    }
    if (s.startsWith("&lt;", i) || s.startsWith("&gt;", i)) {
      return 4;
    }
    return 0;
  }

  private static char entity(String s, int i) {
    return switch (s.charAt(i + 1)) {
      case 'a' -> '&';
      case 'l' -> '<';
      default -> '>';
    };
  }
}
