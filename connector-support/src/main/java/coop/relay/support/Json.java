package coop.relay.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson 3 setup every connector shares. One immutable, thread-safe {@link JsonMapper},
 * configured for chat platforms:
 *
 * <ul>
 *   <li>Java names map to {@code snake_case} JSON names, as all four platforms spell them
 *       ({@code messageId} ↔ {@code message_id}); {@code @JsonProperty} overrides it
 *       ({@code "m.relates_to"}).
 *   <li>Unknown properties are ignored: platforms add fields all the time.
 *   <li>A JSON {@code null} for a primitive becomes its default value instead of failing.
 *   <li>Enum constants are read in any case and written in lower case ({@code SUPERGROUP} ↔
 *       {@code "supergroup"}); {@code @JsonValue} overrides it (Discord's integer types).
 *   <li>An unknown enum value becomes the constant marked {@code @JsonEnumDefaultValue}, or
 *       {@code null} when there is none, instead of failing the whole payload.
 *   <li>{@code null} fields are left out when writing, so optional request parameters stay unset;
 *       annotate a field {@code @JsonInclude(ALWAYS)} where the platform gives {@code null} a
 *       meaning (Discord uses it to clear a value).
 * </ul>
 *
 * <p>Records work as they are. To add modules or mix-ins, start from {@code Json.mapper().rebuild()}.
 */
public final class Json {
  private static final Logger LOG = LoggerFactory.getLogger(Json.class);
  private static final int MAX_REASON_LENGTH = 200;

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
      .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
      .changeDefaultPropertyInclusion(incl -> incl
          .withValueInclusion(JsonInclude.Include.NON_NULL)
          .withContentInclusion(JsonInclude.Include.NON_NULL))
      .build();

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private Json() {}

  /** {@code value} written by the shared mapper as an {@code application/json} request body. */
  public static RequestBody requestBody(Object value) {
    return RequestBody.create(MAPPER.writeValueAsBytes(value), JSON);
  }

  /** The shared mapper; immutable, reuse it rather than building another. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * Converts one element of a platform payload, or logs why it cannot and returns empty, so that a
   * malformed element is skipped and never ends a stream. The log names {@code what} and Jackson's
   * reason (shortened); it never contains the payload.
   *
   * @param what what the element is, for the log, e.g. {@code "Telegram update 12345"}
   */
  public static <T> Optional<T> convertOrSkip(JsonNode node, Class<T> type, String what) {
    try {
      return Optional.ofNullable(MAPPER.treeToValue(node, type));
    } catch (JacksonException e) {
      LOG.warn("Skipping malformed {}: {}", what, shorten(e.getOriginalMessage()));
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      // A record's compact constructor rejected the values.
      LOG.warn("Skipping invalid {}: {}", what, shorten(e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Reads a whole payload, or logs why it cannot and returns empty. See
   * {@link #convertOrSkip(JsonNode, Class, String)}.
   */
  public static <T> Optional<T> readOrSkip(byte[] json, Class<T> type, String what) {
    try {
      return Optional.ofNullable(MAPPER.readValue(json, type));
    } catch (JacksonException e) {
      LOG.warn("Skipping malformed {}: {}", what, shorten(e.getOriginalMessage()));
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipping invalid {}: {}", what, shorten(e.getMessage()));
      return Optional.empty();
    }
  }

  private static String shorten(@org.jspecify.annotations.Nullable String reason) {
    if (reason == null) {
      return "(no reason given)";
    }
    return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "…";
  }
}
