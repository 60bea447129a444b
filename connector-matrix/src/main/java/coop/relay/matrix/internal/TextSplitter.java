package coop.relay.matrix.internal;

import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text that is too long for one event into parts of at most {@code limit} plain-text
 * characters: between top-level nodes where possible, preferring line breaks; a node that is too
 * long on its own is cut as plain text at the last white space (never inside a surrogate pair).
 */
final class TextSplitter {
  private TextSplitter() {}

  static List<RichText> split(RichText text, int limit) {
    if (text.plainText().length() <= limit) {
      return List.of(text);
    }
    List<RichText> parts = new ArrayList<>();
    List<Node> current = new ArrayList<>();
    int length = 0;
    for (Node node : text.nodes()) {
      int size = plainLength(node);
      if (size > limit) {
        flush(current, parts);
        length = 0;
        String rest = plain(node);
        while (rest.length() > limit) {
          int cut = cut(rest, limit);
          parts.add(RichText.of(rest.substring(0, cut)));
          rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty()) {
          current.add(new Text(rest));
          length = rest.length();
        }
        continue;
      }
      if (length + size > limit) {
        flush(current, parts);
        length = 0;
        if (node instanceof LineBreak) {
          continue; // the part boundary is the line break
        }
      }
      current.add(node);
      length += size;
    }
    flush(current, parts);
    return parts;
  }

  private static void flush(List<Node> current, List<RichText> parts) {
    while (!current.isEmpty() && current.get(current.size() - 1) instanceof LineBreak) {
      current.remove(current.size() - 1);
    }
    if (!current.isEmpty()) {
      parts.add(new RichText(current));
    }
    current.clear();
  }

  private static int cut(String text, int limit) {
    int cut = text.lastIndexOf(' ', limit);
    if (cut <= limit / 2) {
      cut = limit;
    }
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return cut;
  }

  private static int plainLength(Node node) {
    return plain(node).length();
  }

  private static String plain(Node node) {
    StringBuilder out = new StringBuilder();
    node.appendPlainText(out);
    return out.toString();
  }
}
