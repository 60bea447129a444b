package coop.relay.sandbox.telegram.internal;

import coop.relay.sandbox.internal.SandboxJson;
import java.util.List;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the emulator's state as Bot API objects ({@code User}, {@code Chat}, {@code Message},
 * {@code File}, ...), leaving out every optional field that has no value, as the Bot API does.
 */
final class Wire {
  private final JsonMapper json = SandboxJson.mapper();
  private final LongFunction<@Nullable TgUser> users;
  private final LongFunction<@Nullable TgChat> chats;

  Wire(LongFunction<@Nullable TgUser> users, LongFunction<@Nullable TgChat> chats) {
    this.users = users;
    this.chats = chats;
  }

  ObjectNode object() {
    return json.createObjectNode();
  }

  ArrayNode array() {
    return json.createArrayNode();
  }

  ObjectNode user(TgUser u) {
    ObjectNode o = object();
    o.put("id", u.id());
    o.put("is_bot", u.bot());
    o.put("first_name", u.firstName());
    if (u.lastName() != null) {
      o.put("last_name", u.lastName());
    }
    if (u.username() != null) {
      o.put("username", u.username());
    }
    if (!u.bot()) {
      o.put("language_code", "en");
    }
    return o;
  }

  ObjectNode me(TgUser bot) {
    ObjectNode o = user(bot);
    o.put("can_join_groups", true);
    o.put("can_read_all_group_messages", true);
    o.put("supports_inline_queries", false);
    o.put("can_connect_to_business", false);
    o.put("has_main_web_app", false);
    return o;
  }

  ObjectNode chat(TgChat c) {
    ObjectNode o = object();
    o.put("id", c.id);
    o.put("type", c.wireType());
    o.put("title", c.title);
    if (c.isForum()) {
      o.put("is_forum", true);
    }
    return o;
  }

  ObjectNode message(TgMessage m) {
    return message(m, true);
  }

  private ObjectNode message(TgMessage m, boolean withReply) {
    TgChat chat = chats.apply(m.chatId);
    TgUser author = users.apply(m.authorId);
    ObjectNode o = object();
    o.put("message_id", m.id);
    if (m.threadId != null) {
      o.put("message_thread_id", m.threadId);
    }
    if (m.fromChat && chat != null) {
      o.set("sender_chat", chat(chat));
    } else if (author != null) {
      o.set("from", user(author));
    }
    o.put("date", m.date);
    if (chat != null) {
      o.set("chat", chat(chat));
    }
    if (m.topicMessage) {
      o.put("is_topic_message", true);
    }
    if (withReply && chat != null) {
      Long target = m.replyToId != null ? m.replyToId : implicitReply(m);
      TgMessage replied = target == null ? null : chat.messages.get(target);
      if (replied != null && !replied.deleted) {
        o.set("reply_to_message", message(replied, false));
      }
    }
    if (m.editDate != null) {
      o.put("edit_date", m.editDate);
    }
    if (m.photo != null || m.document != null) {
      if (m.photo != null) {
        ArrayNode sizes = o.putArray("photo");
        sizes.add(photoSize(m.photo));
      }
      if (m.document != null) {
        o.set("document", document(m.document));
      }
      if (!m.content.text().isEmpty()) {
        o.put("caption", m.content.text());
        if (!m.content.entities().isEmpty()) {
          o.set("caption_entities", entities(m.content.entities()));
        }
      }
    } else if (m.service == null) {
      o.put("text", m.content.text());
      if (!m.content.entities().isEmpty()) {
        o.set("entities", entities(m.content.entities()));
      }
      if (m.linkPreview != null) {
        o.set("link_preview_options", m.linkPreview.deepCopy());
      }
    }
    if (m.service != null) {
      o.setAll(m.service.deepCopy());
    }
    return o;
  }

  /**
   * Messages in a forum topic answer the topic's first message when they answer nothing else, as
   * Telegram shows them; bridges must not mistake that for a reply.
   */
  static @Nullable Long implicitReply(TgMessage m) {
    return m.topicMessage && m.threadId != null && m.threadId != m.id ? m.threadId : null;
  }

  ArrayNode entities(List<Entity> entities) {
    ArrayNode a = array();
    for (Entity e : entities) {
      ObjectNode o = a.addObject();
      o.put("type", e.type());
      o.put("offset", e.offset());
      o.put("length", e.length());
      if (e.url() != null) {
        o.put("url", e.url());
      }
      if (e.userId() != null) {
        TgUser u = users.apply(e.userId());
        if (u != null) {
          o.set("user", user(u));
        }
      }
      if (e.language() != null) {
        o.put("language", e.language());
      }
      if (e.customEmojiId() != null) {
        o.put("custom_emoji_id", e.customEmojiId());
      }
      if (e.unixTime() != null) {
        o.put("unix_time", e.unixTime());
        if (e.dateTimeFormat() != null) {
          o.put("date_time_format", e.dateTimeFormat());
        }
      }
    }
    return a;
  }

  ObjectNode photoSize(TgFile f) {
    ObjectNode o = object();
    o.put("file_id", f.fileId());
    o.put("file_unique_id", f.uniqueId());
    o.put("width", f.width());
    o.put("height", f.height());
    o.put("file_size", f.size());
    return o;
  }

  ObjectNode document(TgFile f) {
    ObjectNode o = object();
    o.put("file_id", f.fileId());
    o.put("file_unique_id", f.uniqueId());
    o.put("file_name", f.fileName());
    o.put("mime_type", f.mimeType());
    o.put("file_size", f.size());
    return o;
  }

  ObjectNode file(TgFile f) {
    ObjectNode o = object();
    o.put("file_id", f.fileId());
    o.put("file_unique_id", f.uniqueId());
    o.put("file_size", f.size());
    o.put("file_path", f.path());
    return o;
  }

  ArrayNode reactionTypes(List<String> emoji) {
    ArrayNode a = array();
    for (String e : emoji) {
      ObjectNode o = a.addObject();
      o.put("type", "emoji");
      o.put("emoji", e);
    }
    return a;
  }
}
