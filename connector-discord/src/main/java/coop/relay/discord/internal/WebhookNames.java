package coop.relay.discord.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes a person's display name acceptable as a webhook message's {@code username}: 1 to 80
 * characters, without the words Discord refuses ("discord", "clyde"), without the substrings it
 * refuses in names ({@code @}, {@code #}, {@code :}, {@code ```}), and not "everyone" or "here".
 */
final class WebhookNames {
  static final int MAX_LENGTH = 80;
  private static final Pattern REFUSED_WORDS = Pattern.compile("(?i)discord|clyde");
  private static final String FALLBACK = "Someone";

  private WebhookNames() {}

  static String username(String displayName) {
    String name = displayName;
    String previous;
    do {
      // Removing one word can join its neighbours into another ("disclydecord").
      previous = name;
      name = REFUSED_WORDS.matcher(name).replaceAll("");
    } while (!name.equals(previous));
    name = name.replace("```", "").replace('@', '＠').replace('#', '＃').replace(':', '꞉');
    name = name.replaceAll("\\s+", " ").strip();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("everyone") || lower.equals("here")) {
      name = name + " (bridged)";
    }
    if (name.isEmpty()) {
      name = FALLBACK;
    }
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_LENGTH - 1)).strip() + "…";
    }
    return name;
  }
}
