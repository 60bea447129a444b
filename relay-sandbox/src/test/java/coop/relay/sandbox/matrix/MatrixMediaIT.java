package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxAttachment;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The content repository: uploads, authenticated downloads, limits, and attachments of people. */
class MatrixMediaIT {
  static final String TOKEN = "syt_media_bot";

  private RelaySandbox sandbox;
  private SandboxControl control;
  private MatrixClient bot;

  @BeforeEach
  void start() {
    sandbox = RelaySandbox.builder()
        .emulator(MatrixEmulator.builder().bot("media", TOKEN).rateLimits(false).uploadLimit(64 * 1024).build())
        .build();
    sandbox.start().block();
    control = sandbox.control("matrix");
    bot = new MatrixClient(sandbox.baseUrl("matrix"), TOKEN);
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  static byte[] png(int width, int height) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String path(String mxc) {
    return mxc.substring("mxc://".length());
  }

  @Test
  void uploadThenDownloadWithTheAccessToken() {
    byte[] image = png(4, 3);
    JsonNode uploaded = bot.raw("POST", "/_matrix/media/v3/upload?filename=dot.png", image, "image/png").ok();
    String mxc = uploaded.get("content_uri").asString();
    assertThat(mxc).matches("mxc://sandbox\\.local/[A-Za-z0-9_-]+");

    MatrixClient.Response download = bot.get("/_matrix/client/v1/media/download/" + path(mxc));
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.bytes()).isEqualTo(image);
    assertThat(download.header("Content-Type")).isEqualTo("image/png");
    assertThat(download.header("Content-Disposition")).isEqualTo("inline; filename=\"dot.png\"");
    assertThat(download.header("Content-Security-Policy")).startsWith("sandbox;");
    assertThat(bot.get("/_matrix/client/v1/media/download/" + path(mxc) + "/other.png").header("Content-Disposition"))
        .isEqualTo("inline; filename=\"other.png\"");

    byte[] script = "alert(1)".getBytes(StandardCharsets.UTF_8);
    String js = bot.raw("POST", "/_matrix/media/v3/upload", script, "text/javascript").ok().get("content_uri").asString();
    assertThat(bot.get("/_matrix/client/v1/media/download/" + path(js)).header("Content-Disposition"))
        .as("types outside the inline list are attachments").isEqualTo("attachment");

    MatrixClient.Response anonymous = bot.withToken(null).get("/_matrix/client/v1/media/download/" + path(mxc));
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.errcode()).isEqualTo("M_MISSING_TOKEN");
    assertThat(bot.withToken(null).get("/_matrix/media/v3/download/" + path(mxc)).status())
        .as("unauthenticated media is frozen").isEqualTo(404);
    assertThat(bot.get("/_matrix/client/v1/media/download/sandbox.local/nothing").errcode()).isEqualTo("M_NOT_FOUND");
  }

  @Test
  void uploadsOverTheLimitAreRefused() {
    assertThat(bot.get("/_matrix/client/v1/media/config").ok().get("m.upload.size").asLong()).isEqualTo(64 * 1024);
    MatrixClient.Response tooLarge = bot.raw("POST", "/_matrix/media/v3/upload", new byte[64 * 1024 + 1], "application/octet-stream");
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.errcode()).isEqualTo("M_TOO_LARGE");
  }

  @Test
  void aPersonsAttachmentIsAnImageEventWhoseFileDownloads() throws Exception {
    SandboxUser alice = control.createUser(NewUser.named("Alice")).block();
    SandboxChannel room = control.createChannel(NewChannel.named("Pictures")).block();
    byte[] image = png(16, 9);
    HistoryEntry posted = control.post(Post.of(room.id(), alice.id(), "look <b>here</b>")
        .withAttachment(new SandboxFile("sunset.png", "image/png", image))).block();

    SandboxAttachment attachment = posted.attachments().get(0);
    assertThat(attachment.id()).startsWith("mxc://sandbox.local/");
    assertThat(attachment.fileName()).isEqualTo("sunset.png");
    assertThat(attachment.size()).isEqualTo(image.length);
    assertThat(control.file(attachment.id()).block().data()).isEqualTo(image);
    HttpResponse<byte[]> viaControl = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(attachment.url())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(viaControl.body()).isEqualTo(image);

    JsonNode event = bot.get("/_matrix/client/v3/rooms/" + MatrixClient.seg(room.id()) + "/event/"
        + MatrixClient.seg(posted.messageId())).ok();
    JsonNode content = event.get("content");
    assertThat(content.get("msgtype").asString()).isEqualTo("m.image");
    assertThat(content.get("body").asString()).isEqualTo("look here");
    assertThat(content.get("filename").asString()).isEqualTo("sunset.png");
    assertThat(content.get("info").get("w").asInt()).isEqualTo(16);
    assertThat(content.get("info").get("h").asInt()).isEqualTo(9);
    assertThat(content.get("info").get("mimetype").asString()).isEqualTo("image/png");
    assertThat(bot.get("/_matrix/client/v1/media/download/" + path(content.get("url").asString())).bytes()).isEqualTo(image);
  }
}
