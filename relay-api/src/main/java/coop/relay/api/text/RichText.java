package coop.relay.api.text;

import coop.relay.api.ChannelRef;
import coop.relay.api.UserRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Portable rich text: an immutable tree of {@link Node}s that every connector parses its platform's
 * markup into and renders back from.
 *
 * <p>Trees are normalised on construction (adjacent texts merged, empty texts dropped, line feeds
 * turned into {@link LineBreak}s), so two texts that mean the same thing are {@link #equals equal}.
 *
 * <pre>{@code
 * RichText text = RichText.builder()
 *     .text("Meeting at ").bold("10:00").text(" in ")
 *     .link("https://example.org/room", "the room")
 *     .build();
 * text.plainText(); // "Meeting at 10:00 in the room (https://example.org/room)"
 * }</pre>
 *
 * @param nodes the top-level nodes, immutable
 */
public record RichText(List<Node> nodes) {
  private static final RichText EMPTY = new RichText(List.of());

  /** Normalises the nodes; see the class comment. */
  public RichText {
    nodes = normalize(nodes);
  }

  /** The empty text. */
  public static RichText empty() {
    return EMPTY;
  }

  /** Plain text, literally: markup characters in it are text, not formatting. */
  public static RichText of(String plain) {
    return new RichText(List.of(new Text(plain)));
  }

  /** A builder for a new text. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the text has no nodes at all. */
  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /**
   * The text without formatting, as a platform with no markup would show it: styles are dropped,
   * links become {@code label (url)}, mentions {@code @name} and {@code #name}, custom emoji
   * {@code :name:}, quoted lines start with {@code "> "}.
   */
  public String plainText() {
    StringBuilder out = new StringBuilder();
    for (Node node : nodes) {
      node.appendPlainText(out);
    }
    return out.toString();
  }

  /** This text followed by {@code other}. */
  public RichText concat(RichText other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<Node> joined = new ArrayList<>(nodes.size() + other.nodes.size());
    joined.addAll(nodes);
    joined.addAll(other.nodes);
    return new RichText(joined);
  }

  @Override
  public String toString() {
    return "RichText" + nodes;
  }

  /** Normalises a node list: see the class comment. Shared by the container nodes. */
  static List<Node> normalize(@Nullable List<Node> input) {
    Objects.requireNonNull(input, "nodes");
    if (isNormal(input)) {
      return List.copyOf(input); // returns the same list when it is already an immutable copy
    }
    List<Node> out = new ArrayList<>(input.size());
    StringBuilder pending = new StringBuilder();
    for (Node node : input) {
      Objects.requireNonNull(node, "a rich text node is null");
      if (node instanceof Text t) {
        pending.append(t.value());
        continue;
      }
      flushText(pending, out);
      out.add(node);
    }
    flushText(pending, out);
    return List.copyOf(out);
  }

  private static boolean isNormal(List<Node> input) {
    boolean previousWasText = false;
    for (Node node : input) {
      if (node instanceof Text t) {
        if (previousWasText || t.value().isEmpty() || t.value().indexOf('\n') >= 0) {
          return false;
        }
        previousWasText = true;
      } else {
        if (node == null) {
          return false;
        }
        previousWasText = false;
      }
    }
    return true;
  }

  private static void flushText(StringBuilder pending, List<Node> out) {
    int start = 0;
    for (int i = 0; i < pending.length(); i++) {
      if (pending.charAt(i) == '\n') {
        if (i > start) {
          out.add(new Text(pending.substring(start, i)));
        }
        out.add(LineBreak.INSTANCE);
        start = i + 1;
      }
    }
    if (start < pending.length()) {
      out.add(new Text(pending.substring(start)));
    }
    pending.setLength(0);
  }

  /**
   * Builds a {@link RichText}. Not thread-safe; build one text per builder. Nested styles take a
   * consumer that fills the inner builder:
   * {@code builder.bold(b -> b.text("very ").italic("important"))}.
   */
  public static final class Builder {
    private final List<Node> nodes = new ArrayList<>();

    Builder() {}

    /** Appends literal text; line feeds become line breaks. */
    public Builder text(String text) {
      nodes.add(new Text(text));
      return this;
    }

    /** Appends any node. */
    public Builder append(Node node) {
      nodes.add(Objects.requireNonNull(node, "node"));
      return this;
    }

    /** Appends every node of another text. */
    public Builder append(RichText text) {
      nodes.addAll(text.nodes());
      return this;
    }

    /** Appends a styled span of plain text. */
    public Builder styled(Style style, String text) {
      return append(new Styled(style, List.of(new Text(text))));
    }

    /** Appends a styled span whose content the consumer builds. */
    public Builder styled(Style style, Consumer<Builder> content) {
      return append(new Styled(style, nested(content)));
    }

    /** Appends bold content. */
    public Builder bold(String text) {
      return styled(Style.BOLD, text);
    }

    /** Appends bold content. */
    public Builder bold(Consumer<Builder> content) {
      return styled(Style.BOLD, content);
    }

    /** Appends italic content. */
    public Builder italic(String text) {
      return styled(Style.ITALIC, text);
    }

    /** Appends italic content. */
    public Builder italic(Consumer<Builder> content) {
      return styled(Style.ITALIC, content);
    }

    /** Appends struck-through text. */
    public Builder strike(String text) {
      return styled(Style.STRIKE, text);
    }

    /** Appends underlined text. */
    public Builder underline(String text) {
      return styled(Style.UNDERLINE, text);
    }

    /** Appends a spoiler. */
    public Builder spoiler(String text) {
      return styled(Style.SPOILER, text);
    }

    /** Appends inline code. */
    public Builder code(String code) {
      return append(new InlineCode(code));
    }

    /** Appends a code block; {@code language} may be {@code null}. */
    public Builder codeBlock(@Nullable String language, String code) {
      return append(new CodeBlock(language, code));
    }

    /** Appends a link with a plain label. */
    public Builder link(String url, String label) {
      return append(new Link(url, List.of(new Text(label))));
    }

    /** Appends a bare URL. */
    public Builder url(String url) {
      return link(url, url);
    }

    /** Appends a link whose label the consumer builds. */
    public Builder link(String url, Consumer<Builder> label) {
      return append(new Link(url, nested(label)));
    }

    /** Appends a user mention. */
    public Builder mention(UserRef user, String displayName) {
      return append(new UserMention(user, displayName));
    }

    /** Appends a channel mention. */
    public Builder channel(ChannelRef channel, String name) {
      return append(new ChannelMention(channel, name));
    }

    /** Appends a Unicode emoji. */
    public Builder emoji(String name, String unicode) {
      return append(Emoji.unicode(name, unicode));
    }

    /** Appends a custom emoji. */
    public Builder customEmoji(String name, @Nullable String imageUrl) {
      return append(Emoji.custom(name, imageUrl));
    }

    /** Appends a block quote whose content the consumer builds. */
    public Builder quote(Consumer<Builder> content) {
      return append(new Quote(nested(content)));
    }

    /** Appends a line break. */
    public Builder lineBreak() {
      return append(LineBreak.INSTANCE);
    }

    /** The text built so far; the builder may go on to build a longer one. */
    public RichText build() {
      return new RichText(nodes);
    }

    private static List<Node> nested(Consumer<Builder> content) {
      Builder inner = new Builder();
      content.accept(inner);
      return inner.nodes;
    }
  }
}
