package coop.relay.discord.internal;

import coop.relay.support.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Gateway payloads in one streaming pass: when {@code t} comes before {@code d} (as Discord
 * sends it), {@code d} is bound straight to its record, without building a tree first; otherwise
 * it is read as a tree and converted. Dispatches the connector does not use are skipped unread.
 */
final class FrameReader {
  private static final Logger LOG = LoggerFactory.getLogger(FrameReader.class);
  private static final Object SKIPPED = new Object();
  private static final Map<String, Class<?>> DISPATCH_TYPES = Map.ofEntries(
      Map.entry("MESSAGE_CREATE", Wire.Message.class),
      Map.entry("MESSAGE_UPDATE", Wire.Message.class),
      Map.entry("MESSAGE_DELETE", Wire.MessageDelete.class),
      Map.entry("MESSAGE_DELETE_BULK", Wire.MessageDeleteBulk.class),
      Map.entry("MESSAGE_REACTION_ADD", Wire.Reaction.class),
      Map.entry("MESSAGE_REACTION_REMOVE", Wire.Reaction.class),
      Map.entry("READY", Wire.Ready.class),
      Map.entry("GUILD_CREATE", Wire.Guild.class),
      Map.entry("CHANNEL_CREATE", Wire.Channel.class),
      Map.entry("CHANNEL_UPDATE", Wire.Channel.class),
      Map.entry("CHANNEL_DELETE", Wire.Channel.class),
      Map.entry("THREAD_CREATE", Wire.Channel.class),
      Map.entry("THREAD_UPDATE", Wire.Channel.class),
      Map.entry("THREAD_DELETE", Wire.Channel.class),
      Map.entry("THREAD_LIST_SYNC", Wire.ThreadListSync.class));

  private final JsonMapper mapper = Json.mapper();
  /** Reads one value in the middle of the frame, so the rest of the frame is not "trailing". */
  private final ObjectReader inner = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The frame in {@code text}, or {@code null} (logged) when it is not a Gateway payload. */
  @Nullable Frame read(String text) {
    try (JsonParser parser = mapper.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        LOG.warn("Skipping a Gateway frame that is not a JSON object");
        return null;
      }
      int op = -1;
      Long sequence = null;
      String type = null;
      Object data = null;
      JsonNode deferred = null;
      boolean malformed = false;
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "op" -> op = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
          case "s" -> sequence = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
          case "t" -> type = value == JsonToken.VALUE_STRING ? parser.getString() : null;
          case "d" -> {
            if (value == JsonToken.VALUE_NULL) {
              break;
            }
            if (type != null && op == Frame.DISPATCH) {
              Class<?> target = DISPATCH_TYPES.get(type);
              if (target == null) {
                parser.skipChildren();
                data = SKIPPED;
              } else {
                try {
                  data = inner.forType(target).readValue(parser);
                } catch (JacksonException | IllegalArgumentException e) {
                  // The parser cannot go on after a failed bind; what was read so far is all we get.
                  LOG.warn("Skipping malformed {} dispatch: {}", type, shorten(e));
                  return op < 0 ? null : new Frame(op, sequence, type, null, true);
                }
              }
            } else {
              deferred = inner.readTree(parser);
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (op < 0) {
        LOG.warn("Skipping a Gateway frame without an opcode");
        return null;
      }
      if (deferred != null) {
        if (op == Frame.DISPATCH && type != null) {
          Class<?> target = DISPATCH_TYPES.get(type);
          if (target != null) {
            try {
              data = mapper.treeToValue(deferred, target);
            } catch (JacksonException | IllegalArgumentException e) {
              malformed = true;
              LOG.warn("Skipping malformed {} dispatch: {}", type, shorten(e));
            }
          }
        } else {
          data = deferred;
        }
      }
      return new Frame(op, sequence, type, data == SKIPPED ? null : data, malformed);
    } catch (JacksonException e) {
      LOG.warn("Skipping a Gateway frame that is not valid JSON: {}", shorten(e));
      return null;
    }
  }

  private static String shorten(Exception e) {
    String message = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }
}
