package coop.relay.slack.internal;

import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.Author;
import coop.relay.spi.Connector;
import coop.relay.testkit.tck.SeenMessage;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The platform side of the connector TCK on the sandbox's Slack emulator: a fresh channel and person
 * per test, people's actions through the sandbox control API, the history as the emulator stores it.
 * The mode-specific parts (the connector, cutting it off, malformed payloads) come from the test.
 */
final class SlackTckFixture implements TckFixture {
  private static final AtomicInteger CHANNELS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SandboxControl control;
  private final Supplier<Connector> connectors;
  private final Set<TckFeature> features;
  private final Hooks hooks;
  private final String channel;
  private final String alice;
  private final MrkdwnRenderer renderer = new MrkdwnRenderer("sl");
  private final MrkdwnParser parser = MrkdwnParser.withoutNames("sl");

  /** What differs between the modes. */
  interface Hooks {
    default void disconnect() {
      throw new UnsupportedOperationException();
    }

    default void reconnect() {
      throw new UnsupportedOperationException();
    }

    default void injectMalformedPayload(String channelId) {
      throw new UnsupportedOperationException();
    }

    default void close() {}
  }

  SlackTckFixture(SandboxControl control, Supplier<Connector> connectors, Set<TckFeature> features, Hooks hooks) {
    this.control = control;
    this.connectors = connectors;
    this.features = features;
    this.hooks = hooks;
    this.channel = Objects.requireNonNull(control.createChannel(NewChannel.named("tck-" + CHANNELS.incrementAndGet()))
        .block(WAIT)).id();
    this.alice = Objects.requireNonNull(control.createUser(NewUser.named("Alice Tck")
        .withAvatar("https://example.org/alice.png")).block(WAIT)).id();
  }

  @Override
  public Connector createConnector() {
    return connectors.get();
  }

  @Override
  public String channelId() {
    return channel;
  }

  @Override
  public String postAsUser(String channelId, RichText text) {
    return post(Post.of(channelId, alice, renderer.render(text)));
  }

  @Override
  public String replyAsUser(String channelId, String targetId, RichText text) {
    return post(Post.of(channelId, alice, renderer.render(text)).withReplyTo(targetId));
  }

  @Override
  public String postInThreadAsUser(String channelId, String rootId, RichText text) {
    return post(Post.of(channelId, alice, renderer.render(text)).withThread(rootId));
  }

  @Override
  public void editAsUser(String channelId, String messageId, RichText text) {
    control.edit(channelId, messageId, alice, renderer.render(text)).block(WAIT);
  }

  @Override
  public void deleteAsUser(String channelId, String messageId) {
    control.delete(channelId, messageId, alice).block(WAIT);
  }

  @Override
  public void reactAsUser(String channelId, String messageId, Emoji emoji) {
    control.react(channelId, messageId, alice, emoji.unicode() != null ? emoji.unicode() : emoji.name()).block(WAIT);
  }

  @Override
  public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
    control.unreact(channelId, messageId, alice, emoji.unicode() != null ? emoji.unicode() : emoji.name()).block(WAIT);
  }

  @Override
  public List<SeenMessage> history(String channelId) {
    List<HistoryEntry> entries = control.history(channelId).collectList().block(WAIT);
    return Objects.requireNonNull(entries).stream().map(this::seen).toList();
  }

  /** Slack has no reply-to: a reply is a message in its target's thread, so the thread root is what it answers. */
  private SeenMessage seen(HistoryEntry entry) {
    String replyTo = entry.replyTo() != null ? entry.replyTo() : entry.threadId();
    return new SeenMessage(entry.messageId(), parser.parse(entry.text()).plainText(),
        entry.author().kind() != Author.Kind.USER, replyTo, entry.threadId(),
        entry.reactions().stream().map(SandboxReaction::emoji).toList(), entry.deleted());
  }

  @Override
  public void disconnect() {
    hooks.disconnect();
  }

  @Override
  public void reconnect() {
    hooks.reconnect();
  }

  @Override
  public void injectMalformedPayload(String channelId) {
    hooks.injectMalformedPayload(channelId);
  }

  @Override
  public @Nullable String unknownChannelId() {
    return "C0UNKNOWN42";
  }

  @Override
  public Set<TckFeature> features() {
    return features;
  }

  @Override
  public void close() {
    hooks.close();
  }

  private String post(Post post) {
    return Objects.requireNonNull(control.post(post).block(WAIT)).messageId();
  }
}
