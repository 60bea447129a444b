package coop.relay.sandbox.slack.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Slack's emoji short names ({@code +1}, {@code tada}) and the Unicode emoji they stand for, with
 * skin tones as Slack writes them in reaction names ({@code +1::skin-tone-3}), plus the
 * workspace's custom emoji. Immutable after construction.
 */
final class Emoji {
  private static final String[] TONES = {"\uD83C\uDFFB", "\uD83C\uDFFC", "\uD83C\uDFFD", "\uD83C\uDFFE", "\uD83C\uDFFF"};
  private static final Map<String, String> UNICODE_BY_NAME = new HashMap<>();
  private static final Map<String, String> CANONICAL_BY_NAME = new HashMap<>();
  private static final Map<String, String> NAME_BY_UNICODE = new HashMap<>();

  static {
    try (InputStream in = Emoji.class.getResourceAsStream("emoji.tsv")) {
      if (in == null) {
        throw new IllegalStateException("emoji.tsv is missing from the sandbox jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] columns = line.split("\t");
        String[] names = columns[0].split(" ");
        StringBuilder unicode = new StringBuilder();
        for (String cp : columns[1].split(" ")) {
          unicode.appendCodePoint(Integer.parseInt(cp, 16));
        }
        for (String name : names) {
          UNICODE_BY_NAME.put(name, unicode.toString());
          CANONICAL_BY_NAME.put(name, names[0]);
        }
        NAME_BY_UNICODE.put(key(unicode.toString()), names[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Map<String, String> custom;

  Emoji(Map<String, String> custom) {
    this.custom = Map.copyOf(custom);
  }

  /**
   * The canonical reaction name for {@code name} as a client sends it to reactions.add (without
   * colons; an alias becomes its canonical name), or {@code null} if Slack would answer {@code
   * invalid_name}.
   */
  @Nullable String canonicalName(String name) {
    String base = name;
    String tone = "";
    int at = name.indexOf("::skin-tone-");
    if (at > 0) {
      base = name.substring(0, at);
      tone = name.substring(at);
      if (!tone.matches("::skin-tone-[2-6]")) {
        return null;
      }
    }
    if (custom.containsKey(base) && tone.isEmpty()) {
      return base;
    }
    String canonical = CANONICAL_BY_NAME.get(base);
    return canonical == null ? null : canonical + tone;
  }

  /** The reaction name for a Unicode emoji, or {@code null} if the emulator does not know it. */
  @Nullable String nameOf(String unicode) {
    String tone = "";
    String base = unicode;
    for (int i = 0; i < TONES.length; i++) {
      if (unicode.contains(TONES[i])) {
        tone = "::skin-tone-" + (i + 2);
        base = unicode.replace(TONES[i], "");
      }
    }
    String name = NAME_BY_UNICODE.get(key(base));
    if (name == null && custom.containsKey(unicode)) {
      return unicode;
    }
    return name == null ? null : name + tone;
  }

  /** The Unicode emoji for a reaction name, or the name itself for a custom emoji. */
  String unicodeOf(String name) {
    int at = name.indexOf("::skin-tone-");
    String base = at > 0 ? name.substring(0, at) : name;
    String unicode = UNICODE_BY_NAME.get(base);
    if (unicode == null) {
      return name;
    }
    if (at > 0) {
      int tone = name.charAt(name.length() - 1) - '2';
      int first = unicode.offsetByCodePoints(0, 1);
      return unicode.substring(0, first) + TONES[tone] + unicode.substring(first).replace("\uFE0F", "");
    }
    return unicode;
  }

  /** A picture of the emoji for {@code icons.image_64} (Slack's CDN, or the custom emoji's URL). */
  String imageUrl(String name) {
    String bare = name.startsWith(":") && name.endsWith(":") && name.length() > 2 ? name.substring(1, name.length() - 1) : name;
    String customUrl = custom.get(bare);
    if (customUrl != null) {
      return customUrl;
    }
    String unicode = UNICODE_BY_NAME.getOrDefault(bare, "\u2753");
    StringBuilder file = new StringBuilder();
    unicode.codePoints().filter(cp -> cp != 0xFE0F).forEach(cp -> {
      if (file.length() > 0) {
        file.append('-');
      }
      file.append(Integer.toHexString(cp).toLowerCase(Locale.ROOT));
    });
    return "https://a.slack-edge.com/production-standard-emoji-assets/14.0/apple-large/" + file + ".png";
  }

  private static String key(String unicode) {
    return unicode.replace("\uFE0F", "");
  }
}
