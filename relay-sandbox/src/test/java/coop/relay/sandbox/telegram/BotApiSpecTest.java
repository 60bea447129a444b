package coop.relay.sandbox.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The validator itself must catch what it is there to catch, or the conformance tests prove nothing. */
class BotApiSpecTest {
  private final BotApiSpec spec = BotApiSpec.load();
  private final JsonMapper json = JsonMapper.builder().build();

  private JsonNode parse(String s) {
    return json.readTree(s);
  }

  @Test
  void acceptsAConformingMessage() {
    JsonNode message = parse("""
        {"message_id":1,"date":1700000000,"chat":{"id":-100,"type":"supergroup","title":"t"},
         "from":{"id":5,"is_bot":false,"first_name":"A"},"text":"hi",
         "entities":[{"type":"bold","offset":0,"length":2}]}""");
    assertThat(spec.check("Message", message)).isEmpty();
  }

  @Test
  void reportsUnknownFieldsMissingRequiredFieldsAndWrongTypes() {
    JsonNode message = parse("""
        {"message_id":"1","chat":{"id":-100,"type":"supergroup"},"colour":"red",
         "entities":[{"type":"bold","offset":0}]}""");
    assertThat(spec.check("Message", message))
        .anyMatch(v -> v.contains("message_id") && v.contains("expected Integer"))
        .anyMatch(v -> v.contains("colour") && v.contains("no such field"))
        .anyMatch(v -> v.contains(".date") && v.contains("missing"))
        .anyMatch(v -> v.contains("entities[0].length") && v.contains("missing"));
  }

  @Test
  void checksMethodResultsAndUnions() {
    assertThat(spec.checkResult("deleteMessage", parse("true"))).isEmpty();
    assertThat(spec.checkResult("deleteMessage", parse("1"))).isNotEmpty();
    assertThat(spec.check("ReactionType", parse("{\"type\":\"emoji\",\"emoji\":\"👍\"}"))).isEmpty();
    assertThat(spec.check("ReactionType", parse("{\"kind\":\"emoji\"}"))).isNotEmpty();
  }
}
