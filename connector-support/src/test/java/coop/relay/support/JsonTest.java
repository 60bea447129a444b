package coop.relay.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonTest {

  enum ChatType { PRIVATE, GROUP, @JsonEnumDefaultValue UNKNOWN }

  enum Kind { A, B }

  record Chat(long id, ChatType type, @Nullable Kind kind) {}

  record Update(long updateId, @Nullable Chat chat, @JsonProperty("m.relates_to") @Nullable String relatesTo) {}

  record Request(long chatId, @Nullable String parseMode) {}

  record Positive(int value) {
    Positive {
      if (value <= 0) {
        throw new IllegalArgumentException("value must be positive");
      }
    }
  }

  @Test
  void mapsSnakeCaseAndIgnoresUnknownProperties() {
    String json = "{\"update_id\":7,\"brand_new_field\":{\"x\":1},\"chat\":{\"id\":-100,\"type\":\"group\"},"
        + "\"m.relates_to\":\"$ev\"}";

    Update update = Json.mapper().readValue(json, Update.class);

    assertThat(update).isEqualTo(new Update(7, new Chat(-100, ChatType.GROUP, null), "$ev"));
  }

  @Test
  void unknownEnumValuesFallBackInsteadOfFailing() {
    Chat chat = Json.mapper().readValue("{\"id\":1,\"type\":\"supergroup_v2\",\"kind\":\"Z\"}", Chat.class);

    assertThat(chat.type()).isEqualTo(ChatType.UNKNOWN);
    assertThat(chat.kind()).isNull();
  }

  @Test
  void enumsAreWrittenInLowerCase() {
    assertThat(Json.mapper().writeValueAsString(new Chat(1, ChatType.PRIVATE, Kind.A)))
        .isEqualTo("{\"id\":1,\"type\":\"private\",\"kind\":\"a\"}");
  }

  @Test
  void nullForPrimitiveBecomesDefault() {
    Chat chat = Json.mapper().readValue("{\"id\":null,\"type\":\"PRIVATE\"}", Chat.class);

    assertThat(chat.id()).isZero();
  }

  @Test
  void writesSnakeCaseWithoutNulls() {
    assertThat(Json.mapper().writeValueAsString(new Request(42, null))).isEqualTo("{\"chat_id\":42}");
    assertThat(Json.mapper().writeValueAsString(new Request(42, "HTML")))
        .isEqualTo("{\"chat_id\":42,\"parse_mode\":\"HTML\"}");
  }

  @Test
  void malformedElementsAreSkippedAndTheRestKept() {
    JsonNode batch = Json.mapper().readTree("[{\"value\":1},{\"value\":\"NaN-ish\"},{\"value\":-3},{\"value\":2}]");

    List<Positive> decoded = batch.valueStream()
        .flatMap(node -> Json.convertOrSkip(node, Positive.class, "test element").stream())
        .toList();

    assertThat(decoded).containsExactly(new Positive(1), new Positive(2));
  }

  @Test
  void requestBodiesAreJson() throws Exception {
    okhttp3.RequestBody body = Json.requestBody(new Request(7, "HTML"));
    okio.Buffer buffer = new okio.Buffer();
    body.writeTo(buffer);

    assertThat(body.contentType()).hasToString("application/json; charset=utf-8");
    assertThat(buffer.readUtf8()).isEqualTo("{\"chat_id\":7,\"parse_mode\":\"HTML\"}");
  }

  @Test
  void malformedPayloadIsEmptyNotAnException() {
    assertThat(Json.readOrSkip("{not json".getBytes(UTF_8), Chat.class, "chat")).isEmpty();
    assertThat(Json.readOrSkip("{\"id\":3,\"type\":\"GROUP\"}".getBytes(UTF_8), Chat.class, "chat"))
        .contains(new Chat(3, ChatType.GROUP, null));
  }
}
