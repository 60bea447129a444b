package coop.relay.slack.internal;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.HmacSha256;
import coop.relay.support.Quota;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Redactor;
import coop.relay.support.RetryPolicy;
import coop.relay.support.Secret;
import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Slack connector behind {@code coop.relay.slack.SlackConnector}: wires the Web API client, the
 * inbound source of the configured mode, the decoder and the sender together.
 */
public final class SlackEngine implements Connector {
  private static final Logger LOG = LoggerFactory.getLogger(SlackEngine.class);
  /** Slack's advice for one message; it cuts texts at 40,000 characters. */
  static final int MAX_TEXT_LENGTH = 4000;
  /** About one message per second per channel, with short bursts, as Slack asks. */
  static final Quota CHANNEL_QUOTA = Quota.of(3, Duration.ofSeconds(3));
  private static final Duration SIGNATURE_TOLERANCE = Duration.ofMinutes(5);
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(5);
  /** The cursor of a channel: the ts of the latest message relayed from it. */
  static final String CURSOR_PREFIX = "latest_ts:";

  private final SlackSettings settings;
  private final String id;
  private final Capabilities capabilities;
  private final SlackWebApi api;
  private final ReactiveHttpClient http;
  private final SlackSender sender;
  private final UserDirectory users;
  private final HistoryCatchUp history;
  private final ThreadRoots threadRoots;
  private final MrkdwnRenderer renderer;
  private final MrkdwnParser parser;
  private final BoundedCache<String> downloadUrls;
  private final BoundedCache<Boolean> relayed;
  private final @Nullable EventsEndpoint endpoint;
  private final AtomicReference<@Nullable WebhookListener> ownListener = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A connector with the given settings; nothing connects before {@link #connect}. */
  public SlackEngine(SlackSettings settings) {
    this.settings = settings;
    this.id = settings.id();
    this.capabilities = Capabilities.builder()
        .maxAttachmentBytes(settings.maxAttachmentBytes())
        .maxTextLength(MAX_TEXT_LENGTH)
        .puppeting(PuppetingMode.PER_MESSAGE)
        .build();
    Redactor.Builder redactor = Redactor.builder().secret(settings.botToken());
    if (settings.appToken() != null) {
      redactor.secret(settings.appToken());
    }
    if (settings.signingSecret() != null) {
      redactor.secret(settings.signingSecret());
    }
    ReactiveHttpClient.Builder httpBuilder = ReactiveHttpClient.builder()
        .redactor(redactor.build())
        .pingInterval(Duration.ofSeconds(30))
        .maxResponseBytes(Math.max(ReactiveHttpClient.DEFAULT_MAX_RESPONSE_BYTES, settings.maxAttachmentBytes() + 1));
    if (settings.okHttpClient() != null) {
      httpBuilder.okHttpClient(settings.okHttpClient());
    }
    this.http = httpBuilder.build();
    RateLimiter limiter = RateLimiter.builder()
        .name(id)
        .scheduler(settings.scheduler())
        .keyQuota(key -> key.startsWith("chat:"), CHANNEL_QUOTA)
        .build();
    this.api = new SlackWebApi(id, settings.baseUrl(), settings.botToken(), settings.appToken(), http, limiter,
        settings.scheduler());
    this.threadRoots = new ThreadRoots(new BoundedCache<>(10_000, null, this::nanoTime));
    this.sender = new SlackSender(api, MAX_TEXT_LENGTH, settings.maxAttachmentBytes(), settings.unfurl(),
        new BoundedCache<>(10_000, null, this::nanoTime), threadRoots);
    this.users = new UserDirectory(id, api, new BoundedCache<>(10_000, Duration.ofHours(1), this::nanoTime));
    this.history = new HistoryCatchUp(api);
    this.renderer = new MrkdwnRenderer(id);
    this.parser = new MrkdwnParser(id, users::cachedName, channelId -> null);
    this.downloadUrls = new BoundedCache<>(10_000, Duration.ofDays(1), this::nanoTime);
    this.relayed = new BoundedCache<>(10_000, null, this::nanoTime);
    Secret signingSecret = settings.signingSecret();
    this.endpoint = signingSecret == null ? null
        : new EventsEndpoint(id, HmacSha256.keyedWith(signingSecret), settings.scheduler(), SIGNATURE_TOLERANCE);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String platform() {
    return "slack";
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** The Events API endpoint; see {@code SlackConnector#eventsHandler()}. */
  public WebhookHandler eventsHandler() {
    EventsEndpoint events = endpoint;
    if (events == null) {
      throw new IllegalStateException("connector '" + id + "' receives through Socket Mode and has no Events API"
          + " endpoint; configure signingSecret(...) instead of appToken(...) to receive through the Events API");
    }
    return events;
  }

  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      if (closed.get()) {
        return Flux.error(new IllegalStateException("connector '" + id + "' is closed; build a new one"));
      }
      ConnectionStates states = new ConnectionStates(id, settings.scheduler());
      return authenticate(1).concatMap(step -> {
        SelfIdentity self = step.self();
        if (self == null) {
          return states.to(ConnectorState.RECONNECTING, step.reason());
        }
        EventDecoder decoder = new EventDecoder(id, context.relayId(), self, parser, downloadUrls::put);
        return source().concatMap(signal -> handle(signal, decoder, states, context));
      });
    });
  }

  private Flux<InboundEvent> handle(Inbound signal, EventDecoder decoder, ConnectionStates states,
      ConnectorContext context) {
    if (signal instanceof Inbound.Up up) {
      // Events that arrive meanwhile wait in concatMap's queue, so the catch-up keeps the order.
      return states.to(ConnectorState.CONNECTED, up.detail()).concatWith(catchUp(decoder, context));
    }
    if (signal instanceof Inbound.Down down) {
      return states.to(ConnectorState.RECONNECTING, down.reason());
    }
    return relay(((Inbound.Payload) signal).callback(), decoder, context);
  }

  private Flux<InboundEvent> relay(Callback callback, EventDecoder decoder, ConnectorContext context) {
    Decoded decoded = decoder.decode(callback);
    if (decoded instanceof Decoded.Skipped skipped) {
      LOG.warn("{}: skipping Slack event {}: {}", id, callback.eventId(), skipped.reason());
      return Flux.empty();
    }
    if (decoded instanceof Decoded.Ignored ignored) {
      LOG.debug("{}: not relaying Slack event {}: {}", id, callback.eventId(), ignored.reason());
      return Flux.empty();
    }
    Decoded.Relayed relay = (Decoded.Relayed) decoded;
    if (!relayed.putIfAbsent(relay.dedupKey(), Boolean.TRUE)) {
      LOG.debug("{}: Slack delivered {} again; relayed once already", id, relay.dedupKey());
      return Flux.empty();
    }
    String userId = relay.userId();
    ChannelEvent event = relay.event();
    Mono<ChannelEvent> complete = userId == null
        ? Mono.just(event)
        : users.identity(userId, identityOf(event)).map(identity -> withIdentity(event, identity));
    return complete.doOnNext(done -> advanceCursor(done, context)).<InboundEvent>map(done -> done).flux();
  }

  /** Replays each bridged channel's messages since its cursor; a failure only costs the catch-up. */
  private Flux<InboundEvent> catchUp(EventDecoder decoder, ConnectorContext context) {
    return Flux.fromIterable(List.copyOf(context.channels())).concatMap(channel -> {
      String cursor = context.cursors().load(CURSOR_PREFIX + channel).orElse(null);
      if (cursor == null) {
        LOG.debug("{}: no cursor for {} yet; nothing to catch up", id, channel);
        return Flux.empty();
      }
      LOG.debug("{}: catching up on {} since {}", id, channel, cursor);
      return history.since(channel, cursor)
          .concatMap(callback -> relay(callback, decoder, context))
          .onErrorResume(e -> !(e instanceof CredentialsRejectedException), e -> {
            LOG.warn("{}: could not fetch what was posted in {} while disconnected: {}", id, channel, e.getMessage());
            return Flux.empty();
          });
    });
  }

  /**
   * Saves the channel's cursor before the message is emitted, so that a restart resumes after it, and
   * remembers the thread a reply is in, so that answers to it go into that thread.
   */
  private void advanceCursor(ChannelEvent event, ConnectorContext context) {
    if (!(event instanceof MessageCreated created)) {
      return;
    }
    String channel = created.channel().channelId();
    String ts = created.message().ref().messageId();
    MessageRef root = created.message().threadRoot();
    if (root != null) {
      threadRoots.remember(channel, ts, root.messageId());
    }
    String saved = context.cursors().load(CURSOR_PREFIX + channel).orElse(null);
    if (HistoryCatchUp.isLater(ts, saved)) {
      context.cursors().save(CURSOR_PREFIX + channel, ts);
    }
  }

  /** The inbound source of the configured mode. */
  private Flux<Inbound> source() {
    EventsEndpoint events = endpoint;
    if (events == null) {
      return new SocketModeSource(id, api, http, settings.reconnectBackoff(), settings.scheduler(), RETIRE_GRACE)
          .receive();
    }
    Flux<Inbound> accepted = events.receive();
    WebhookListener shared = settings.webhookListener();
    Integer port = settings.webhookPort();
    if (shared != null) {
      return Flux.using(() -> shared.mount(settings.webhookPath(), events), mounted -> accepted, Disposable::dispose);
    }
    if (port != null) {
      return Flux.usingWhen(startOwnListener(events, port), listener -> accepted, this::stopOwnListener);
    }
    // The integrator mounted eventsHandler() in their own server.
    return accepted;
  }

  private Mono<WebhookListener> startOwnListener(EventsEndpoint events, int port) {
    return Mono.defer(() -> {
      WebhookListener listener = WebhookListener.builder()
          .host(settings.webhookHost())
          .port(port)
          .route(settings.webhookPath(), events)
          .scheduler(settings.scheduler())
          .build();
      ownListener.set(listener);
      return listener.start().thenReturn(listener);
    });
  }

  private Mono<Void> stopOwnListener(WebhookListener listener) {
    return listener.stop().doFinally(signal -> ownListener.compareAndSet(listener, null));
  }

  /** {@code auth.test}, retried in the background while Slack is unreachable: who our bot is. */
  private Flux<AuthStep> authenticate(int attempt) {
    return api.get("auth.test", "auth.test", null, Map.of())
        .map(node -> {
          String userId = Nodes.text(node, "user_id");
          if (userId.isEmpty()) {
            throw DeliveryException.transientFailure("Slack answered auth.test without a user_id", null);
          }
          return AuthStep.ready(new SelfIdentity(userId, emptyToNull(Nodes.text(node, "bot_id")),
              emptyToNull(Nodes.text(node, "app_id")), emptyToNull(Nodes.text(node, "team_id"))));
        })
        .flux()
        .onErrorResume(RetryPolicy::isRetryableByDefault, e -> {
          Duration wait = settings.reconnectBackoff().delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
          LOG.info("{}: cannot reach Slack ({}); trying again in {} ms", id, e.getMessage(), wait.toMillis());
          return Flux.just(AuthStep.retrying("cannot reach Slack: " + e.getMessage()))
              .concatWith(Mono.delay(wait, settings.scheduler()).thenMany(Flux.defer(() -> authenticate(attempt + 1))));
        });
  }

  @Override
  public RenderedText render(RichText text) {
    return new RenderedText(renderer.render(text), text);
  }

  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return sender.post(message);
  }

  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return sender.edit(copy, message);
  }

  @Override
  public Mono<Void> delete(MessageRef copy) {
    return sender.delete(copy);
  }

  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return sender.react(message, emoji, true);
  }

  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return sender.react(message, emoji, false);
  }

  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return Mono.defer(() -> {
      String url = downloadUrls.get(attachment.id());
      if (url != null) {
        return api.download(url, attachment.fileName());
      }
      return api.get("files.info", "files", null, Map.of("file", attachment.id()))
          .onErrorMap(e -> SlackApiError.is(e, "file_not_found") || SlackApiError.is(e, "file_deleted"),
              e -> DeliveryException.permanent("the Slack file " + attachment.fileName() + " is gone"))
          .flatMap(node -> {
            JsonFile file = JsonFile.of(node.path("file"));
            if (file.downloadUrl() == null) {
              return Mono.error(DeliveryException.permanent("Slack has no download URL for " + attachment.fileName()));
            }
            return api.download(Objects.requireNonNull(file.downloadUrl()), attachment.fileName());
          });
    });
  }

  @Override
  public Mono<Void> close() {
    return Mono.defer(() -> {
      closed.set(true);
      WebhookListener listener = ownListener.getAndSet(null);
      return listener == null ? Mono.<Void>empty() : listener.stop();
    });
  }

  @Override
  public String toString() {
    return "SlackConnector[" + id + ", " + (settings.socketMode() ? "Socket Mode" : "Events API") + "]";
  }

  private long nanoTime() {
    return settings.scheduler().now(TimeUnit.NANOSECONDS);
  }

  private static Identity identityOf(ChannelEvent event) {
    if (event instanceof MessageCreated created) {
      return created.message().author();
    }
    if (event instanceof MessageEdited edited) {
      return edited.editor();
    }
    if (event instanceof ReactionAdded added) {
      return added.user();
    }
    if (event instanceof ReactionRemoved removed) {
      return removed.user();
    }
    throw new IllegalArgumentException("no author on " + event.getClass().getSimpleName());
  }

  private static ChannelEvent withIdentity(ChannelEvent event, Identity identity) {
    if (event instanceof MessageCreated created) {
      return new MessageCreated(created.message().withAuthor(identity));
    }
    if (event instanceof MessageEdited e) {
      return new MessageEdited(e.eventId(), e.target(), identity, e.text(), e.attachments(), e.editedAt(), e.origin());
    }
    if (event instanceof ReactionAdded r) {
      return new ReactionAdded(r.eventId(), r.target(), identity, r.emoji(), r.at());
    }
    if (event instanceof ReactionRemoved r) {
      return new ReactionRemoved(r.eventId(), r.target(), identity, r.emoji(), r.at());
    }
    return event;
  }

  private static @Nullable String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  /** One step of authenticating: a failed attempt to report, or who we are. */
  private record AuthStep(@Nullable SelfIdentity self, String reason) {
    static AuthStep ready(SelfIdentity self) {
      return new AuthStep(self, "");
    }

    static AuthStep retrying(String reason) {
      return new AuthStep(null, reason);
    }
  }

  /** The download URL of a {@code files.info} answer. */
  private record JsonFile(@Nullable String downloadUrl) {
    static JsonFile of(tools.jackson.databind.JsonNode file) {
      String download = Nodes.text(file, "url_private_download");
      String privateUrl = Nodes.text(file, "url_private");
      return new JsonFile(!download.isEmpty() ? download : privateUrl.isEmpty() ? null : privateUrl);
    }
  }
}
