package coop.relay.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxFile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JSON a web page writes by hand must map onto the control API's records. */
class SandboxJsonTest {

  @Test
  void faultsTakeSecondsOrIsoDurationsAndDefaultTheirStatus() {
    Fault seconds = SandboxJson.mapper().readValue(
        "{\"method\":\"sendMessage\",\"times\":2,\"kind\":\"RATE_LIMITED\",\"retryAfter\":5}", Fault.class);
    assertThat(seconds).isEqualTo(Fault.rateLimited("sendMessage", 2, Duration.ofSeconds(5)));
    Fault iso = SandboxJson.mapper().readValue(
        "{\"method\":\"*\",\"times\":1,\"kind\":\"RATE_LIMITED\",\"retryAfter\":\"PT1.5S\"}", Fault.class);
    assertThat(iso.retryAfter()).isEqualTo(Duration.ofMillis(1500));
    Fault server = SandboxJson.mapper().readValue("{\"method\":\"*\",\"times\":1,\"kind\":\"SERVER_ERROR\"}", Fault.class);
    assertThat(server.status()).isEqualTo(500);
    assertThat(server.retryAfter()).isZero();
  }

  @Test
  void postsAndUsersReadWithOptionalFieldsLeftOut() {
    Post post = SandboxJson.mapper().readValue(
        "{\"channelId\":\"-1\",\"userId\":\"5\",\"text\":\"hi\",\"attachment\":{\"fileName\":\"a.txt\",\"mediaType\":\"text/plain\",\"data\":\"aGk=\"}}",
        Post.class);
    assertThat(post.replyTo()).isNull();
    assertThat(post.attachment()).isEqualTo(new SandboxFile("a.txt", "text/plain", "hi".getBytes()));
    assertThat(SandboxJson.mapper().readValue("{\"displayName\":\"Ann\"}", NewUser.class)).isEqualTo(NewUser.named("Ann"));
  }
}
