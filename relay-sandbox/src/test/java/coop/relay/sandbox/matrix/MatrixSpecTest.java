package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The spec validator the Matrix emulator's tests rely on: it must accept the spec's own examples
 * (with their {@code $ref} chains merged) and reject events and responses that break the schemas.
 */
class MatrixSpecTest {
  private final MatrixSpec spec = MatrixSpec.load();
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void everyRoomEventExampleValidatesAgainstItsSchema() throws IOException {
    List<Path> examples;
    try (Stream<Path> list = Files.list(spec.root().resolve("event-schemas/examples"))) {
      examples = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    int checked = 0;
    for (Path file : examples) {
      JsonNode example = spec.example(file);
      String name = file.getFileName().toString().replace(".yaml", "");
      // Only room events (with an event id) have the room event schemas behind them.
      if (!example.has("event_id") || !example.has("room_id") || !spec.hasEventSchema(name.contains("$") ? name : example.path("type").asString())) {
        continue;
      }
      assertThat(spec.checkEvent(example)).as("example %s: %s", name, example).isEmpty();
      checked++;
    }
    assertThat(checked).as("room event examples checked").isGreaterThan(30);
  }

  @Test
  void refChainsAreMergedUnderTheLocalKeys() {
    JsonNode text = spec.example(spec.root().resolve("event-schemas/examples/m.room.message$m.text.yaml"));
    // The example's own keys plus room_event.json's plus event.json's.
    assertThat(text.path("content").path("msgtype").asString()).isEqualTo("m.text");
    assertThat(text.has("event_id")).isTrue();
    assertThat(text.has("room_id")).isTrue();
    assertThat(text.has("origin_server_ts")).isTrue();
    assertThat(text.has("$ref")).isFalse();
  }

  @Test
  void brokenEventsAreRejected() {
    ObjectNode event = (ObjectNode) spec.example(spec.root().resolve("event-schemas/examples/m.room.message$m.text.yaml")).deepCopy();
    assertThat(spec.checkEvent(event)).isEmpty();
    ((ObjectNode) event.get("content")).remove("body");
    assertThat(spec.checkEvent(event)).isNotEmpty();
    ObjectNode noSender = (ObjectNode) spec.example(spec.root().resolve("event-schemas/examples/m.reaction.yaml")).deepCopy();
    noSender.put("event_id", "not-a-dollar-id");
    assertThat(spec.checkEvent(noSender)).isNotEmpty();
  }

  @Test
  void responsesAreCheckedAgainstTheOperationAndStatus() {
    assertThat(spec.checkResponse("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/send/m.room.message/1", 200,
        json.readTree("{\"event_id\":\"$abc\"}"))).isEmpty();
    assertThat(spec.checkResponse("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/send/m.room.message/1", 200,
        json.readTree("{\"event\":\"$abc\"}"))).isNotEmpty();
    assertThat(spec.checkResponse("GET", "/_matrix/client/v3/sync", 200,
        json.readTree("{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[{\"type\":\"m.room.message\"}]}}}}}")))
        .as("a timeline event without event_id and sender").isNotEmpty();
    assertThat(spec.checkResponse("GET", "/_matrix/client/v3/account/whoami", 401,
        json.readTree("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"x\"}"))).isEmpty();
    assertThat(spec.checkResponse("GET", "/_matrix/client/v3/account/whoami", 401,
        json.readTree("{\"error\":\"no errcode\"}"))).isNotEmpty();
    assertThat(spec.checkResponse("GET", "/_matrix/client/v3/no/such/endpoint", 200, json.readTree("{}"))).isNotEmpty();
  }
}
