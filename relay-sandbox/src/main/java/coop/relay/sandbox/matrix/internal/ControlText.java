package coop.relay.sandbox.matrix.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Text a person types through the control API, turned into an {@code m.room.message} content the
 * way a Matrix client does: text with HTML tags becomes {@code org.matrix.custom.html} in {@code
 * formatted_body} with a plain-text {@code body}, plain text is just {@code body}; user pills
 * ({@code https://matrix.to/#/@user:server} links) become {@code m.mentions}.
 */
final class ControlText {
  private static final Pattern TAG = Pattern.compile("<[a-zA-Z/][^>]*>");
  private static final Pattern PILL = Pattern.compile("href=\"https://matrix\\.to/#/(@[^\"?]+)\"");
  private static final Pattern ENTITY = Pattern.compile("&(#x?[0-9a-fA-F]+|[a-z]+);");

  /** A parsed text: its plain body, its HTML (or null) and the users it mentions. */
  record Parsed(String body, @Nullable String html, Set<String> mentions) {
    /** Writes body, format, formatted_body and m.mentions into {@code content}. */
    void into(ObjectNode content) {
      content.put("msgtype", content.path("msgtype").asString("m.text"));
      content.put("body", body);
      if (html != null) {
        content.put("format", "org.matrix.custom.html");
        content.put("formatted_body", html);
      }
      var m = content.putObject("m.mentions");
      if (!mentions.isEmpty()) {
        var ids = m.putArray("user_ids");
        mentions.forEach(ids::add);
      }
    }
  }

  private ControlText() {}

  static Parsed parse(String text) {
    if (!TAG.matcher(text).find()) {
      return new Parsed(text, null, Set.of());
    }
    Set<String> mentions = new LinkedHashSet<>();
    Matcher pill = PILL.matcher(text);
    while (pill.find()) {
      mentions.add(java.net.URLDecoder.decode(pill.group(1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return new Parsed(plain(text), text, mentions);
  }

  /** The plain-text rendering of Matrix HTML: tags dropped, line breaks kept, entities decoded. */
  static String plain(String html) {
    String s = html
        .replaceAll("(?i)<br\\s*/?>", "\n")
        .replaceAll("(?i)</(p|div|h[1-6]|pre|blockquote|li)>", "\n")
        .replaceAll("(?i)<li[^>]*>", "- ")
        .replaceAll("(?i)<mx-reply>.*?</mx-reply>", "");
    s = TAG.matcher(s).replaceAll("");
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString().replaceAll("\n+$", "");
  }

  private static String entity(String name, String raw) {
    switch (name) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return "\"";
      case "apos": return "'";
      case "nbsp": return "\u00a0";
      default:
        try {
          if (name.startsWith("#x") || name.startsWith("#X")) {
            return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
          }
          if (name.startsWith("#")) {
            return new String(Character.toChars(Integer.parseInt(name.substring(1))));
          }
        } catch (IllegalArgumentException e) {
          return raw;
        }
        return raw;
    }
  }
}
