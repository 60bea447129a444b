package coop.relay.sandbox.telegram.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Bot API's {@code parse_mode=HTML} dialect into text and entities, refusing what the Bot
 * API refuses with its own wording ("can't parse entities: Unsupported start tag ..."). The rules are
 * those of the "Formatting options" section of the Bot API documentation: a fixed set of tags, only
 * {@code &lt; &gt; &amp; &quot;} as named entities plus every numeric one, {@code <pre><code
 * class="language-x">} for a code block's language.
 */
final class HtmlParser {

  private static final Set<String> TAGS =
      Set.of(
          "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
          "tg-emoji", "tg-time", "code", "pre", "blockquote");

  private record Open(String tag, @Nullable String argument, @Nullable String second, int start, int tagAt) {}

  private final String html;
  private final LongPredicate knownUser;
  private final StringBuilder out = new StringBuilder();
  private final Deque<Open> open = new ArrayDeque<>();
  private final List<Entity> entities = new ArrayList<>();
  private int i;

  private HtmlParser(String html, LongPredicate knownUser) {
    this.html = html;
    this.knownUser = knownUser;
  }

  /**
   * Parses {@code html}; {@code knownUser} says which user ids a {@code tg://user?id=} link may
   * mention (others are left as plain text, as Telegram does for users the bot cannot see).
   *
   * @throws BotApiException 400 "can't parse entities: ..." for markup the Bot API refuses
   */
  static FormattedText parse(String html, LongPredicate knownUser) {
    HtmlParser p = new HtmlParser(html, knownUser);
    p.run();
    return new FormattedText(p.out.toString(), p.entities);
  }

