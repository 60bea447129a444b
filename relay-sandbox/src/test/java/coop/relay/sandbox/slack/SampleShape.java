package coop.relay.sandbox.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a payload against the shape of java-slack-sdk samples, for what the Web API spec does not
 * cover (Socket Mode, the new upload methods, Events API payloads): every field of the payload must
 * appear at the same place in the sample, with the same JSON type. The samples list every field
 * Slack is known to send with placeholder values, so they say which fields exist and what they
 * hold, not which appear together.
 *
 * <p>An empty sample object accepts any object (the samples write maps such as {@code shares} that
 * way), objects keyed by ids ({@code C00000000}) are maps whose values follow the first entry, and
 * {@code blocks} are checked only for being arrays of objects with a {@code type}.
 */
final class SampleShape {
  private static final Pattern ID_KEY = Pattern.compile("[CGDUWTEFB][A-Z0-9]{8,}");

  private SampleShape() {}

  /** The violations of {@code actual} against {@code sample}; empty when it conforms. */
  static List<String> check(JsonNode sample, JsonNode actual) {
    List<String> out = new ArrayList<>();
    check(sample, actual, "$", out);
    return out;
  }

  /** Merges sample objects into one that has the fields of all of them (the first one wins). */
  static ObjectNode union(JsonNode... samples) {
    ObjectNode out = SlackSpec.JSON.createObjectNode();
    for (JsonNode sample : samples) {
      merge(out, sample);
    }
    return out;
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (String name : from.propertyNames()) {
      JsonNode value = from.get(name);
      JsonNode existing = into.get(name);
      if (existing == null) {
        into.set(name, value.deepCopy());
      } else if (existing instanceof ObjectNode target && value.isObject()) {
        merge(target, value);
      }
    }
  }

  private static void check(JsonNode sample, JsonNode actual, String path, List<String> out) {
    if (sample.isNull() || actual.isNull()) {
      return;
    }
    String want = typeName(sample);
    String got = typeName(actual);
    if (!want.equals(got) && !(want.equals("number") && got.equals("integer")) && !(want.equals("integer") && got.equals("number"))) {
      out.add(path + ": expected " + want + " as in the sample, got " + got + " " + actual);
      return;
    }
    if (sample.isObject()) {
      if (sample.isEmpty()) {
        return;
      }
      boolean map = true;
      for (String name : sample.propertyNames()) {
        map &= ID_KEY.matcher(name).matches();
      }
      for (String name : actual.propertyNames()) {
        JsonNode expected = map ? sample.get(sample.propertyNames().iterator().next()) : sample.get(name);
        if (expected == null) {
          out.add(path + "." + name + ": not a field of this object in the samples");
        } else {
          check(expected, actual.get(name), path + "." + name, out);
        }
      }
    } else if (sample.isArray()) {
      if (path.endsWith(".blocks")) {
        for (int i = 0; i < actual.size(); i++) {
          if (!actual.get(i).isObject() || !actual.get(i).path("type").isString()) {
            out.add(path + "[" + i + "]: a block needs a type");
          }
        }
        return;
      }
      if (sample.isEmpty()) {
        return;
      }
      for (int i = 0; i < actual.size(); i++) {
        check(sample.get(0), actual.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** The JSON Schema type name of a value. */
  static String typeName(JsonNode node) {
    if (node.isObject()) {
      return "object";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isString()) {
      return "string";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    return "null";
  }
}
