package coop.relay.api.text;

import java.util.List;
import java.util.Objects;

/**
 * A hyperlink. A bare URL is a link whose only child is the URL itself.
 *
 * @param url the target
 * @param children the label
 */
public record Link(String url, List<Node> children) implements Node {
  /** Checks the components. */
  public Link {
    Objects.requireNonNull(url, "url");
    children = RichText.normalize(children);
  }

  /** Whether the label is just the URL, so that platforms may render it bare. */
  public boolean isBare() {
    return children.isEmpty() || (children.size() == 1 && children.get(0) instanceof Text t && t.value().equals(url));
  }

  /** Plain text is the label, followed by the URL in parentheses unless the label is the URL. */
  @Override
  public void appendPlainText(StringBuilder out) {
    if (isBare()) {
      out.append(url);
      return;
    }
    for (Node child : children) {
      child.appendPlainText(out);
    }
    out.append(" (").append(url).append(')');
  }
}
