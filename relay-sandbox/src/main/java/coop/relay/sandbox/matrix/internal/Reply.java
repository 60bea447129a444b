package coop.relay.sandbox.matrix.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What a route answers: JSON, or raw bytes with their headers (media downloads). */
record Reply(int status, @Nullable JsonNode json, byte @Nullable [] bytes, Map<String, String> headers) {
  static Reply json(JsonNode body) {
    return new Reply(200, body, null, Map.of());
  }

  static Reply bytes(byte[] data, Map<String, String> headers) {
    return new Reply(200, null, data, new LinkedHashMap<>(headers));
  }
}
