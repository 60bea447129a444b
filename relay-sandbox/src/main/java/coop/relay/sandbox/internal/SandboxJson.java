package coop.relay.sandbox.internal;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the sandbox: records of the control API and platform wire objects. */
public final class SandboxJson {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private SandboxJson() {}

  /** The shared, immutable mapper. */
  public static JsonMapper mapper() {
    return MAPPER;
  }
}
