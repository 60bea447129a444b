package coop.relay.slack.internal;

import tools.jackson.databind.JsonNode;

/** Reading Web API answers without tripping over fields of an unexpected type. */
final class Nodes {
  private Nodes() {}

  /** The string value of {@code field}, or {@code ""} when it is absent or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() ? value.stringValue() : "";
  }

  /** The boolean value of {@code field}, or {@code fallback} when it is absent or not a boolean. */
  static boolean bool(JsonNode node, String field, boolean fallback) {
    JsonNode value = node.get(field);
    return value != null && value.isBoolean() ? value.booleanValue() : fallback;
  }
}
