package coop.relay.core.internal;

import coop.relay.api.Identity;
import coop.relay.api.Interceptor;
import coop.relay.api.Message;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The name template: the author's name put before the text on platforms that cannot show it
 * otherwise. Parsed once; applying it builds a small prefix tree per message.
 */
public final class NameTemplate implements Interceptor {
  private static final String WORD_JOINER = "\u2060";

  private enum Placeholder { NAME, PLATFORM, USER }

  /** A run of the template: literal text or a placeholder, bold or not. */
  private record Part(boolean bold, @Nullable String literal, @Nullable Placeholder placeholder) {}

  private final List<Part> parts;
  private final boolean noPing;
  /**
   * The last message templated. A message fanned out to several platforms that cannot puppet passes
   * here once per platform with the same source, and gets the same result: built once, shared.
   */
  private volatile @Nullable Memo last;

  private record Memo(Message source, String platform, Message result) {}

  private NameTemplate(List<Part> parts, boolean noPing) {
    this.parts = List.copyOf(parts);
    this.noPing = noPing;
  }

  /**
   * Parses a template such as {@code "**{name}** ({platform}): "}.
   *
   * @throws IllegalArgumentException on an unknown placeholder, an unclosed brace or unbalanced {@code **}
   */
  public static NameTemplate parse(String template, boolean noPing) {
    List<Part> parts = new ArrayList<>();
    boolean bold = false;
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      if (template.startsWith("**", i)) {
        flush(parts, literal, bold);
        bold = !bold;
        i += 2;
      } else if (template.charAt(i) == '{') {
        int close = template.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '{' in name template \"" + template + "\"");
        }
        String key = template.substring(i + 1, close);
        Placeholder placeholder = switch (key) {
          case "name" -> Placeholder.NAME;
          case "platform" -> Placeholder.PLATFORM;
          case "user" -> Placeholder.USER;
          default -> throw new IllegalArgumentException("unknown placeholder {" + key + "} in name template \""
              + template + "\"; use {name}, {platform} or {user}");
        };
        flush(parts, literal, bold);
        parts.add(new Part(bold, null, placeholder));
        i = close + 1;
      } else {
        literal.append(template.charAt(i));
        i++;
      }
    }
    if (bold) {
      throw new IllegalArgumentException("unbalanced '**' in name template \"" + template + "\"");
    }
    flush(parts, literal, false);
    return new NameTemplate(parts, noPing);
  }

  private static void flush(List<Part> parts, StringBuilder literal, boolean bold) {
    if (literal.length() > 0) {
      parts.add(new Part(bold, literal.toString(), null));
      literal.setLength(0);
    }
  }

  /** Whether the template adds nothing at all. */
  public boolean isEmpty() {
    return parts.isEmpty();
  }

  /** The prefix for a message by {@code author} from {@code platform}. */
  public RichText prefix(Identity author, String platform) {
    List<Node> nodes = new ArrayList<>(parts.size());
    for (Part part : parts) {
      String value = part.literal != null ? part.literal : valueOf(part.placeholder, author, platform);
      if (value.isEmpty()) {
        continue;
      }
      Node text = new Text(value);
      nodes.add(part.bold ? new Styled(Style.BOLD, List.of(text)) : text);
    }
    return new RichText(nodes);
  }

  private String valueOf(@Nullable Placeholder placeholder, Identity author, String platform) {
    if (placeholder == null) {
      return "";
    }
    return switch (placeholder) {
      case NAME -> noPing ? unpingable(author.displayName()) : author.displayName();
      case PLATFORM -> platform;
      case USER -> author.user().userId();
    };
  }

  /** Platforms highlight a name only when it matches whole; a word joiner keeps it looking the same. */
  private static String unpingable(String name) {
    if (name.codePointCount(0, name.length()) < 2) {
      return name;
    }
    int firstEnd = name.offsetByCodePoints(0, 1);
    return name.substring(0, firstEnd) + WORD_JOINER + name.substring(firstEnd);
  }

  @Override
  public @Nullable Message intercept(Chain chain) {
    Message message = chain.message();
    if (isEmpty() || chain.destinationCapabilities().puppeting().canPuppet()) {
      return chain.proceed(message);
    }
    Memo memo = last;
    if (memo == null || memo.source != message || !memo.platform.equals(chain.sourcePlatform())) {
      Message templated = message.withText(prefix(message.author(), chain.sourcePlatform()).concat(message.text()));
      memo = new Memo(message, chain.sourcePlatform(), templated);
      last = memo;
    }
    return chain.proceed(memo.result);
  }
}
