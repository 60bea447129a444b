package coop.relay.api.text;

import java.util.List;

/**
 * A block quote.
 *
 * @param children the quoted content
 */
public record Quote(List<Node> children) implements Node {
  /** Checks the components. */
  public Quote {
    children = RichText.normalize(children);
  }

  /** Every quoted line is prefixed with {@code "> "}, and the quote ends with a line break. */
  @Override
  public void appendPlainText(StringBuilder out) {
    StringBuilder inner = new StringBuilder();
    for (Node child : children) {
      child.appendPlainText(inner);
    }
    int start = 0;
    int length = inner.length();
    while (start <= length) {
      int end = inner.indexOf("\n", start);
      if (end < 0) {
        end = length;
      }
      if (end == length && start == length && start > 0) {
        break;
      }
      out.append("> ").append(inner, start, end).append('\n');
      start = end + 1;
    }
  }
}
