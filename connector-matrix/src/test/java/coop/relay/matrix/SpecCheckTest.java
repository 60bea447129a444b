package coop.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The spec check itself: it passes conforming requests and catches each kind of violation, so the ITs can rely on it. */
class SpecCheckTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final SpecCheck spec = SpecCheck.load();

  @Test
  void aConformingSendPasses() {
    assertThat(spec.checkRequest("PUT", "/_matrix/client/v3/rooms/!r:x/send/m.room.message/txn1", Map.of(),
        JSON.readTree("{\"msgtype\":\"m.text\",\"body\":\"hi\"}"), "application/json", false)).isEmpty();
  }

  @Test
  void anUnknownOperationIsCaught() {
    assertThat(spec.checkRequest("GET", "/_matrix/client/v3/no/such/thing", Map.of(), null, null, false)).isNotEmpty();
  }

  @Test
  void anUndefinedOrMistypedQueryParameterIsCaught() {
    assertThat(spec.checkRequest("GET", "/_matrix/client/v3/sync", Map.of("since", List.of("s1"),
        "timeout", List.of("soon")), null, null, false)).isNotEmpty();
    assertThat(spec.checkRequest("GET", "/_matrix/client/v3/sync", Map.of("bogus", List.of("1")), null, null, false))
        .isNotEmpty();
    assertThat(spec.checkRequest("GET", "/_matrix/client/v3/sync", Map.of("since", List.of("s1"),
        "timeout", List.of("30000")), null, null, false)).isEmpty();
  }

  @Test
  void userIdIsAllowedOnlyAsAnApplicationServicesIdentityAssertion() {
    String path = "/_matrix/client/v3/rooms/!r:x/send/m.room.message/txn1";
    var body = JSON.readTree("{\"msgtype\":\"m.text\",\"body\":\"hi\"}");

    assertThat(spec.checkRequest("PUT", path, Map.of("user_id", List.of("@g:x")), body, "application/json", true)).isEmpty();
    assertThat(spec.checkRequest("PUT", path, Map.of("user_id", List.of("@g:x")), body, "application/json", false))
        .isNotEmpty();
  }

  @Test
  void aPathParameterAgainstItsPatternAndABodyAgainstItsSchemaAreChecked() {
    assertThat(spec.checkRequest("PUT", "/_matrix/client/v3/profile/alice/displayname", Map.of(),
        JSON.readTree("{\"displayname\":\"A\"}"), "application/json", false)).as("user id without @").isNotEmpty();
    assertThat(spec.checkRequest("POST", "/_matrix/client/v3/rooms/!r:x/invite", Map.of(),
        JSON.readTree("{\"reason\":\"no user\"}"), "application/json", false)).as("invite without user_id").isNotEmpty();
    assertThat(spec.checkRequest("POST", "/_matrix/client/v3/rooms/!r:x/invite", Map.of(),
        JSON.readTree("{\"user_id\":\"@a:x\"}"), "application/json", false)).isEmpty();
  }

  @Test
  void examplesResolveTheirReferenceChains() {
    var example = spec.example(spec.root().resolve("event-schemas/examples/m.room.member.yaml"));

    assertThat(example.path("state_key").isString()).isTrue();
    assertThat(example.path("event_id").isString()).as("from core/room_event.json").isTrue();
    assertThat(example.path("content").path("membership").asString()).isEqualTo("join");
  }
}
