package coop.relay.sandbox.telegram.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Parses the Bot API's legacy {@code parse_mode=Markdown}: {@code *bold*}, {@code _italic_}, {@code
 * `code`}, {@code ```pre```} (with a language on the opening line), {@code [text](url)}; no nesting,
 * and only {@code _ * ` [} can be escaped, outside entities.
 */
final class LegacyMarkdownParser {
  private LegacyMarkdownParser() {}

  static FormattedText parse(String md, LongPredicate knownUser) {
    StringBuilder out = new StringBuilder();
    List<Entity> entities = new ArrayList<>();
    int i = 0;
    while (i < md.length()) {
      char c = md.charAt(i);
      if (c == '\\' && i + 1 < md.length() && "_*`[".indexOf(md.charAt(i + 1)) >= 0) {
        out.append(md.charAt(i + 1));
        i += 2;
        continue;
      }
      if ("_*`[".indexOf(c) < 0) {
        out.append(c);
        i++;
        continue;
      }
      int markerAt = i;
      int start = out.length();
      if (c == '`' && md.startsWith("```", i)) {
        int end = md.indexOf("```", i + 3);
        if (end < 0) {
          throw unterminated(md, markerAt);
        }
        String body = md.substring(i + 3, end);
        String language = null;
        int newline = body.indexOf('\n');
        if (newline >= 0 && !body.substring(0, newline).isBlank()
            && body.substring(0, newline).chars().noneMatch(Character::isWhitespace)) {
          language = body.substring(0, newline);
          body = body.substring(newline + 1);
        }
        out.append(body);
        if (!body.isEmpty()) {
          entities.add(Entity.of("pre", start, body.length()).withLanguage(language));
        }
        i = end + 3;
        continue;
      }
      if (c == '[') {
        int close = md.indexOf(']', i + 1);
        if (close < 0 || close + 1 >= md.length() || md.charAt(close + 1) != '(') {
          throw unterminated(md, markerAt);
        }
        int paren = md.indexOf(')', close + 2);
        if (paren < 0) {
          throw unterminated(md, markerAt);
        }
        String text = md.substring(i + 1, close);
        String url = md.substring(close + 2, paren);
        out.append(text);
        if (!text.isEmpty()) {
          if (url.startsWith("tg://user?id=")) {
            try {
              long id = Long.parseLong(url.substring(13));
              if (knownUser.test(id)) {
                entities.add(Entity.of("text_mention", start, text.length()).withUser(id));
              }
            } catch (NumberFormatException e) {
              // Telegram keeps the text of links it cannot use.
            }
          } else if (!url.isEmpty() && url.chars().noneMatch(Character::isWhitespace)) {
            entities.add(Entity.of("text_link", start, text.length()).withUrl(url.contains("://") ? url : "http://" + url));
          }
        }
        i = paren + 1;
        continue;
      }
      int end = md.indexOf(c, i + 1);
      if (end < 0) {
        throw unterminated(md, markerAt);
      }
      String body = md.substring(i + 1, end);
      out.append(body);
      if (!body.isEmpty()) {
        String type = c == '*' ? "bold" : c == '_' ? "italic" : "code";
        entities.add(Entity.of(type, start, body.length()));
      }
      i = end + 1;
    }
    return new FormattedText(out.toString(), entities);
  }

  private static BotApiException unterminated(String md, int at) {
    int bytes = md.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
    return BotApiException.badRequest("can't parse entities: Can't find end of the entity starting at byte offset " + bytes);
  }
}
