package coop.relay.telegram.internal;

import coop.relay.api.UserRef;
import coop.relay.api.text.CodeBlock;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.InlineCode;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.Quote;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.UserMention;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns a message's text and Bot API entities into {@link RichText}. Entities count UTF-16 code
 * units, which is what Java string indices count, so astral characters (emoji) before an entity
 * need no conversion; a boundary that falls inside a surrogate pair (only a malformed payload has
 * one) is widened to keep the pair whole. Entities that cross their parent are clipped to it, and
 * types Relay does not model (hashtags, commands, e-mail, phone numbers, dates) stay plain text.
 * Stateless and thread-safe.
 */
final class EntityDecoder {
  private final String connectorId;

  EntityDecoder(String connectorId) {
    this.connectorId = connectorId;
  }

  /** The rich text of {@code text} with {@code entities}; {@code null} text is empty. */
  RichText decode(@Nullable String text, @Nullable List<Wire.MessageEntity> entities) {
    if (text == null || text.isEmpty()) {
      return RichText.empty();
    }
    return decode(new FormattedText(text, spans(text, entities)));
  }

  /** The rich text of already converted spans. */
  RichText decode(FormattedText formatted) {
    List<Node> nodes = new ArrayList<>();
    new Walk(formatted).build(nodes, 0, formatted.text().length());
    return new RichText(nodes);
  }

  /** The entities Relay models, as spans inside the text. */
  static List<Span> spans(String text, @Nullable List<Wire.MessageEntity> entities) {
    if (entities == null || entities.isEmpty()) {
      return List.of();
    }
    List<Span> spans = new ArrayList<>(entities.size());
    for (Wire.MessageEntity entity : entities) {
      if (entity == null) {
        continue;
      }
      Span.Kind kind = Span.Kind.of(entity.type());
      if (kind == null || entity.length() <= 0 || entity.offset() < 0 || entity.offset() >= text.length()) {
        continue;
      }
      int start = widenStart(text, entity.offset());
      int end = widenEnd(text, (int) Math.min((long) entity.offset() + entity.length(), text.length()));
      String argument = switch (kind) {
        case TEXT_LINK -> entity.url();
        case TEXT_MENTION -> entity.user() == null ? null : Long.toString(entity.user().id());
        case PRE -> entity.language();
        case CUSTOM_EMOJI -> entity.customEmojiId();
        default -> null;
      };
      if ((kind == Span.Kind.TEXT_LINK || kind == Span.Kind.TEXT_MENTION) && (argument == null || argument.isBlank())) {
        continue;
      }
      spans.add(new Span(kind, start, end, argument));
    }
    return spans;
  }

  private static int widenStart(String text, int index) {
    return index > 0 && Character.isLowSurrogate(text.charAt(index)) && Character.isHighSurrogate(text.charAt(index - 1))
        ? index - 1
        : index;
  }

  private static int widenEnd(String text, int index) {
    return index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))
        && Character.isHighSurrogate(text.charAt(index - 1))
        ? index + 1
        : index;
  }

  /** One pass over the spans, which are sorted outer first. */
  private final class Walk {
    private final String text;
    private final List<Span> spans;
    private int next;

    Walk(FormattedText formatted) {
      this.text = formatted.text();
      this.spans = formatted.spans();
    }

    /** Appends the nodes of {@code [from, to)}, consuming the spans that start inside it. */
    void build(List<Node> out, int from, int to) {
      int position = from;
      while (next < spans.size() && spans.get(next).start() < to) {
        Span span = spans.get(next++);
        int start = Math.max(span.start(), position);
        int end = Math.min(span.end(), to);
        if (end <= start) {
          continue; // crossed an earlier sibling or its parent: malformed, dropped
        }
        text(out, position, start);
        List<Node> children = new ArrayList<>();
        build(children, start, end);
        out.add(node(span, text.substring(start, end), children));
        position = end;
      }
      text(out, position, to);
    }

    private void text(List<Node> out, int from, int to) {
      if (to > from) {
        out.add(new Text(text.substring(from, to)));
      }
    }
  }

  private Node node(Span span, String covered, List<Node> children) {
    return switch (span.kind()) {
      case BOLD -> new Styled(Style.BOLD, children);
      case ITALIC -> new Styled(Style.ITALIC, children);
      case UNDERLINE -> new Styled(Style.UNDERLINE, children);
      case STRIKETHROUGH -> new Styled(Style.STRIKE, children);
      case SPOILER -> new Styled(Style.SPOILER, children);
      case BLOCKQUOTE -> new Quote(children);
      case CODE -> new InlineCode(covered);
      case PRE -> new CodeBlock(span.argument(), covered);
      case TEXT_LINK -> new Link(String.valueOf(span.argument()), children);
      case URL -> new Link(withScheme(covered), List.of(new Text(covered)));
      case MENTION -> covered.startsWith("@") && covered.length() > 1
          ? new UserMention(new UserRef(connectorId, covered), covered.substring(1))
          : new Text(covered);
      case TEXT_MENTION -> new UserMention(new UserRef(connectorId, String.valueOf(span.argument())),
          covered.startsWith("@") && covered.length() > 1 ? covered.substring(1) : covered);
      case CUSTOM_EMOJI -> span.argument() == null || span.argument().isBlank()
          ? new Text(covered)
          : new Emoji(span.argument(), covered, null);
    };
  }

  /** Telegram links bare domains ({@code example.org/page}); other platforms need the scheme. */
  private static String withScheme(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.contains("://") || lower.startsWith("mailto:") || lower.startsWith("tg:") ? url : "http://" + url;
  }
}
