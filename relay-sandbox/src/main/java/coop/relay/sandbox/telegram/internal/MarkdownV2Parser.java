package coop.relay.sandbox.telegram.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Bot API's {@code parse_mode=MarkdownV2} dialect into text and entities, with the Bot
 * API's errors for reserved characters that are not escaped and for entities that never end.
 */
final class MarkdownV2Parser {
  private static final String RESERVED = "_*[]()~`>#+-=|{}.!";

  private record Open(String type, String name, int start, int markerAt, @Nullable String extra) {}

  private final String md;
  private final LongPredicate knownUser;
  private final StringBuilder out = new StringBuilder();
  private final List<Open> open = new ArrayList<>();
  private final List<Entity> entities = new ArrayList<>();
  private int i;
  private @Nullable Open quote;

  private MarkdownV2Parser(String md, LongPredicate knownUser) {
    this.md = md;
    this.knownUser = knownUser;
  }

  static FormattedText parse(String md, LongPredicate knownUser) {
    MarkdownV2Parser p = new MarkdownV2Parser(md, knownUser);
    p.run();
    return new FormattedText(p.out.toString(), p.entities);
  }

  private void run() {
    boolean lineStart = true;
    while (i < md.length()) {
      char c = md.charAt(i);
      if (lineStart) {
        lineStart = false;
        if (md.startsWith("**>", i) && quote == null) {
          quote = new Open("expandable_blockquote", "ExpandableBlockQuote", out.length(), i, null);
          i += 3;
          continue;
        }
        if (c == '>') {
          if (quote == null) {
            quote = new Open("blockquote", "BlockQuote", out.length(), i, null);
          }
          i++;
          continue;
        }
        if (quote != null) {
          endQuote(out.length() - 1);
        }
      }
      if (c == '\\' && i + 1 < md.length() && md.charAt(i + 1) >= 1 && md.charAt(i + 1) <= 126) {
        out.append(md.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '\n') {
        out.append(c);
        i++;
        lineStart = true;
        continue;
      }
      if (quote != null && quote.type().equals("expandable_blockquote") && md.startsWith("||", i)
          && (i + 2 == md.length() || md.charAt(i + 2) == '\n')) {
        i += 2;
        endQuote(out.length());
        continue;
      }
      switch (c) {
        case '*' -> toggle("bold", "Bold", 1);
        case '_' -> {
          if (md.startsWith("__", i)) {
            toggle("underline", "Underline", 2);
          } else {
            toggle("italic", "Italic", 1);
          }
        }
        case '~' -> toggle("strikethrough", "Strikethrough", 1);
        case '|' -> {
          if (!md.startsWith("||", i)) {
            throw reserved(c);
          }
          toggle("spoiler", "Spoiler", 2);
        }
        case '`' -> code();
        case '[' -> {
          open.add(new Open("text_link", "TextUrl", out.length(), i, null));
          i++;
        }
        case '!' -> {
          if (i + 1 < md.length() && md.charAt(i + 1) == '[') {
            open.add(new Open("custom_emoji", "CustomEmoji", out.length(), i, null));
            i += 2;
          } else {
            throw reserved(c);
          }
        }
        case ']' -> closeLink();
        default -> {
          if (RESERVED.indexOf(c) >= 0) {
            throw reserved(c);
          }
          out.append(c);
          i++;
        }
      }
    }
    if (quote != null) {
      endQuote(out.length());
    }
    if (!open.isEmpty()) {
      Open o = open.get(open.size() - 1);
      throw fail("Can't find end of " + o.name() + " entity at byte offset " + byteOffset(o.markerAt()));
    }
  }

  private void endQuote(int end) {
    Open q = quote;
    quote = null;
    if (q != null && end > q.start()) {
      entities.add(Entity.of(q.type(), q.start(), end - q.start()));
    }
  }

  private void toggle(String type, String name, int width) {
    for (int k = open.size() - 1; k >= 0; k--) {
      Open o = open.get(k);
      if (o.type().equals(type)) {
        open.remove(k);
        if (out.length() > o.start()) {
          entities.add(Entity.of(type, o.start(), out.length() - o.start()));
        }
        i += width;
        return;
      }
    }
    open.add(new Open(type, name, out.length(), i, null));
    i += width;
  }

  private void code() {
    int markerAt = i;
    boolean block = md.startsWith("```", i);
    i += block ? 3 : 1;
    String language = null;
    if (block) {
      int newline = md.indexOf('\n', i);
      int fence = md.indexOf("```", i);
      if (newline >= 0 && (fence < 0 || newline < fence)) {
        String first = md.substring(i, newline);
        if (!first.isBlank() && first.chars().noneMatch(Character::isWhitespace)) {
          language = first;
        }
        i = newline + 1;
      }
    }
    int start = out.length();
    while (true) {
      if (i >= md.length()) {
        throw fail("Can't find end of " + (block ? "Pre" : "Code") + " entity at byte offset " + byteOffset(markerAt));
      }
      char c = md.charAt(i);
      if (c == '\\' && i + 1 < md.length()) {
        out.append(md.charAt(i + 1));
        i += 2;
        continue;
      }
      if (block ? md.startsWith("```", i) : c == '`') {
        i += block ? 3 : 1;
        break;
      }
      out.append(c);
      i++;
    }
    if (out.length() > start) {
      entities.add(Entity.of(block ? "pre" : "code", start, out.length() - start).withLanguage(block ? language : null));
    }
  }

  private void closeLink() {
    Open o = null;
    for (int k = open.size() - 1; k >= 0; k--) {
      String type = open.get(k).type();
      if (type.equals("text_link") || type.equals("custom_emoji")) {
        o = open.remove(k);
        break;
      }
    }
    if (o == null) {
      throw reserved(']');
    }
    i++;
    if (i >= md.length() || md.charAt(i) != '(') {
      if (o.type().equals("custom_emoji")) {
        throw fail("Can't find end of a custom emoji URL at byte offset " + byteOffset(i));
      }
      // "[text]" without a URL: the text stays, as Telegram keeps it.
      return;
    }
    i++;
    StringBuilder url = new StringBuilder();
    while (true) {
      if (i >= md.length()) {
        throw fail("Can't find end of a URL at byte offset " + byteOffset(o.markerAt()));
      }
      char c = md.charAt(i);
      if (c == '\\' && i + 1 < md.length()) {
        url.append(md.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == ')') {
        i++;
        break;
      }
      url.append(c);
      i++;
    }
    int length = out.length() - o.start();
    if (length <= 0) {
      return;
    }
    String target = url.toString();
    if (o.type().equals("custom_emoji")) {
      if (target.startsWith("tg://emoji?id=")) {
        entities.add(Entity.of("custom_emoji", o.start(), length).withCustomEmoji(target.substring(14)));
      } else if (target.startsWith("tg://time?")) {
        entities.add(time(o.start(), length, target.substring(10)));
      } else {
        throw fail("Custom emoji URL must have scheme tg");
      }
      return;
    }
    if (target.startsWith("tg://user?id=")) {
      try {
        long id = Long.parseLong(target.substring(13));
        if (knownUser.test(id)) {
          entities.add(Entity.of("text_mention", o.start(), length).withUser(id));
        }
      } catch (NumberFormatException e) {
        // Telegram drops links it cannot use and keeps their text.
      }
      return;
    }
    if (!target.isEmpty() && target.chars().noneMatch(Character::isWhitespace)) {
      entities.add(Entity.of("text_link", o.start(), length).withUrl(target.contains("://") ? target : "http://" + target));
    }
  }

  private Entity time(int start, int length, String query) {
    long unix = 0;
    String format = null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String k = pair.substring(0, eq);
      String v = pair.substring(eq + 1);
      if (k.equals("unix")) {
        try {
          unix = Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw fail("Invalid Unix time specified");
        }
      } else if (k.equals("format")) {
        format = v;
      }
    }
    return Entity.of("date_time", start, length).withTime(unix, format);
  }

  private BotApiException reserved(char c) {
    return fail("Character '" + c + "' is reserved and must be escaped with the preceding '\\'");
  }

  private int byteOffset(int index) {
    return md.substring(0, Math.min(index, md.length())).getBytes(StandardCharsets.UTF_8).length;
  }

  private static BotApiException fail(String why) {
    return BotApiException.badRequest("can't parse entities: " + why);
  }
}
