package coop.relay.api.text;

import java.util.Objects;

/**
 * Literal text. Never contains a line feed: {@link RichText} splits those into {@link LineBreak}s
 * so that two equal texts always have equal trees.
 *
 * @param value the characters, shown literally on every platform (renderers escape markup)
 */
public record Text(String value) implements Node {
  /** Checks the components. */
  public Text {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append(value);
  }
}
