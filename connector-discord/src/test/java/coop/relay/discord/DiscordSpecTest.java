package coop.relay.discord;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** The spec check itself: it passes conforming requests and names what is wrong with others. */
class DiscordSpecTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private final DiscordSpec spec = DiscordSpec.load();

  private static Request post(String path, String body) {
    return new Request.Builder().url("https://discord.test/api/v10" + path).post(RequestBody.create(body, JSON)).build();
  }

  @Test
  void aConformingMessagePasses() {
    assertThat(spec.check(post("/channels/123/messages", "{\"content\":\"hi\",\"nonce\":\"r.1\","
        + "\"allowed_mentions\":{\"parse\":[]}}"), "/channels/123/messages")).isEmpty();
  }

  @Test
  void contentOver2000CharactersFails() {
    String body = "{\"content\":\"" + "x".repeat(2001) + "\"}";

    assertThat(spec.check(post("/channels/123/messages", body), "/channels/123/messages"))
        .anySatisfy(violation -> assertThat(violation).contains("2000"));
  }

  @Test
  void wrongTypesUnknownRoutesAndUndeclaredParametersFail() {
    assertThat(spec.check(post("/channels/abc/messages", "{\"tts\":\"yes\"}"), "/channels/abc/messages"))
        .anySatisfy(v -> assertThat(v).startsWith("path channel_id"))
        .anySatisfy(v -> assertThat(v).contains("tts"));
    assertThat(spec.check(post("/channels/1/nowhere", "{}"), "/channels/1/nowhere"))
        .containsExactly("no route of the spec matches /channels/1/nowhere");
    Request query = new Request.Builder().url("https://discord.test/api/v10/webhooks/1/tok?wait=maybe&bogus=1")
        .post(RequestBody.create("{\"content\":\"x\",\"username\":\"\"}", JSON)).build();
    assertThat(spec.check(query, "/webhooks/1/tok"))
        .anySatisfy(v -> assertThat(v).startsWith("query wait"))
        .anySatisfy(v -> assertThat(v).isEqualTo("query parameter bogus is not declared"))
        .anySatisfy(v -> assertThat(v).contains("username"));
  }
}