  private void run() {
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c == '&') {
        entity();
      } else if (c == '<') {
        if (i + 1 < html.length() && html.charAt(i + 1) == '/') {
          endTag();
        } else {
          startTag();
        }
      } else {
        out.append(c);
        i++;
      }
    }
    if (!open.isEmpty()) {
      throw fail("Can't find end tag corresponding to start tag \"" + open.peek().tag() + "\"");
    }
  }

  private void entity() {
    int semicolon = html.indexOf(';', i);
    if (semicolon > i + 1 && semicolon - i <= 12) {
      String name = html.substring(i + 1, semicolon);
      String decoded = decode(name);
      if (decoded != null) {
        out.append(decoded);
        i = semicolon + 1;
        return;
      }
    }
    // An ampersand that starts no known entity is kept as it is, as the Bot API does.
    out.append('&');
    i++;
  }

  static @Nullable String decode(String name) {
    switch (name) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return "\"";
      default:
        break;
    }
    if (name.startsWith("#")) {
      try {
        int cp =
            name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                ? Integer.parseInt(name.substring(2), 16)
                : Integer.parseInt(name.substring(1));
        if (cp > 0 && Character.isValidCodePoint(cp) && (cp < 0xD800 || cp > 0xDFFF)) {
          return new String(Character.toChars(cp));
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private void startTag() {
    int tagAt = i;
    i++;
    int nameStart = i;
    while (i < html.length() && !Character.isWhitespace(html.charAt(i)) && html.charAt(i) != '>') {
      i++;
    }
    if (i >= html.length()) {
      throw fail("Unclosed start tag at byte offset " + byteOffset(tagAt));
    }
    String tag = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
    if (!TAGS.contains(tag)) {
      throw fail("Unsupported start tag \"" + tag + "\" at byte offset " + byteOffset(tagAt));
    }
    String argument = null;
    String second = null;
    while (html.charAt(i) != '>') {
      while (i < html.length() && Character.isWhitespace(html.charAt(i))) {
        i++;
      }
      if (i >= html.length()) {
        throw fail("Unclosed start tag at byte offset " + byteOffset(tagAt));
      }
      if (html.charAt(i) == '>') {
        break;
      }
      int attrStart = i;
      while (i < html.length() && "=>/\"' \t\r\n".indexOf(html.charAt(i)) < 0) {
        i++;
      }
      String attr = html.substring(attrStart, i).toLowerCase(Locale.ROOT);
      if (attr.isEmpty()) {
        throw fail("Empty attribute name in the tag \"" + tag + "\" at byte offset " + byteOffset(tagAt));
      }
      while (i < html.length() && Character.isWhitespace(html.charAt(i))) {
        i++;
      }
      if (i >= html.length()) {
        throw fail("Unclosed start tag \"" + tag + "\" at byte offset " + byteOffset(tagAt));
      }
      if (html.charAt(i) != '=') {
        if (tag.equals("blockquote") && attr.equals("expandable")) {
          argument = "expandable";
        }
        continue;
      }
      i++;
      while (i < html.length() && Character.isWhitespace(html.charAt(i))) {
        i++;
      }
      if (i >= html.length()) {
        throw fail("Unclosed start tag \"" + tag + "\" at byte offset " + byteOffset(tagAt));
      }
      String value = attributeValue(tagAt);
      switch (tag + " " + attr) {
        case "a href", "tg-emoji emoji-id", "tg-time unix" -> argument = value;
        case "tg-time format" -> second = value;
        case "code class" -> {
          if (value.startsWith("language-")) {
            argument = value.substring("language-".length());
          }
        }
        case "span class" -> argument = value;
        case "blockquote expandable" -> argument = "expandable";
        default -> {
          // Unknown attributes are ignored, as the Bot API does.
        }
      }
    }
    i++;
    if (tag.equals("span") && !"tg-spoiler".equals(argument)) {
      throw fail("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + byteOffset(tagAt));
    }
    open.push(new Open(tag, argument, second, out.length(), tagAt));
  }

  private String attributeValue(int tagAt) {
    char quote = html.charAt(i);
    StringBuilder value = new StringBuilder();
    if (quote == '"' || quote == '\'') {
      i++;
      while (i < html.length() && html.charAt(i) != quote) {
        if (html.charAt(i) == '&') {
          int semicolon = html.indexOf(';', i);
          String decoded = semicolon > i + 1 ? decode(html.substring(i + 1, semicolon)) : null;
          if (decoded != null) {
            value.append(decoded);
            i = semicolon + 1;
            continue;
          }
        }
        value.append(html.charAt(i++));
      }
      if (i >= html.length()) {
        throw fail("Unclosed start tag at byte offset " + byteOffset(tagAt));
      }
      i++;
      return value.toString();
    }
    int start = i;
    while (i < html.length() && (Character.isLetterOrDigit(html.charAt(i)) || html.charAt(i) == '.' || html.charAt(i) == '-')) {
      i++;
    }
    if (i >= html.length()) {
      throw fail("Unclosed start tag at byte offset " + byteOffset(tagAt));
    }
    if (!Character.isWhitespace(html.charAt(i)) && html.charAt(i) != '>') {
      throw fail("Unexpected end of name token at byte offset " + byteOffset(i));
    }
    return html.substring(start, i).toLowerCase(Locale.ROOT);
  }

  private void endTag() {
    int tagAt = i;
    if (open.isEmpty()) {
      throw fail("Unexpected end tag at byte offset " + byteOffset(tagAt));
    }
    i += 2;
    int nameStart = i;
    while (i < html.length() && !Character.isWhitespace(html.charAt(i)) && html.charAt(i) != '>') {
      i++;
    }
    String name = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
    while (i < html.length() && Character.isWhitespace(html.charAt(i))) {
      i++;
    }
    if (i >= html.length() || html.charAt(i) != '>') {
      throw fail("Unclosed end tag at byte offset " + byteOffset(tagAt));
    }
    i++;
    Open top = open.pop();
    if (!name.isEmpty() && !name.equals(top.tag())) {
      throw fail(
          "Unmatched end tag at byte offset " + byteOffset(tagAt) + ", expected \"</" + top.tag()
              + ">\", found \"</" + name + ">\"");
    }
    close(top);
  }

  private void close(Open o) {
    int start = o.start();
    int length = out.length() - start;
    if (length <= 0) {
      return;
    }
    switch (o.tag()) {
      case "b", "strong" -> entities.add(Entity.of("bold", start, length));
      case "i", "em" -> entities.add(Entity.of("italic", start, length));
      case "u", "ins" -> entities.add(Entity.of("underline", start, length));
      case "s", "strike", "del" -> entities.add(Entity.of("strikethrough", start, length));
      case "span", "tg-spoiler" -> entities.add(Entity.of("spoiler", start, length));
      case "blockquote" ->
          entities.add(Entity.of("expandable".equals(o.argument()) ? "expandable_blockquote" : "blockquote", start, length));
      case "code" -> entities.add(Entity.of("code", start, length).withLanguage(o.argument()));
      case "pre" -> {
        Entity last = entities.isEmpty() ? null : entities.get(entities.size() - 1);
        String language = null;
        if (last != null && last.type().equals("code") && last.offset() == start && last.length() == length) {
          entities.remove(entities.size() - 1);
          language = last.language();
        }
        entities.add(Entity.of("pre", start, length).withLanguage(language));
      }
      case "tg-emoji" -> {
        String id = o.argument();
        if (id == null || !id.matches("[0-9]{1,19}")) {
          throw fail("Invalid custom emoji identifier specified");
        }
        entities.add(Entity.of("custom_emoji", start, length).withCustomEmoji(id));
      }
      case "tg-time" -> {
        String unix = o.argument();
        if (unix == null || !unix.matches("[0-9]{1,12}")) {
          throw fail("Invalid Unix time specified");
        }
        String format = o.second();
        if (format != null && !format.matches("r|w?[dD]?[tT]?")) {
          throw fail("Invalid date and time format specified");
        }
        entities.add(Entity.of("date_time", start, length).withTime(Long.parseLong(unix), format));
      }
      case "a" -> link(o, start, length);
      default -> throw new IllegalStateException("tag " + o.tag());
    }
  }

  private void link(Open o, int start, int length) {
    String href = o.argument() == null || o.argument().isEmpty() ? out.substring(start) : o.argument();
    String lower = href.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tg://user?id=")) {
      try {
        long id = Long.parseLong(href.substring("tg://user?id=".length()));
        if (knownUser.test(id)) {
          entities.add(Entity.of("text_mention", start, length).withUser(id));
        }
      } catch (NumberFormatException e) {
        // Not a user link after all: Telegram drops such a link and keeps the text.
      }
      return;
    }
    String url = href.contains("://") || lower.startsWith("tg:") || lower.startsWith("mailto:") ? href : "http://" + href;
    if (url.chars().noneMatch(Character::isWhitespace)) {
      entities.add(Entity.of("text_link", start, length).withUrl(url));
    }
  }

  private int byteOffset(int index) {
    return html.substring(0, Math.min(index, html.length())).getBytes(StandardCharsets.UTF_8).length;
  }

  private static BotApiException fail(String why) {
    return BotApiException.badRequest("can't parse entities: " + why);
  }
}
