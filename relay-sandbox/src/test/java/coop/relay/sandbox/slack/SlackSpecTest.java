package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conformance checks themselves: they accept Slack's own samples where the spec and samples
 * agree, and reject what Slack would not send, so that the ITs that rely on them can fail.
 */
class SlackSpecTest {
  private final SlackSpec spec = WebApiClient.SPEC;

  private ObjectNode postMessageAnswer() {
    return (ObjectNode) SlackSpec.JSON.readTree("""
        {"ok":true,"channel":"C0SBX000001","ts":"1700000000.000100","message":{"type":"message","text":"hi",
         "user":"U0SBX000001","bot_id":"B0SBX000001","app_id":"A0SBX000001","ts":"1700000000.000100",
         "team":"T0SANDBOX1","metadata":{"event_type":"x","event_payload":{}}}}""");
  }

  @Test
  void acceptsAConformingAnswerIncludingSampleBackedFields() {
    assertThat(spec.covers("chat.postMessage")).isTrue();
    assertThat(spec.covers("apps.connections.open")).isFalse();
    assertThat(spec.check("chat.postMessage", postMessageAnswer())).isEmpty();
    // app_id and metadata are accepted only because the sample shows them in a message.
    assertThat(spec.sampleAt("api/chat.postMessage.json#/message").has("app_id")).isTrue();
    assertThat(spec.sampleAt("api/chat.postMessage.json#/message").has("metadata")).isTrue();
  }

  @Test
  void rejectsMissingUnknownAndMalformedFields() {
    ObjectNode missing = postMessageAnswer();
    missing.remove("ts");
    assertThat(spec.check("chat.postMessage", missing)).anyMatch(v -> v.contains("ts"));

    ObjectNode unknown = postMessageAnswer();
    ((ObjectNode) unknown.get("message")).put("invented_field", 1);
    assertThat(spec.check("chat.postMessage", unknown)).anyMatch(v -> v.contains("invented_field"));

    ObjectNode badTs = postMessageAnswer();
    badTs.put("ts", "17.1");
    assertThat(spec.check("chat.postMessage", badTs)).isNotEmpty();

    ObjectNode badChannel = postMessageAnswer();
    badChannel.put("channel", "general");
    assertThat(spec.check("chat.postMessage", badChannel)).isNotEmpty();
  }

  @Test
  void alternativesWrittenAsItemsAreEnforced() {
    // objs_user is written as "items": [user, enterprise user]; an object matching neither fails.
    JsonNode user = SlackSpec.JSON.readTree("{\"ok\":true,\"user\":{\"id\":\"U0SBX000001\"}}");
    assertThat(spec.check("users.info", user)).isNotEmpty();
  }

  @Test
  void errorsAreCheckedForShapeAndTheSpecsEnumIsKnown() {
    JsonNode error = SlackSpec.JSON.readTree("{\"ok\":false,\"error\":\"ratelimited\"}");
    assertThat(spec.check("chat.postMessage", error)).isEmpty();
    JsonNode extra = SlackSpec.JSON.readTree("{\"ok\":false,\"error\":\"x\",\"detail\":1}");
    assertThat(spec.check("chat.postMessage", extra)).isNotEmpty();
    assertThat(spec.documentedErrors("chat.postMessage"))
        .contains("channel_not_found", "not_in_channel", "msg_too_long", "no_text", "invalid_auth", "not_authed", "account_inactive");
    assertThat(spec.documentedErrors("chat.update")).contains("message_not_found", "cant_update_message");
    assertThat(spec.documentedErrors("reactions.add")).contains("already_reacted", "invalid_name");
    assertThat(spec.documentedErrors("reactions.remove")).contains("no_reaction");
    assertThat(spec.documentedError("chat.postMessage", "ratelimited")).isFalse();
  }

  @Test
  void sampleShapesRejectUnknownFieldsAndWrongTypes() {
    JsonNode sample = spec.sample("api/files.getUploadURLExternal.json");
    assertThat(SampleShape.check(sample, SlackSpec.JSON.readTree(
        "{\"ok\":true,\"upload_url\":\"http://x/upload\",\"file_id\":\"F0SBX000001\"}"))).isEmpty();
    assertThat(SampleShape.check(sample, SlackSpec.JSON.readTree("{\"ok\":true,\"uploadUrl\":\"x\"}"))).isNotEmpty();
    assertThat(SampleShape.check(sample, SlackSpec.JSON.readTree("{\"ok\":\"true\"}"))).isNotEmpty();
    JsonNode files = spec.sample("api/files.completeUploadExternal.json");
    assertThat(SampleShape.check(files, SlackSpec.JSON.readTree(
        "{\"ok\":true,\"files\":[{\"id\":\"F1\",\"shares\":{\"public\":{\"C0SBX000009\":[{\"ts\":\"1.2\"}]}}}]}"))).isEmpty();
    assertThat(SampleShape.check(files, SlackSpec.JSON.readTree(
        "{\"ok\":true,\"files\":[{\"id\":\"F1\",\"shares\":{\"public\":{\"C0SBX000009\":[{\"ts\":1}]}}}]}"))).isNotEmpty();
  }

  @Test
  void everyEventSampleHasAnEventAndTheWrapperShape() {
    for (String name : new String[] {"MessagePayload.json", "MessageChangedPayload.json", "MessageDeletedPayload.json",
        "MessageBotPayload.json", "MessageMePayload.json", "MessageThreadBroadcastPayload.json",
        "MessageFileSharePayload.json", "ReactionAddedPayload.json", "ReactionRemovedPayload.json"}) {
      JsonNode sample = spec.sample("events/" + name);
      assertThat(EventSamples.sampleFile(sample.get("event"))).as(name).isEqualTo(name);
    }
  }
}
