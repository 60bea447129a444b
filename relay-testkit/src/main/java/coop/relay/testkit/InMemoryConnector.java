package coop.relay.testkit;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.testkit.internal.Account;
import coop.relay.testkit.internal.Connection;
import coop.relay.testkit.internal.Draft;
import coop.relay.testkit.internal.MarkupRenderer;
import coop.relay.testkit.internal.PlatformEngine;
import coop.relay.testkit.internal.PlatformRejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link Connector} for an {@link InMemoryPlatform}: what a real connector is, without a network.
 *
 * <pre>{@code
 * InMemoryPlatform chat = InMemoryPlatform.builder().name("memchat").channels("general").build();
 * InMemoryConnector connector = InMemoryConnector.builder()
 *     .platform(chat)
 *     .id("mem")                                   // defaults to the platform's name
 *     .capabilities(Capabilities.builder().edits(false).puppeting(PuppetingMode.PER_MESSAGE).build())
 *     .build();
 * }</pre>
 *
 * <p><b>Inbound.</b> {@link #connect} follows the {@link Connector} contract: it first emits
 * {@code CONNECTED} (or {@code RECONNECTING} while the platform is
 * {@linkplain InMemoryPlatform#disconnect() disconnected}), then every event of every channel of the
 * platform, in the order they happened, then {@code RECONNECTING}/{@code CONNECTED} as the platform
 * drops and accepts the connection. It resumes after the sequence number saved in the context's
 * cursor store under {@link InMemoryPlatform#cursorName()} (from the very first event when none was
 * saved, so a test may act before the relay connects), and saves it as it emits: a restart replays
 * exactly what the previous connection did not emit. Events carrying this relay's origin marker, or
 * caused by this relay's connector (its reactions and deletions), are dropped when
 * {@link Builder#suppressEchoes(boolean) suppressEchoes} is on (the default). Malformed payloads
 * are logged and skipped. The flux never completes on its own; cancelling it disconnects;
 * {@link #close()} completes it after a {@code STOPPED} state. It fails with
 * {@link CredentialsRejectedException} while the platform {@linkplain
 * InMemoryPlatform#rejectCredentials(boolean) rejects credentials}. Events are emitted only as far
 * as the subscriber requested, on the thread that acted on the platform unless the platform was
 * built with {@link InMemoryPlatform.Builder#deliverOn deliverOn}. Each event is emitted and its
 * cursor saved atomically with respect to cancellation: a cancel from another thread waits for the
 * event being emitted, so that an event is either delivered and recorded, or neither.
 *
 * <p><b>Outbound.</b> Operations happen on subscription, after the fault scheduled by
 * {@link InMemoryPlatform#faults(String)}, if any. They fail with a permanent
 * {@link DeliveryException} when the platform refuses them (unknown channel or message, editing a
 * message the bridge did not post) or when the {@link Capabilities} given to the builder exclude
 * them (an edit without {@code edits}, a reply without {@code replies}, ...): a real platform would
 * not do them either, so a test learns the core tried. Where the capabilities do not allow
 * puppeting, the platform shows the bot as author; with {@code PER_MESSAGE} the bot's account with
 * the author's name and avatar; with {@code GHOST_USERS} a ghost account per author. Attachments are
 * downloaded and stored when the capabilities allow files of their size, and appended to the text as
 * links otherwise. A rendered text longer than {@code maxTextLength} is split into plain-text
 * messages of at most that length; the first one's reference is returned.
 */
public final class InMemoryConnector implements Connector {
  private final String id;
  private final InMemoryPlatform platform;
  private final PlatformEngine engine;
  private final String platformName;
  private final Capabilities capabilities;
  private final boolean suppressEchoes;
  private final Account bot;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private volatile @Nullable String relayId;
  private volatile boolean closed;

  private InMemoryConnector(Builder builder, InMemoryPlatform platform) {
    this.platform = platform;
    this.engine = platform.engine();
    this.id = builder.id != null ? builder.id : platform.name();
    this.platformName = builder.platformName != null ? builder.platformName : platform.name();
    this.capabilities = builder.capabilities;
    this.suppressEchoes = builder.suppressEchoes;
    this.bot = new Account(builder.botUserId, builder.botName, null, true, null);
  }

  /** A builder; {@link Builder#platform} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String platform() {
    return platformName;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** The platform this connector talks to. */
  public InMemoryPlatform inMemoryPlatform() {
    return platform;
  }

  /** The bot account the bridge acts as, as this connector reports it. */
  public Identity botIdentity() {
    return bot.toIdentity(id);
  }

  /** See the class comment for what the flux emits and when. */
  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      if (closed) {
        return Flux.error(new InvalidConfigurationException(
            "connector '" + id + "' was closed; build a new InMemoryConnector to connect again"));
      }
      if (engine.credentialsRejected()) {
        return Flux.error(new CredentialsRejectedException(id,
            platformName + " rejected the credentials; call rejectCredentials(false) on the platform", null));
      }
      relayId = context.relayId();
      return Connection.open(engine, new Connection.Settings(id, context.relayId(), suppressEchoes,
          context.cursors(), engine.clock(), platform.deliveryScheduler()), connections);
    });
  }

  /** Markdown-like markup; see the class comment of {@link InMemoryPlatform}. The source is kept. */
  @Override
  public RenderedText render(RichText text) {
    return new RenderedText(MarkupRenderer.render(text, id), text);
  }

  /** Emits the reference of the (first) new message; see the class comment for failures. */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return Mono.defer(() -> {
      String channelId = ownChannel(message.destination().connectorId(), message.destination().channelId());
      if (message.replyTo() != null && !capabilities.replies()) {
        return unsupported("replies");
      }
      if (message.threadRoot() != null && !capabilities.threads()) {
        return unsupported("threads");
      }
      String replyTo = message.replyTo() == null ? null : sameChannel(message.replyTo(), channelId);
      String threadRoot = message.threadRoot() == null ? null : sameChannel(message.threadRoot(), channelId);
      return prepareAttachments(message.attachments()).flatMap(files -> perform(channelId, () -> {
        List<Draft> parts = drafts(message, files, replyTo, threadRoot);
        String first = engine.post(channelId, parts).get(0);
        return message.destination().message(first);
      }));
    });
  }

  /** Completes when the platform accepted the edit; see the class comment for failures. */
  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return Mono.defer(() -> {
      String channelId = ownChannel(copy.connectorId(), copy.channel().channelId());
      if (!capabilities.edits()) {
        return unsupported("edits");
      }
      RichText text = message.text().source();
      return perform(channelId, () -> {
        engine.edit(channelId, copy.messageId(), shownAuthor(message.author()), true, text,
            message.text().markup(), message.origin(), relayId);
        return null;
      });
    });
  }

  /** Completes when the message is gone, also when it was already gone. */
  @Override
  public Mono<Void> delete(MessageRef copy) {
    return Mono.defer(() -> {
      String channelId = ownChannel(copy.connectorId(), copy.channel().channelId());
      if (!capabilities.deletes()) {
        return unsupported("deletes");
      }
      return perform(channelId, () -> {
        engine.delete(channelId, copy.messageId(), true, relayId);
        return null;
      });
    });
  }

  /**
   * Reacts as the bot, or as the author's ghost with {@code GHOST_USERS}; completes also when the
   * reaction was there.
   */
  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return react(message, emoji, user, true);
  }

  /** Removes the reaction {@link #addReaction} added; completes also when it was not there. */
  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return react(message, emoji, user, false);
  }

  private Mono<Void> react(MessageRef message, Emoji emoji, Identity user, boolean add) {
    return Mono.defer(() -> {
      String channelId = ownChannel(message.connectorId(), message.channel().channelId());
      if (!capabilities.reactions()) {
        return unsupported("reactions");
      }
      Account reactor = capabilities.puppeting() == PuppetingMode.GHOST_USERS ? ghost(user) : bot;
      return perform(channelId, () -> {
        engine.react(channelId, message.messageId(), reactor, emoji, add, true, relayId);
        return null;
      });
    });
  }

  /**
   * Emits the bytes the platform stores for the attachment; fails with a permanent
   * {@link DeliveryException} when there are none.
   */
  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return Mono.defer(() -> {
      byte[] content = engine.file(attachment.id());
      return content == null
          ? Mono.error(DeliveryException.permanent(platformName + " has no file '" + attachment.id()
              + "' (" + attachment.fileName() + "); it was never uploaded here"))
          : Mono.just(content);
    });
  }

  /** Completes every open connection (after a {@code STOPPED} state) and refuses further operations. Idempotent. */
  @Override
  public Mono<Void> close() {
    return Mono.fromRunnable(() -> {
      closed = true;
      for (Connection connection : List.copyOf(connections)) {
        connection.stop();
      }
    });
  }

  @Override
  public String toString() {
    return "InMemoryConnector[id=" + id + ", platform=" + platformName + "]";
  }

  private <T> Mono<T> perform(String channelId, Supplier<@Nullable T> action) {
    return Mono.defer(() -> {
      if (closed) {
        return Mono.error(DeliveryException.permanent("connector '" + id + "' was closed; nothing more is sent"));
      }
      Mono<T> operation = Mono.fromCallable(() -> {
        try {
          return action.get();
        } catch (PlatformRejection e) {
          throw DeliveryException.permanent(platformName + " refused: " + e.getMessage());
        }
      });
      Fault fault = platform.nextFault(channelId);
      if (fault == null) {
        return operation;
      }
      if (fault instanceof Fault.Failure failure) {
        engine.countFailure(channelId);
        return Mono.error(failure.toException(platformName, channelId));
      }
      if (fault instanceof Fault.Delay delay) {
        return Mono.delay(delay.duration(), platform.scheduler()).then(operation);
      }
      return Mono.never();
    });
  }

  private Mono<List<PreparedFile>> prepareAttachments(List<OutboundAttachment> attachments) {
    if (attachments.isEmpty()) {
      return Mono.just(List.of());
    }
    return Flux.fromIterable(attachments)
        .concatMap(outbound -> {
          Attachment original = outbound.attachment();
          if (!capabilities.attachments() || tooBig(original.sizeBytes())) {
            return Mono.just(new PreparedFile(original, false));
          }
          return outbound.content().map(bytes -> tooBig(bytes.length)
              ? new PreparedFile(original, false)
              : new PreparedFile(engine.storeFile(original.fileName(), original.mediaType(), bytes), true));
        })
        .collectList();
  }

  private boolean tooBig(long size) {
    return size > capabilities.maxAttachmentBytes();
  }

  /** A file either stored on the platform ({@code uploaded}) or to be linked from the text. */
  private record PreparedFile(Attachment attachment, boolean uploaded) {}

  private List<Draft> drafts(OutboundMessage message, List<PreparedFile> files, @Nullable String replyTo,
      @Nullable String threadRoot) {
    Account author = shownAuthor(message.author());
    RichText text = message.text().source();
    String markup = message.text().markup();
    List<Attachment> uploaded = new ArrayList<>();
    RichText.Builder links = RichText.builder();
    for (PreparedFile prepared : files) {
      Attachment file = prepared.attachment();
      if (prepared.uploaded()) {
        uploaded.add(file);
        continue;
      }
      links.lineBreak();
      if (file.url() != null) {
        links.link(file.url(), file.fileName());
      } else {
        links.text("[" + file.fileName() + "]");
      }
    }
    RichText linkText = links.build();
    if (!linkText.isEmpty()) {
      text = text.concat(linkText);
      markup = markup + MarkupRenderer.render(linkText, id);
    }
    if (markup.length() <= capabilities.maxTextLength()) {
      return List.of(new Draft(author, true, text, markup, uploaded, replyTo, threadRoot, message.origin(), relayId));
    }
    String plain = text.plainText();
    int limit = capabilities.maxTextLength();
    List<Draft> parts = new ArrayList<>();
    for (int start = 0; start < plain.length(); start += limit) {
      String chunk = plain.substring(start, Math.min(plain.length(), start + limit));
      boolean first = start == 0;
      parts.add(new Draft(author, true, RichText.of(chunk), chunk, first ? uploaded : List.of(),
          first ? replyTo : null, threadRoot, message.origin(), relayId));
    }
    return parts;
  }

  private Account shownAuthor(Identity author) {
    return switch (capabilities.puppeting()) {
      case NONE -> bot;
      case PER_MESSAGE -> new Account(bot.userId(), author.displayName(), author.avatarUrl(), true, null);
      case GHOST_USERS -> ghost(author);
    };
  }

  private static Account ghost(Identity author) {
    return new Account("ghost." + author.user().connectorId() + "." + author.user().userId(), author.displayName(),
        author.avatarUrl(), true, author.personId());
  }

  private String ownChannel(String connectorId, String channelId) {
    if (!connectorId.equals(id)) {
      throw DeliveryException.permanent("connector '" + id + "' was asked to act in a channel of connector '"
          + connectorId + "'; route the operation to that connector");
    }
    return channelId;
  }

  private static String sameChannel(MessageRef ref, String channelId) {
    if (!ref.channel().channelId().equals(channelId)) {
      throw DeliveryException.permanent("message " + ref + " is not in channel '" + channelId
          + "'; replies and threads stay within one channel");
    }
    return ref.messageId();
  }

  private <T> Mono<T> unsupported(String feature) {
    return Mono.error(DeliveryException.permanent("connector '" + id + "' does not support " + feature
        + " (its Capabilities say so); the relay should not have asked"));
  }

  /** Builds an {@link InMemoryConnector}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable InMemoryPlatform platform;
    private @Nullable String platformName;
    private Capabilities capabilities = Capabilities.builder().build();
    private boolean suppressEchoes = true;
    private String botUserId = "relay-bot";
    private String botName = "Relay";

    Builder() {}

    /** The connector id; defaults to the platform's name, so that the platform's references compare equal. */
    public Builder id(String value) {
      this.id = notBlank(value, "id");
      return this;
    }

    /** The platform to talk to; required. */
    public Builder platform(InMemoryPlatform value) {
      this.platform = Objects.requireNonNull(value, "platform");
      return this;
    }

    /** The platform name the connector reports ({@link Connector#platform()}); defaults to the platform's name. */
    public Builder platformName(String value) {
      this.platformName = notBlank(value, "platformName");
      return this;
    }

    /** What the modelled platform can do; defaults to everything, 4096 characters, 10 MiB files, no puppeting. */
    public Builder capabilities(Capabilities value) {
      this.capabilities = Objects.requireNonNull(value, "capabilities");
      return this;
    }

    /**
     * Whether to drop the echoes of this relay's own posts, edits, reactions and deletions (layer 1 of
     * loop prevention); on by default. Turn it off to prove the relay's own guard (layer 2).
     */
    public Builder suppressEchoes(boolean value) {
      this.suppressEchoes = value;
      return this;
    }

    /** The user id of the bridge's bot account; {@code "relay-bot"} by default. */
    public Builder botUserId(String value) {
      this.botUserId = notBlank(value, "botUserId");
      return this;
    }

    /** The display name of the bridge's bot account; {@code "Relay"} by default. */
    public Builder botName(String value) {
      this.botName = notBlank(value, "botName");
      return this;
    }

    /** @throws InvalidConfigurationException when no platform was given */
    public InMemoryConnector build() {
      if (platform == null) {
        throw new InvalidConfigurationException(
            "InMemoryConnector needs a platform: call platform(InMemoryPlatform.builder().build())");
      }
      return new InMemoryConnector(this, platform);
    }

    private static String notBlank(@Nullable String value, String what) {
      if (value == null || value.isBlank()) {
        throw new InvalidConfigurationException("InMemoryConnector " + what + " must not be blank");
      }
      return value;
    }
  }
}
