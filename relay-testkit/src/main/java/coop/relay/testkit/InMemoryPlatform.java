package coop.relay.testkit;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.UserRef;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.testkit.internal.Account;
import coop.relay.testkit.internal.Connection;
import coop.relay.testkit.internal.Draft;
import coop.relay.testkit.internal.MarkupRenderer;
import coop.relay.testkit.internal.PlatformEngine;
import coop.relay.testkit.internal.PlatformRejection;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A chat platform in memory that behaves like a real one, for tests, samples and benchmarks.
 *
 * <p>It holds channels with ordered message histories and hands out monotonically increasing
 * message ids. Tests act on it as users ({@link #post}, {@link #reply}, {@link #postInThread},
 * {@link #edit}, {@link #delete}, {@link #react}, {@link #unreact}); every action is applied
 * at once and reported to the connected {@link InMemoryConnector}s as the matching inbound event.
 * What the connectors do is applied to the platform too and, as on Slack, Matrix and Discord,
 * echoed back into the inbound stream carrying the bridge's origin marker and a bot author; the
 * connector drops its own echoes unless told not to. {@link #history(String)} shows what a channel
 * displays, {@link #stats(String)} counts what the connectors did.
 *
 * <p>Faults are deterministic and scriptable: {@link #faults(String)} fails, rate-limits, delays or
 * stalls connectors' operations; {@link #duplicateNextEvents(int)} delivers events twice;
 * {@link #disconnect()} drops the inbound connections (events that happen meanwhile are delivered
 * after {@link #reconnect()}); {@link #injectMalformedPayload(String)} sends what no connector can
 * parse; {@link #rejectCredentials(boolean)} refuses new connections.
 *
 * <pre>{@code
 * InMemoryPlatform chat = InMemoryPlatform.builder().name("memchat").channels("general").build();
 * InMemoryConnector connector = InMemoryConnector.builder().platform(chat).build(); // id "memchat"
 * Identity alice = chat.user("alice", "Alice");
 * MessageRef hello = chat.post("general", alice, "hello");
 * chat.react(hello, alice, Emoji.unicode("wave", "👋"));
 * chat.history("general").get(0).reactionKeys(); // ["👋"]
 * }</pre>
 *
 * <p>References the platform hands out carry its {@linkplain #name() name} as connector id;
 * methods taking a reference only look at its channel and message ids, so references reported by a
 * connector with another id work as well. Every method is thread-safe and non-blocking; user actions
 * are synchronous and throw {@link IllegalArgumentException} when the test asks for something the
 * platform would refuse (an unknown channel, editing someone else's message).
 */
public final class InMemoryPlatform {
  private final PlatformEngine engine;
  private final @Nullable Scheduler scheduler;
  private final @Nullable Scheduler deliverOn;
  private final FaultPlan platformFaults = new FaultPlan();
  private final ConcurrentMap<String, FaultPlan> channelFaults = new ConcurrentHashMap<>();

  private InMemoryPlatform(Builder builder) {
    this.engine = new PlatformEngine(builder.name, builder.clock);
    this.scheduler = builder.scheduler;
    this.deliverOn = builder.deliverOn;
    for (String channel : builder.channels) {
      engine.createChannel(channel);
    }
  }

  /**
   * A builder for a platform named {@code "memchat"} with no channels, the UTC system clock and the
   * parallel scheduler.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The platform's name; also the connector id in the references it hands out. */
  public String name() {
    return engine.name();
  }

  /** Creates a channel; does nothing when it exists. */
  public InMemoryPlatform createChannel(String channelId) {
    requireId(channelId, "channelId");
    engine.createChannel(channelId);
    return this;
  }

  /** The ids of the channels, in creation order. */
  public List<String> channels() {
    return engine.channelIds();
  }

  /** A channel of this platform, with the platform's name as connector id. */
  public ChannelRef channel(String channelId) {
    return new ChannelRef(name(), channelId);
  }

  /** A human user of this platform. Users need no registration; this only builds the identity. */
  public Identity user(String userId, String displayName) {
    return Identity.of(new UserRef(name(), userId), displayName);
  }

  /** Posts plain text as {@code author}; markup characters stay literal. */
  public MessageRef post(String channelId, Identity author, String text) {
    return post(channelId, author, RichText.of(text));
  }

  /** Posts rich text as {@code author}. */
  public MessageRef post(String channelId, Identity author, RichText text) {
    return post(channelId, author, text, List.of());
  }

  /** Posts rich text with files stored by {@link #upload} as {@code author}. */
  public MessageRef post(String channelId, Identity author, RichText text, List<Attachment> attachments) {
    return userPost(channelId, author, text, attachments, null, null);
  }

  /** Posts a reply to {@code target}, in its channel. */
  public MessageRef reply(MessageRef target, Identity author, String text) {
    return reply(target, author, RichText.of(text));
  }

  /** Posts a reply to {@code target}, in its channel. */
  public MessageRef reply(MessageRef target, Identity author, RichText text) {
    return userPost(target.channel().channelId(), author, text, List.of(), target.messageId(), null);
  }

  /** Posts into the thread of {@code root} (the thread {@code root} is in, if it is itself a thread message). */
  public MessageRef postInThread(MessageRef root, Identity author, String text) {
    return postInThread(root, author, RichText.of(text));
  }

  /** Posts into the thread of {@code root} (the thread {@code root} is in, if it is itself a thread message). */
  public MessageRef postInThread(MessageRef root, Identity author, RichText text) {
    return userPost(root.channel().channelId(), author, text, List.of(), null, root.messageId());
  }

  private MessageRef userPost(String channelId, Identity author, RichText text, List<Attachment> attachments,
      @Nullable String replyTo, @Nullable String threadRoot) {
    Draft draft = new Draft(Account.of(author), false, text, MarkupRenderer.render(text, name()), attachments,
        replyTo, threadRoot, null, null);
    String id = asUser(() -> engine.post(channelId, List.of(draft))).get(0);
    return new MessageRef(channel(channelId), id);
  }

  /** Replaces the text of {@code message}, which {@code editor} must have written. */
  public void edit(MessageRef message, Identity editor, String text) {
    edit(message, editor, RichText.of(text));
  }

  /** Replaces the text of {@code message}, which {@code editor} must have written. */
  public void edit(MessageRef message, Identity editor, RichText text) {
    asUser(() -> {
      engine.edit(message.channel().channelId(), message.messageId(), Account.of(editor), false, text,
          MarkupRenderer.render(text, name()), null, null);
      return null;
    });
  }

  /**
   * Deletes {@code message}, as its author or a moderator would.
   *
   * @throws IllegalArgumentException when there is no such message or it was already deleted
   */
  public void delete(MessageRef message) {
    boolean deleted = asUser(() -> engine.delete(message.channel().channelId(), message.messageId(), false, null));
    if (!deleted) {
      throw new IllegalArgumentException("message " + message + " does not exist or was already deleted");
    }
  }

  /** Adds {@code user}'s reaction; does nothing (and reports nothing) when it is already there. */
  public void react(MessageRef message, Identity user, Emoji emoji) {
    asUser(() -> engine.react(message.channel().channelId(), message.messageId(), Account.of(user), emoji, true,
        false, null));
  }

  /** Removes {@code user}'s reaction; does nothing (and reports nothing) when it is not there. */
  public void unreact(MessageRef message, Identity user, Emoji emoji) {
    asUser(() -> engine.react(message.channel().channelId(), message.messageId(), Account.of(user), emoji, false,
        false, null));
  }

  /** Stores a file on the platform, to attach to a user's post; connectors can download it. */
  public Attachment upload(String fileName, String mediaType, byte[] content) {
    requireId(fileName, "fileName");
    Objects.requireNonNull(mediaType, "mediaType");
    return engine.storeFile(fileName, mediaType, content);
  }

  /** The bytes of a stored file, such as an attachment the bridge uploaded. */
  public byte[] fileContent(Attachment attachment) {
    byte[] content = engine.file(attachment.id());
    if (content == null) {
      throw new NoSuchElementException("no file '" + attachment.id() + "' on " + name());
    }
    return content;
  }

  /**
   * What the channel shows, oldest first; deleted messages stay in it, flagged. An immutable snapshot.
   *
   * @throws IllegalArgumentException when the channel does not exist
   */
  public List<PlatformMessage> history(String channelId) {
    return asUser(() -> engine.history(channelId));
  }

  /**
   * One message as its channel shows it now.
   *
   * @throws NoSuchElementException when there is no such message
   */
  public PlatformMessage message(MessageRef ref) {
    PlatformMessage message = engine.message(ref.channel().channelId(), ref.messageId());
    if (message == null) {
      throw new NoSuchElementException("no message " + ref.messageId() + " in channel '"
          + ref.channel().channelId() + "' of " + name());
    }
    return message;
  }

  /** How many operations the connectors performed in the channel; all zero for an unknown channel. */
  public ChannelStats stats(String channelId) {
    return engine.stats(channelId);
  }

  /** The faults for connectors' operations in one channel; consulted before {@link #faults()}. */
  public FaultPlan faults(String channelId) {
    requireId(channelId, "channelId");
    return channelFaults.computeIfAbsent(channelId, id -> new FaultPlan());
  }

  /** The faults for connectors' operations in every channel, used when the channel's own plan has none. */
  public FaultPlan faults() {
    return platformFaults;
  }

  /**
   * Delivers each of the next {@code count} events twice, as a platform that retries a webhook
   * or replays after a reconnect does; the copy has the same event id.
   */
  public void duplicateNextEvents(int count) {
    engine.duplicateNext(count);
  }

  /**
   * Sends every connection a payload in {@code channelId} that no connector can parse; connectors
   * log it and go on with the next event.
   */
  public void injectMalformedPayload(String channelId) {
    requireId(channelId, "channelId");
    engine.injectMalformed(channelId, "{\"type\":\"message\",\"channel\":\"" + channelId + "\",\"text\":");
  }

  /**
   * Drops every inbound connection: connectors report {@code RECONNECTING} and receive nothing
   * until {@link #reconnect()}, which then delivers what happened meanwhile, in order, once. New
   * connections wait too. Connectors' operations keep working (as a REST API does when the
   * WebSocket drops); to make them fail, schedule {@link #faults()}.
   */
  public void disconnect() {
    engine.disconnect();
  }

  /** Lets connections in again after {@link #disconnect()}: they report {@code CONNECTED} and catch up. */
  public void reconnect() {
    engine.reconnect();
  }

  /** Whether inbound connections are accepted, i.e. not {@link #disconnect() disconnected}. */
  public boolean isOnline() {
    return engine.isOnline();
  }

  /**
   * While {@code true}, new connections fail with {@link coop.relay.api.CredentialsRejectedException},
   * as when a token was revoked; established ones are not affected.
   */
  public void rejectCredentials(boolean value) {
    engine.rejectCredentials(value);
  }

  /** The name of the cursor under which an {@link InMemoryConnector} saves its position. */
  public static String cursorName() {
    return Connection.CURSOR;
  }

  @Override
  public String toString() {
    return "InMemoryPlatform[" + name() + "]";
  }

  PlatformEngine engine() {
    return engine;
  }

  /** The scheduler delays run on; resolved late so that a virtual-time scheduler installed by a test applies. */
  Scheduler scheduler() {
    return scheduler != null ? scheduler : Schedulers.parallel();
  }

  /** Where connections emit, or {@code null} for the acting thread. */
  @Nullable Scheduler deliveryScheduler() {
    return deliverOn;
  }

  /** The fault for a connector's operation in {@code channelId} that starts now. */
  @Nullable Fault nextFault(String channelId) {
    FaultPlan plan = channelFaults.get(channelId);
    Fault fault = plan == null ? null : plan.take();
    return fault != null ? fault : platformFaults.take();
  }

  private static <T> T asUser(Supplier<T> action) {
    try {
      return action.get();
    } catch (PlatformRejection e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static void requireId(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be null or blank");
    }
  }

  /** Builds an {@link InMemoryPlatform}; not thread-safe. */
  public static final class Builder {
    private String name = "memchat";
    private List<String> channels = List.of();
    private Clock clock = Clock.systemUTC();
    private @Nullable Scheduler scheduler;
    private @Nullable Scheduler deliverOn;

    Builder() {}

    /** The platform's name, e.g. {@code "memchat"}; shown by connectors as their platform. */
    public Builder name(String value) {
      if (value == null || value.isBlank()) {
        throw new InvalidConfigurationException("InMemoryPlatform name must not be blank; pass e.g. \"memchat\"");
      }
      this.name = value;
      return this;
    }

    /** Channels to create up front. */
    public Builder channels(String... ids) {
      for (String id : ids) {
        if (id == null || id.isBlank()) {
          throw new InvalidConfigurationException("InMemoryPlatform channel ids must not be blank");
        }
      }
      this.channels = List.of(ids);
      return this;
    }

    /** The clock for message timestamps; a fixed clock makes them deterministic. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The scheduler for {@link Fault#delay delays}. By default {@code Schedulers.parallel()},
     * looked up when a delay starts, so {@code StepVerifier.withVirtualTime} controls it.
     */
    public Builder scheduler(Scheduler value) {
      this.scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Emits connectors' inbound events on {@code value} (one worker per connection, in order), as a
     * real platform's events arrive on a network thread. By default they are emitted synchronously
     * on the thread that acted on the platform (a test calling {@code post}, or a connector posting
     * and so causing an echo), which is deterministic but re-entrant: a subscriber that posts from
     * {@code onNext} receives the resulting events before its post returns.
     */
    public Builder deliverOn(Scheduler value) {
      this.deliverOn = Objects.requireNonNull(value, "deliverOn");
      return this;
    }

    /** A new platform with the options given so far. */
    public InMemoryPlatform build() {
      return new InMemoryPlatform(this);
    }
  }
}
