package coop.relay.matrix.internal;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.matrix.AppserviceHandler;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.BoundedMap;
import coop.relay.support.RateLimiter;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Redactor;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Matrix connector's implementation, behind {@code coop.relay.matrix.MatrixConnector}. Public
 * only for that class; not API.
 */
public final class MatrixEngine {
  private static final String PLATFORM = "matrix";

  private final EngineConfig config;
  private final Capabilities capabilities;
  private final MatrixClient client;
  private final HtmlRenderer renderer;
  private final Sender sender;
  private final @Nullable Ghosts ghosts;
  private final @Nullable SyncReceiver sync;
  private final @Nullable AppserviceReceiver appservice;

  /** Builds the connector's parts from a checked configuration. */
  public MatrixEngine(EngineConfig config) {
    this.config = config;
    EngineConfig.Appservice as = config.appservice();
    this.capabilities = Capabilities.builder()
        .maxTextLength(config.maxTextLength())
        .maxAttachmentBytes(config.maxUploadBytes())
        .puppeting(as == null ? PuppetingMode.NONE : PuppetingMode.GHOST_USERS)
        .build();
    Redactor.Builder redactor = Redactor.builder().secret(config.token());
    if (as != null) {
      redactor.secret(as.registration().hsToken());
    }
    ReactiveHttpClient.Builder http = ReactiveHttpClient.builder()
        .userAgent("Relay Matrix connector")
        .redactor(redactor.build());
    if (!config.interceptors().isEmpty()) {
      OkHttpClient.Builder base = new OkHttpClient.Builder();
      for (Interceptor interceptor : config.interceptors()) {
        base.addInterceptor(interceptor);
      }
      http.okHttpClient(base.build());
    }
    RateLimiter limiter = RateLimiter.builder().name(config.id()).scheduler(config.scheduler()).build();
    this.client = new MatrixClient(config.id(), config.baseUrl(), config.token(), http.build(), limiter, config.scheduler());
    Identities identities = new Identities(config.id(), client);
    this.renderer = new HtmlRenderer(config.id());
    HtmlParser parser = new HtmlParser(config.id());
    MemberDirectory members = new MemberDirectory(100_000);
    BoundedMap<String, EventDecoder.SeenReaction> reactions = new BoundedMap<>(50_000);
    this.ghosts = as == null ? null : new Ghosts(config.id(), as.registration(), client, identities);
    Ghosts g = ghosts;
    SyncReceiver.DecoderFactory decoders = (relayId, ownUserId) -> new EventDecoder(config.id(), relayId,
        user -> user.equals(ownUserId) || (g != null && g.isGhost(user)), members, reactions, parser);
    this.sender = new Sender(config.id(), client, renderer, identities, ghosts, config.maxUploadBytes(),
        config.maxTextLength());
    if (as == null || g == null) {
      this.sync = new SyncReceiver(config, client, identities, decoders);
      this.appservice = null;
    } else {
      this.sync = null;
      this.appservice = new AppserviceReceiver(config, as, client, identities, g, members, decoders);
    }
  }

  /** See {@code MatrixConnector#id()}. */
  public String id() {
    return config.id();
  }

  /** See {@code MatrixConnector#platform()}. */
  public String platform() {
    return PLATFORM;
  }

  /** See {@code MatrixConnector#capabilities()}. */
  public Capabilities capabilities() {
    return capabilities;
  }

  /** See {@code MatrixConnector#connect}: the sync loop in client mode, the transaction receiver in appservice mode. */
  public Flux<InboundEvent> connect(ConnectorContext context) {
    AppserviceReceiver as = appservice;
    SyncReceiver poll = sync;
    return as != null ? as.connect(context) : java.util.Objects.requireNonNull(poll).connect(context);
  }

  /** See {@code MatrixConnector#render}. */
  public RenderedText render(RichText text) {
    return new RenderedText(renderer.render(text), text);
  }

  /** See {@code MatrixConnector#post}. */
  public Mono<MessageRef> post(OutboundMessage message) {
    return sender.post(message);
  }

  /** See {@code MatrixConnector#edit}. */
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return sender.edit(copy, message);
  }

  /** See {@code MatrixConnector#delete}. */
  public Mono<Void> delete(MessageRef copy) {
    return sender.delete(copy);
  }

  /** See {@code MatrixConnector#addReaction}. */
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return sender.addReaction(message, emoji, user);
  }

  /** See {@code MatrixConnector#removeReaction}. */
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return sender.removeReaction(message, emoji, user);
  }

  /** See {@code MatrixConnector#download}. */
  public Mono<byte[]> download(Attachment attachment) {
    return sender.download(attachment);
  }

  /** The application-service handler, or {@code null} in client mode. */
  public @Nullable AppserviceHandler appserviceHandler() {
    return appservice;
  }

  /** See {@code MatrixConnector#close()}. */
  public Mono<Void> close() {
    return Mono.fromRunnable(() -> {
      Ghosts g = ghosts;
      if (g != null) {
        g.close();
      }
    });
  }

  @Override
  public String toString() {
    return "MatrixEngine[" + config.id() + "]";
  }
}
