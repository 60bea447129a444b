package coop.relay.slack.internal;

import coop.relay.support.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads Socket Mode frames and Events API bodies in one streaming pass, keeping only the fields of
 * {@link SlackEvent} and skipping the rest unread into a tree: message events carry large
 * {@code blocks}, {@code attachments} and profiles the bridge never looks at. Fields of an unexpected
 * JSON type are skipped as if absent. Stateless and thread-safe.
 */
final class WireReader {
  /** How deep {@code message} / {@code previous_message} nest before they are skipped. */
  private static final int MAX_NESTING = 2;

  private WireReader() {}

  /**
   * Reads a Socket Mode frame.
   *
   * @throws JacksonException when the bytes are not a JSON object
   */
  static SocketFrame readFrame(byte[] json) {
    try (JsonParser p = Json.mapper().createParser(json)) {
      expectObject(p);
      String type = null;
      String envelopeId = null;
      int retryAttempt = 0;
      String reason = null;
      String appId = null;
      Callback payload = null;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "type" -> type = string(p);
          case "envelope_id" -> envelopeId = string(p);
          case "retry_attempt" -> retryAttempt = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getValueAsInt(0) : skipInt(p);
          case "reason" -> reason = string(p);
          case "connection_info" -> appId = nestedString(p, "app_id");
          case "payload" -> payload = p.currentToken() == JsonToken.START_OBJECT ? callbackBody(p) : skipNull(p);
          default -> p.skipChildren();
        }
      }
      return new SocketFrame(type, envelopeId, retryAttempt, reason, appId, payload);
    }
  }

  /**
   * Reads an Events API request body.
   *
   * @throws JacksonException when the bytes are not a JSON object
   */
  static Callback readCallback(byte[] json) {
    try (JsonParser p = Json.mapper().createParser(json)) {
      expectObject(p);
      return callbackBody(p);
    }
  }

  private static Callback callbackBody(JsonParser p) {
    String type = null;
    String eventId = null;
    String challenge = null;
    String apiAppId = null;
    SlackEvent event = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> type = string(p);
        case "event_id" -> eventId = string(p);
        case "challenge" -> challenge = string(p);
        case "api_app_id" -> apiAppId = string(p);
        case "event" -> event = p.currentToken() == JsonToken.START_OBJECT ? event(p, 0) : skipNull(p);
        default -> p.skipChildren();
      }
    }
    return new Callback(type, eventId, challenge, apiAppId, event);
  }

  private static SlackEvent event(JsonParser p, int depth) {
    EventBuilder e = new EventBuilder();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> e.type = string(p);
        case "subtype" -> e.subtype = string(p);
        case "channel" -> e.channel = string(p);
        case "user" -> e.user = string(p);
        case "bot_id" -> e.botId = string(p);
        case "app_id" -> e.appId = string(p);
        case "username" -> e.username = string(p);
        case "text" -> e.text = string(p);
        case "ts" -> e.ts = string(p);
        case "thread_ts" -> e.threadTs = string(p);
        case "event_ts" -> e.eventTs = string(p);
        case "hidden" -> e.hidden = p.currentToken() == JsonToken.VALUE_TRUE;
        case "deleted_ts" -> e.deletedTs = string(p);
        case "reaction" -> e.reaction = string(p);
        case "edited" -> edited(p, e);
        case "icons" -> e.iconUrl = icon(p);
        case "bot_profile" -> botProfile(p, e);
        case "user_profile" -> userProfile(p, e);
        case "metadata" -> metadata(p, e);
        case "files" -> files(p, e.files);
        case "item" -> item(p, e);
        case "message" -> e.message = nested(p, depth);
        case "previous_message" -> e.previousMessage = nested(p, depth);
        default -> p.skipChildren();
      }
    }
    return e.build();
  }

  private static @Nullable SlackEvent nested(JsonParser p, int depth) {
    if (p.currentToken() != JsonToken.START_OBJECT || depth + 1 >= MAX_NESTING) {
      p.skipChildren();
      return null;
    }
    return event(p, depth + 1);
  }

  private static void edited(JsonParser p, EventBuilder e) {
    if (!startObject(p)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "user" -> e.editedUser = string(p);
        case "ts" -> e.editedTs = string(p);
        default -> p.skipChildren();
      }
    }
  }

  /** The best icon of an {@code icons} object: 72 px, else 48, 64 or 36. */
  private static @Nullable String icon(JsonParser p) {
    if (!startObject(p)) {
      return null;
    }
    String i72 = null;
    String other = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "image_72" -> i72 = string(p);
        case "image_48", "image_64", "image_36" -> {
          String value = string(p);
          if (other == null) {
            other = value;
          }
        }
        default -> p.skipChildren();
      }
    }
    return i72 != null ? i72 : other;
  }

  private static void botProfile(JsonParser p, EventBuilder e) {
    if (!startObject(p)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "name" -> e.botName = string(p);
        case "icons" -> e.botIconUrl = icon(p);
        default -> p.skipChildren();
      }
    }
  }

  private static void userProfile(JsonParser p, EventBuilder e) {
    if (!startObject(p)) {
      return;
    }
    String displayName = null;
    String realName = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "display_name" -> displayName = string(p);
        case "real_name" -> realName = string(p);
        case "image_72" -> e.profileAvatar = string(p);
        default -> p.skipChildren();
      }
    }
    e.profileName = displayName != null ? displayName : realName;
  }

  private static void metadata(JsonParser p, EventBuilder e) {
    if (!startObject(p)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "event_type" -> e.metadataType = string(p);
        case "event_payload" -> e.metadataOrigin = nestedString(p, "origin");
        default -> p.skipChildren();
      }
    }
  }

  private static void item(JsonParser p, EventBuilder e) {
    if (!startObject(p)) {
      return;
    }
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "type" -> e.itemType = string(p);
        case "channel" -> e.itemChannel = string(p);
        case "ts" -> e.itemTs = string(p);
        default -> p.skipChildren();
      }
    }
  }

  private static void files(JsonParser p, List<SlackFile> out) {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY && token != null) {
      if (token != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String id = null;
      String name = null;
      String title = null;
      String mimetype = null;
      long size = -1;
      String permalink = null;
      String download = null;
      String privateUrl = null;
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "id" -> id = string(p);
          case "name" -> name = string(p);
          case "title" -> title = string(p);
          case "mimetype" -> mimetype = string(p);
          case "size" -> size = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getValueAsLong(-1) : skipLong(p);
          case "permalink" -> permalink = string(p);
          case "url_private_download" -> download = string(p);
          case "url_private" -> privateUrl = string(p);
          default -> p.skipChildren();
        }
      }
      out.add(new SlackFile(id, name, title, mimetype, size, permalink, download != null ? download : privateUrl));
    }
  }

  /** The string value of one property of the object at the current token, skipping the rest. */
  private static @Nullable String nestedString(JsonParser p, String property) {
    if (!startObject(p)) {
      return null;
    }
    String value = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals(property)) {
        value = string(p);
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  private static boolean startObject(JsonParser p) {
    if (p.currentToken() == JsonToken.START_OBJECT) {
      return true;
    }
    p.skipChildren();
    return false;
  }

  /** The current value as a non-empty string, or {@code null} (skipping it) when it is anything else. */
  private static @Nullable String string(JsonParser p) {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      String value = p.getString();
      return value.isEmpty() ? null : value;
    }
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getValueAsString();
    }
    p.skipChildren();
    return null;
  }

  private static int skipInt(JsonParser p) {
    p.skipChildren();
    return 0;
  }

  private static long skipLong(JsonParser p) {
    p.skipChildren();
    return -1;
  }

  private static <T> @Nullable T skipNull(JsonParser p) {
    p.skipChildren();
    return null;
  }

  private static void expectObject(JsonParser p) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("a Slack payload is a JSON object");
    }
  }

  /** Collects the fields of one event while its object is read. */
  private static final class EventBuilder {
    @Nullable String type;
    @Nullable String subtype;
    @Nullable String channel;
    @Nullable String user;
    @Nullable String botId;
    @Nullable String appId;
    @Nullable String username;
    @Nullable String text;
    @Nullable String ts;
    @Nullable String threadTs;
    @Nullable String eventTs;
    boolean hidden;
    @Nullable String deletedTs;
    @Nullable String editedUser;
    @Nullable String editedTs;
    @Nullable String iconUrl;
    @Nullable String botName;
    @Nullable String botIconUrl;
    @Nullable String profileName;
    @Nullable String profileAvatar;
    @Nullable String metadataType;
    @Nullable String metadataOrigin;
    final List<SlackFile> files = new ArrayList<>(0);
    @Nullable SlackEvent message;
    @Nullable SlackEvent previousMessage;
    @Nullable String itemType;
    @Nullable String itemChannel;
    @Nullable String itemTs;
    @Nullable String reaction;

    SlackEvent build() {
      return new SlackEvent(type, subtype, channel, user, botId, appId, username, text, ts, threadTs, eventTs,
          hidden, deletedTs, editedUser, editedTs, iconUrl, botName, botIconUrl, profileName, profileAvatar,
          metadataType, metadataOrigin, files, message, previousMessage, itemType, itemChannel, itemTs, reaction);
    }
  }
}
