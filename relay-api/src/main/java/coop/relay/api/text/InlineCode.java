package coop.relay.api.text;

import java.util.Objects;

/**
 * Inline code (monospace, no formatting inside).
 *
 * @param code the literal code
 */
public record InlineCode(String code) implements Node {
  /** Checks the components. */
  public InlineCode {
    Objects.requireNonNull(code, "code");
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append(code);
  }
}
