package coop.relay.api.text;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A block of preformatted code.
 *
 * @param language the language for syntax highlighting, or {@code null} when unknown
 * @param code the literal code; may contain line feeds
 */
public record CodeBlock(@Nullable String language, String code) implements Node {
  /** Checks the components. */
  public CodeBlock {
    Objects.requireNonNull(code, "code");
    if (language != null && language.isBlank()) {
      language = null;
    }
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append(code);
  }
}
