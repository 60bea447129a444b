package coop.relay.api.text;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An emoji: either a Unicode emoji or a platform's custom emoji with an image.
 *
 * @param name the short name without colons, e.g. {@code "thumbsup"} or {@code "partyparrot"}
 * @param unicode the Unicode sequence, or {@code null} for a custom emoji
 * @param imageUrl the image of a custom emoji, or {@code null}
 */
public record Emoji(String name, @Nullable String unicode, @Nullable String imageUrl) implements Node {
  /** Checks the components. */
  public Emoji {
    Objects.requireNonNull(name, "name");
    if (unicode == null && name.isBlank()) {
      throw new IllegalArgumentException("an emoji needs a name or a unicode value");
    }
  }

  /** A Unicode emoji. */
  public static Emoji unicode(String name, String unicode) {
    return new Emoji(name, unicode, null);
  }

  /** A custom emoji with an image. */
  public static Emoji custom(String name, @Nullable String imageUrl) {
    return new Emoji(name, null, imageUrl);
  }

  /** Whether this is a platform's custom emoji rather than a Unicode one. */
  public boolean isCustom() {
    return unicode == null;
  }

  /** The Unicode sequence, or {@code :name:} for a custom emoji. */
  @Override
  public void appendPlainText(StringBuilder out) {
    if (unicode != null) {
      out.append(unicode);
    } else {
      out.append(':').append(name).append(':');
    }
  }
}
