package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks Events API payloads against the 96 event samples: the {@code event_callback} wrapper
 * against {@code MessagePayload.json}'s, the event against the sample of its type and subtype, with
 * message objects checked against every sample that shows a message (events, chat.postMessage's
 * message and its thread root), since each sample lists only some of a message's fields.
 */
final class EventSamples {
  private static final SlackSpec SPEC = WebApiClient.SPEC;
  private static final ObjectNode MESSAGE = SampleShape.union(
      SPEC.sampleAt("events/MessagePayload.json#/event"),
      SPEC.sampleAt("api/chat.postMessage.json#/message"),
      SPEC.sampleAt("api/chat.postMessage.json#/message/root"),
      SPEC.sampleAt("events/MessageChangedPayload.json#/event/message"),
      SPEC.sampleAt("events/MessageFileSharePayload.json#/event"),
      SPEC.sampleAt("events/MessageBotPayload.json#/event"));

  private EventSamples() {}

  /** The sample file for an event, e.g. {@code MessageChangedPayload.json}. */
  static String sampleFile(JsonNode event) {
    String type = event.path("type").asString();
    String subtype = event.path("subtype").asString("");
    if (type.equals("reaction_added")) {
      return "ReactionAddedPayload.json";
    }
    if (type.equals("reaction_removed")) {
      return "ReactionRemovedPayload.json";
    }
    return switch (subtype) {
      case "" -> "MessagePayload.json";
      case "message_changed" -> "MessageChangedPayload.json";
      case "message_deleted" -> "MessageDeletedPayload.json";
      case "bot_message" -> "MessageBotPayload.json";
      case "me_message" -> "MessageMePayload.json";
      case "thread_broadcast" -> "MessageThreadBroadcastPayload.json";
      case "file_share" -> "MessageFileSharePayload.json";
      default -> throw new AssertionError("no sample for subtype " + subtype);
    };
  }

  /** Asserts that {@code payload} (an {@code event_callback}) has the samples' shape. */
  static void conforms(JsonNode payload) {
    wrapperConforms(payload);
    JsonNode event = payload.get("event");
    JsonNode specific = SPEC.sample("events/" + sampleFile(event)).get("event");
    JsonNode sample = specific;
    if (event.path("type").asString().equals("message")) {
      ObjectNode nested = SlackSpec.JSON.createObjectNode();
      nested.set("message", MESSAGE);
      nested.set("previous_message", MESSAGE);
      nested.set("root", MESSAGE);
      sample = SampleShape.union(specific, nested, MESSAGE);
    }
    assertThat(SampleShape.check(sample, event)).as("%s event %s", sampleFile(event), event).isEmpty();
  }

  /** Asserts that the {@code event_callback} wrapper of {@code payload}, its event aside, has the samples' shape. */
  static void wrapperConforms(JsonNode payload) {
    assertThat(payload.path("type").asString()).isEqualTo("event_callback");
    ObjectNode wrapper = (ObjectNode) SPEC.sample("events/MessagePayload.json").deepCopy();
    wrapper.remove("event");
    ObjectNode actualWrapper = (ObjectNode) payload.deepCopy();
    actualWrapper.remove("event");
    assertThat(SampleShape.check(wrapper, actualWrapper)).as("event_callback wrapper %s", actualWrapper).isEmpty();
  }
}
