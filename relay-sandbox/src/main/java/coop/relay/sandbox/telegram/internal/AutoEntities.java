package coop.relay.sandbox.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entities Telegram finds by itself in every text it accepts, formatted or not: URLs with a
 * scheme, e-mail addresses, {@code @username} mentions, hashtags, cashtags and bot commands. Found
 * nowhere inside code, pre and links. Bare domain names ({@code example.com}), which Telegram also
 * links, are not detected here.
 */
final class AutoEntities {
  private AutoEntities() {}

  private static final Set<String> OPAQUE =
      Set.of("code", "pre", "text_link", "text_mention", "url", "email", "custom_emoji", "date_time");

  private record Rule(String type, Pattern pattern) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule("url", Pattern.compile("(?i)(?<![\\w/])(?:https?|ftp)://[^\\s<>\"]+")),
          new Rule("email", Pattern.compile("(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(?![\\w])")),
          new Rule("mention", Pattern.compile("(?<![\\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\\w@])")),
          new Rule("hashtag", Pattern.compile("(?<![\\w#])#[\\p{L}\\p{N}_]*[\\p{L}_][\\p{L}\\p{N}_]*")),
          new Rule("cashtag", Pattern.compile("(?<![\\w$])\\$[A-Z]{1,8}(?![\\w])")),
          new Rule("bot_command", Pattern.compile("(?<![\\S])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z][A-Za-z0-9_]{2,31})?(?![\\w/])")));

  static FormattedText detect(FormattedText in) {
    List<Entity> all = new ArrayList<>(in.entities());
    String text = in.text();
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        int start = m.start();
        int end = m.end();
        if (rule.type().equals("url")) {
          while (end > start && ".,;:!?)'\"".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
          }
        }
        if (end > start && free(all, start, end)) {
          all.add(Entity.of(rule.type(), start, end - start));
        }
      }
    }
    all.sort(FormattedText.ORDER);
    return new FormattedText(text, all);
  }

  private static boolean free(List<Entity> entities, int start, int end) {
    for (Entity e : entities) {
      if (OPAQUE.contains(e.type()) && e.offset() < end && start < e.end()) {
        return false;
      }
    }
    return true;
  }
}
