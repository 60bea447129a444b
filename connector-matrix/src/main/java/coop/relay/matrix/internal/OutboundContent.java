package coop.relay.matrix.internal;

import coop.relay.api.Attachment;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.RichText;
import coop.relay.support.Json;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The contents of the events the connector sends, as the spec defines them: {@code m.text} with a
 * faithful plain {@code body} (and {@code org.matrix.custom.html} when the text has formatting),
 * {@code m.mentions} naming exactly the pilled users (an empty one otherwise, so that nobody is pinged
 * by a name that happens to be in the text), reply and thread relations, edits with
 * {@code m.new_content} and the {@code "* "} fallback, media, reactions, and the origin marker under
 * {@value EventDecoder#ORIGIN_KEY}.
 */
final class OutboundContent {
  private OutboundContent() {}

  /** The content of a text message. */
  static ObjectNode text(RichText source, String html, Set<String> mentions, @Nullable MessageRef replyTo,
      @Nullable MessageRef threadRoot, OriginMarker origin) {
    ObjectNode content = body(source, html, mentions, "");
    relation(content, replyTo, threadRoot);
    content.put(EventDecoder.ORIGIN_KEY, origin.encode());
    return content;
  }

  /** The content of an edit of {@code target}: the new content, and a {@code "* "} fallback for old clients. */
  static ObjectNode edit(RichText source, String html, Set<String> mentions, MessageRef target, OriginMarker origin) {
    ObjectNode content = body(source, html, Set.of(), "* ");
    content.set("m.new_content", body(source, html, mentions, ""));
    content.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", target.messageId());
    content.put(EventDecoder.ORIGIN_KEY, origin.encode());
    return content;
  }

  /** The content of a media message for an uploaded file. */
  static ObjectNode media(Attachment attachment, String mxc, long size, @Nullable MessageRef replyTo,
      @Nullable MessageRef threadRoot, OriginMarker origin) {
    ObjectNode content = Json.mapper().createObjectNode();
    content.put("msgtype", msgtype(attachment.kind()));
    content.put("body", attachment.fileName());
    content.put("filename", attachment.fileName());
    content.put("url", mxc);
    content.putObject("info").put("mimetype", attachment.mediaType()).put("size", size);
    content.putObject("m.mentions");
    relation(content, replyTo, threadRoot);
    content.put(EventDecoder.ORIGIN_KEY, origin.encode());
    return content;
  }

  /** The content of a reaction. */
  static ObjectNode reaction(MessageRef target, String key) {
    ObjectNode content = Json.mapper().createObjectNode();
    content.putObject("m.relates_to").put("rel_type", "m.annotation").put("event_id", target.messageId()).put("key", key);
    return content;
  }

  static String msgtype(Attachment.Kind kind) {
    switch (kind) {
      case IMAGE:
        return "m.image";
      case VIDEO:
        return "m.video";
      case AUDIO:
        return "m.audio";
      default:
        return "m.file";
    }
  }

  private static ObjectNode body(RichText source, String html, Set<String> mentions, String fallbackPrefix) {
    ObjectNode content = Json.mapper().createObjectNode();
    content.put("msgtype", "m.text");
    content.put("body", fallbackPrefix + source.plainText());
    if (!HtmlRenderer.isPlain(source)) {
      content.put("format", "org.matrix.custom.html");
      content.put("formatted_body", fallbackPrefix + html);
    }
    ObjectNode mentioned = content.putObject("m.mentions");
    if (!mentions.isEmpty()) {
      ArrayNode users = mentioned.putArray("user_ids");
      mentions.forEach(users::add);
    }
    return content;
  }

  private static void relation(ObjectNode content, @Nullable MessageRef replyTo, @Nullable MessageRef threadRoot) {
    if (threadRoot != null) {
      ObjectNode relation = content.putObject("m.relates_to");
      relation.put("rel_type", "m.thread").put("event_id", threadRoot.messageId());
      // Clients without threads show the message as a reply: to the message it answers, else to the root.
      relation.put("is_falling_back", replyTo == null);
      relation.putObject("m.in_reply_to").put("event_id", replyTo != null ? replyTo.messageId() : threadRoot.messageId());
    } else if (replyTo != null) {
      content.putObject("m.relates_to").putObject("m.in_reply_to").put("event_id", replyTo.messageId());
    }
  }
}
