package coop.relay.sandbox.telegram.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders text and entities back into the Bot API's HTML dialect, for the {@code formatted} field
 * of the control API's history. Entities that cross each other are closed and reopened around the
 * crossing, so the output always nests.
 */
final class HtmlRenderer {
  private HtmlRenderer() {}

  static String render(FormattedText formatted) {
    String text = formatted.text();
    List<Entity> sorted = new ArrayList<>(formatted.entities());
    sorted.sort(FormattedText.ORDER);
    List<Entity> stack = new ArrayList<>();
    StringBuilder html = new StringBuilder();
    int next = 0;
    for (int pos = 0; pos <= text.length(); pos++) {
      // Close what ends here, reopening anything opened inside it that goes on.
      List<Entity> reopen = new ArrayList<>();
      for (int k = stack.size() - 1; k >= 0; k--) {
        if (stack.get(k).end() == pos) {
          for (int j = stack.size() - 1; j >= k; j--) {
            Entity e = stack.remove(j);
            html.append(close(e));
            if (e.end() > pos) {
              reopen.add(0, e);
            }
          }
        }
      }
      for (Entity e : reopen) {
        html.append(open(e));
        stack.add(e);
      }
      while (next < sorted.size() && sorted.get(next).offset() == pos) {
        Entity e = sorted.get(next++);
        if (e.end() <= text.length() && tagged(e)) {
          html.append(open(e));
          stack.add(e);
        }
      }
      if (pos < text.length()) {
        char c = text.charAt(pos);
        switch (c) {
          case '<' -> html.append("&lt;");
          case '>' -> html.append("&gt;");
          case '&' -> html.append("&amp;");
          case '"' -> html.append("&quot;");
          default -> html.append(c);
        }
      }
    }
    return html.toString();
  }

  private static boolean tagged(Entity e) {
    return !open(e).isEmpty();
  }

  private static String open(Entity e) {
    return switch (e.type()) {
      case "bold" -> "<b>";
      case "italic" -> "<i>";
      case "underline" -> "<u>";
      case "strikethrough" -> "<s>";
      case "spoiler" -> "<tg-spoiler>";
      case "code" -> "<code>";
      case "pre" -> e.language() == null ? "<pre>" : "<pre><code class=\"language-" + attr(e.language()) + "\">";
      case "text_link" -> "<a href=\"" + attr(e.url()) + "\">";
      case "text_mention" -> "<a href=\"tg://user?id=" + e.userId() + "\">";
      case "blockquote" -> "<blockquote>";
      case "expandable_blockquote" -> "<blockquote expandable>";
      case "custom_emoji" -> "<tg-emoji emoji-id=\"" + attr(e.customEmojiId()) + "\">";
      case "date_time" ->
          "<tg-time unix=\"" + e.unixTime() + "\"" + (e.dateTimeFormat() == null ? "" : " format=\"" + attr(e.dateTimeFormat()) + "\"") + ">";
      default -> "";
    };
  }

  private static String close(Entity e) {
    return switch (e.type()) {
      case "bold" -> "</b>";
      case "italic" -> "</i>";
      case "underline" -> "</u>";
      case "strikethrough" -> "</s>";
      case "spoiler" -> "</tg-spoiler>";
      case "code" -> "</code>";
      case "pre" -> e.language() == null ? "</pre>" : "</code></pre>";
      case "text_link", "text_mention" -> "</a>";
      case "blockquote", "expandable_blockquote" -> "</blockquote>";
      case "custom_emoji" -> "</tg-emoji>";
      case "date_time" -> "</tg-time>";
      default -> "";
    };
  }

  private static String attr(@org.jspecify.annotations.Nullable String value) {
    return value == null ? "" : value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
