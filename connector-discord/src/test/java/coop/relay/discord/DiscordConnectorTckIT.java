package coop.relay.discord;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.text.InlineCode;
import coop.relay.api.text.LineBreak;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.api.text.Emoji;
import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.discord.DiscordEmulator;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.SeenMessage;
import coop.relay.testkit.tck.TckFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The connector TCK against the Discord emulator of relay-sandbox, with every REST request the
 * connector sends checked against Discord's OpenAPI spec. The fixture acts as a person through the
 * sandbox's control API (and, to start a thread on a message, through the emulator's REST API with
 * the bot's token, as a moderator's client would), never through the connector. It declares every
 * TCK feature (the default): the malformed payload is the emulator's MESSAGE_CREATE dispatch of the
 * wrong shape.
 */
class DiscordConnectorTckIT extends ConnectorTck {
  static final String TOKEN = "sandbox.discord-token.1";
  private static RelaySandbox sandbox;
  private static DiscordEmulator emulator;
  private static SandboxControl control;
  private static String alice;
  private final DiscordSpec.Recorder spec = DiscordSpec.load().interceptor("/api/v10");

  @BeforeAll
  static void startSandbox() {
    emulator = DiscordEmulator.builder().bot(TOKEN, "Relay").build();
    sandbox = RelaySandbox.builder().emulator(emulator).build();
    sandbox.start().block(Duration.ofSeconds(30));
    control = sandbox.control("discord");
    alice = control.createUser(NewUser.named("Alice")).block().id();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.stop().block(Duration.ofSeconds(30));
  }

  @AfterEach
  void everyRequestConformed() {
    assertThat(spec.violations()).as("requests that do not conform to Discord's OpenAPI spec").isEmpty();
  }

  @Override
  protected TckFixture createFixture() {
    String channel = control.createChannel(NewChannel.named("tck")).block().id();
    return new Fixture(channel);
  }

  /** What a person would type for the TCK's texts. */
  static String markdown(RichText text) {
    StringBuilder out = new StringBuilder();
    for (Node node : text.nodes()) {
      markdown(node, out);
    }
    return out.toString();
  }

  private static void markdown(Node node, StringBuilder out) {
    if (node instanceof Text t) {
      out.append(t.value());
    } else if (node instanceof LineBreak) {
      out.append('\n');
    } else if (node instanceof InlineCode code) {
      out.append('`').append(code.code()).append('`');
    } else if (node instanceof Styled styled) {
      String marker = switch (styled.style()) {
        case BOLD -> "**";
        case ITALIC -> "*";
        case UNDERLINE -> "__";
        case STRIKE -> "~~";
        case SPOILER -> "||";
      };
      out.append(marker);
      styled.children().forEach(child -> markdown(child, out));
      out.append(marker);
    } else if (node instanceof Link link) {
      out.append('[');
      link.children().forEach(child -> markdown(child, out));
      out.append("](").append(link.url()).append(')');
    } else {
      throw new IllegalArgumentException("the TCK fixture types no " + node);
    }
  }

  private final class Fixture implements TckFixture {
    private final String channel;

    Fixture(String channel) {
      this.channel = channel;
    }

    @Override
    public Connector createConnector() {
      return DiscordConnector.builder()
          .id("dc")
          .token(TOKEN)
          .baseUrl(emulator.apiBaseUrl())
          .reconnectBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0, 0.2))
          .interceptor(spec)
          .build();
    }

    @Override
    public String channelId() {
      return channel;
    }

    @Override
    public String postAsUser(String channelId, RichText text) {
      return control.post(Post.of(channelId, alice, markdown(text))).block().messageId();
    }

    @Override
    public String replyAsUser(String channelId, String targetId, RichText text) {
      return control.post(Post.of(channelId, alice, markdown(text)).withReplyTo(targetId)).block().messageId();
    }

    @Override
    public String postInThreadAsUser(String channelId, String rootId, RichText text) {
      startThread(channelId, rootId);
      return control.post(Post.of(channelId, alice, markdown(text)).withThread(rootId)).block().messageId();
    }

    @Override
    public void editAsUser(String channelId, String messageId, RichText text) {
      control.edit(channelId, messageId, alice, markdown(text)).block();
    }

    @Override
    public void deleteAsUser(String channelId, String messageId) {
      control.delete(channelId, messageId, alice).block();
    }

    @Override
    public void reactAsUser(String channelId, String messageId, Emoji emoji) {
      control.react(channelId, messageId, alice, emoji.unicode()).block();
    }

    @Override
    public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
      control.unreact(channelId, messageId, alice, emoji.unicode()).block();
    }

    @Override
    public List<SeenMessage> history(String channelId) {
      return control.history(channelId).map(DiscordConnectorTckIT::seen).collectList().block();
    }

    @Override
    public void disconnect() {
      sandbox.stop("discord").block(Duration.ofSeconds(30));
    }

    @Override
    public void reconnect() {
      sandbox.start("discord").block(Duration.ofSeconds(30));
    }

    @Override
    public String unknownChannelId() {
      return "123456789012345678";
    }

    @Override
    public void injectMalformedPayload(String channelId) {
      Integer sessions = emulator.injectMalformedDispatch(channelId).block(Duration.ofSeconds(10));
      if (sessions == null || sessions < 1) {
        throw new IllegalStateException("no gateway session got the malformed dispatch");
      }
    }

    @Override
    public void close() {
      sandbox.start("discord").block(Duration.ofSeconds(30)); // in case a test left it down
    }
  }

  /** Starts a thread on a person's message, as a moderator's client would (the control API has no such action). */
  private static void startThread(String channelId, String rootId) {
    Request request = new Request.Builder()
        .url(emulator.apiBaseUrl() + "/channels/" + channelId + "/messages/" + rootId + "/threads")
        .header("Authorization", "Bot " + TOKEN)
        .post(RequestBody.create("{\"name\":\"a thread\"}", MediaType.get("application/json")))
        .build();
    try (Response response = new OkHttpClient().newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("starting a thread answered " + response.code());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SeenMessage seen(HistoryEntry entry) {
    String plain = entry.text().replaceAll("\\\\([^A-Za-z0-9\\s])", "$1");
    List<String> reactions = entry.reactions().stream().map(SandboxReaction::emoji).toList();
    return new SeenMessage(entry.messageId(), plain, entry.author().kind() != Author.Kind.USER, entry.replyTo(),
        entry.threadId(), reactions, entry.deleted());
  }
}
