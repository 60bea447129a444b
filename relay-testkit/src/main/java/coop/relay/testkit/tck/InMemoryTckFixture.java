package coop.relay.testkit.tck;

import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.testkit.InMemoryConnector;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TckFixture} for the {@link InMemoryConnector}: a fresh {@link InMemoryPlatform} per
 * fixture with a channel {@code "tck"}, and a connector with id {@code "mem"} and the given
 * capabilities. It is how {@code relay-testkit} proves its own connector, and a complete example
 * of a fixture for connector authors.
 */
public final class InMemoryTckFixture implements TckFixture {
  private static final String CHANNEL = "tck";

  private final InMemoryPlatform platform;
  private final Identity user;
  private final Capabilities capabilities;

  /** A fixture whose connector can do everything. */
  public InMemoryTckFixture() {
    this(Capabilities.builder().build());
  }

  /** A fixture whose connector has {@code capabilities}. */
  public InMemoryTckFixture(Capabilities capabilities) {
    this(InMemoryPlatform.builder().name("memchat").build(), capabilities);
  }

  /** A fixture on {@code platform}, which gets a channel {@code "tck"}, with a connector of {@code capabilities}. */
  public InMemoryTckFixture(InMemoryPlatform platform, Capabilities capabilities) {
    this.platform = Objects.requireNonNull(platform, "platform").createChannel(CHANNEL);
    this.user = platform.user("tck-user", "Tia User");
    this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
  }

  /** The platform behind the fixture, for further assertions. */
  public InMemoryPlatform platform() {
    return platform;
  }

  @Override
  public InMemoryConnector createConnector() {
    return InMemoryConnector.builder().platform(platform).id("mem").capabilities(capabilities).build();
  }

  @Override
  public String channelId() {
    return CHANNEL;
  }

  @Override
  public String postAsUser(String channelId, RichText text) {
    return platform.post(channelId, user, text).messageId();
  }

  @Override
  public String replyAsUser(String channelId, String targetId, RichText text) {
    return platform.reply(ref(channelId, targetId), user, text).messageId();
  }

  @Override
  public String postInThreadAsUser(String channelId, String rootId, RichText text) {
    return platform.postInThread(ref(channelId, rootId), user, text).messageId();
  }

  @Override
  public void editAsUser(String channelId, String messageId, RichText text) {
    platform.edit(ref(channelId, messageId), user, text);
  }

  @Override
  public void deleteAsUser(String channelId, String messageId) {
    platform.delete(ref(channelId, messageId));
  }

  @Override
  public void reactAsUser(String channelId, String messageId, Emoji emoji) {
    platform.react(ref(channelId, messageId), user, emoji);
  }

  @Override
  public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
    platform.unreact(ref(channelId, messageId), user, emoji);
  }

  @Override
  public List<SeenMessage> history(String channelId) {
    return platform.history(channelId).stream().map(InMemoryTckFixture::seen).toList();
  }

  private static SeenMessage seen(PlatformMessage m) {
    MessageRef replyTo = m.replyTo();
    MessageRef threadRoot = m.threadRoot();
    return new SeenMessage(m.id(), m.plainText(), m.byBridge(), replyTo == null ? null : replyTo.messageId(),
        threadRoot == null ? null : threadRoot.messageId(), m.reactionKeys(), m.deleted());
  }

  @Override
  public void disconnect() {
    platform.disconnect();
  }

  @Override
  public void reconnect() {
    platform.reconnect();
  }

  @Override
  public void injectMalformedPayload(String channelId) {
    platform.injectMalformedPayload(channelId);
  }

  @Override
  public String unknownChannelId() {
    return "no-such-channel";
  }

  private MessageRef ref(String channelId, String messageId) {
    return platform.channel(channelId).message(messageId);
  }
}
