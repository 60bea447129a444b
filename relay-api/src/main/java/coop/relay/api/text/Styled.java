package coop.relay.api.text;

import java.util.List;
import java.util.Objects;

/**
 * A styled span: bold, italic, strike, underline or spoiler around other nodes.
 *
 * @param style the style
 * @param children what the style applies to
 */
public record Styled(Style style, List<Node> children) implements Node {
  /** Checks the components. */
  public Styled {
    Objects.requireNonNull(style, "style");
    children = RichText.normalize(children);
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    for (Node child : children) {
      child.appendPlainText(out);
    }
  }
}
