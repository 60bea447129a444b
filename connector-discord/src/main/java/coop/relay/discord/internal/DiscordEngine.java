package coop.relay.discord.internal;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.discord.internal.DiscordRest.Call;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.CursorStore;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Json;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Redactor;
import coop.relay.support.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Discord connector's implementation behind {@code DiscordConnector}: wires the REST client,
 * webhooks, the poster and the Gateway, and turns Gateway items into the relay's inbound events.
 */
public final class DiscordEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DiscordEngine.class);
  static final String CURSOR_SESSION = "session_id";
  static final String CURSOR_RESUME_URL = "resume_gateway_url";
  static final String CURSOR_SEQUENCE = "sequence";
  static final String CURSOR_WEBHOOKS = "webhooks";
  private static final String USER_AGENT = "DiscordBot (https://github.com/relay-coop/relay, 0.1.0)";

  private final DiscordSettings settings;
  private final ReactiveHttpClient http;
  private final ReactiveHttpClient cdn;
  private final DiscordRest rest;
  private final MarkdownRenderer renderer;
  private final Directory directory = new Directory();
  private final MessageLocations locations = new MessageLocations();
  private final Set<String> ownWebhooks = ConcurrentHashMap.newKeySet();
  private final Webhooks webhooks;
  private final Poster poster;
  private final Reactions reactions;
  private final DispatchDecoder decoder;
  private final Capabilities capabilities;
  private final AtomicReference<@Nullable String> botUserId = new AtomicReference<>();
  private final AtomicReference<@Nullable String> applicationId = new AtomicReference<>();
  private final AtomicReference<CursorStore.@Nullable Scoped> cursors = new AtomicReference<>();
  private final Mono<String> currentUser;

  /** An engine for {@code settings}; opens nothing until used. */
  public DiscordEngine(DiscordSettings settings) {
    this.settings = settings;
    OkHttpClient base = null;
    if (settings.interceptor() != null) {
      base = new OkHttpClient.Builder().addInterceptor(settings.interceptor()).build();
    }
    this.http = client(base, Redactor.of(settings.token()), true);
    this.cdn = client(base, Redactor.defaults(), true);
    OkHttpClient webhookBase = base;
    HttpUrl baseUrl = HttpUrl.get(settings.baseUrl());
    this.rest = new DiscordRest(settings.connectorId(), baseUrl, settings.token(), http,
        webhookToken -> client(webhookBase, Redactor.of(settings.token(), webhookToken), true), settings.scheduler());
    this.renderer = new MarkdownRenderer(settings.connectorId(), settings.linkedIdentities(), settings.cdnBaseUrl());
    this.currentUser = rest.json(Call.of(Route.CURRENT_USER, "reading the bot's own user"))
        .map(node -> node.path("id").asString())
        .doOnNext(id -> botUserId.compareAndSet(null, id))
        .cache(id -> java.time.Duration.ofDays(36_500), e -> java.time.Duration.ZERO, () -> java.time.Duration.ZERO);
    this.webhooks = new Webhooks(rest, settings.webhookName(), this::botUser, ownWebhooks, this::saveWebhooks);
    this.poster = new Poster(rest, webhooks, locations, directory, renderer, settings.maxAttachmentBytes(),
        settings.fallbackNameTemplate());
    this.reactions = new Reactions(rest, locations, renderer);
    this.decoder = new DispatchDecoder(settings.connectorId(), settings.cdnBaseUrl(), directory, locations, ownWebhooks);
    this.capabilities = Capabilities.builder()
        .maxTextLength(MessageSplitter.MAX_LENGTH)
        .maxAttachmentBytes(settings.maxAttachmentBytes())
        .puppeting(PuppetingMode.PER_MESSAGE)
        .build();
  }

  private ReactiveHttpClient client(@Nullable OkHttpClient base, Redactor redactor, boolean agent) {
    ReactiveHttpClient.Builder builder = ReactiveHttpClient.builder().redactor(redactor);
    if (base != null) {
      builder.okHttpClient(base);
    }
    if (agent) {
      builder.userAgent(USER_AGENT);
    }
    return builder.build();
  }

  public String id() {
    return settings.connectorId();
  }

  public Capabilities capabilities() {
    return capabilities;
  }

  public RenderedText render(RichText text) {
    return new RenderedText(renderer.render(text), text);
  }

  public Mono<MessageRef> post(OutboundMessage message) {
    return poster.post(message);
  }

  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return poster.edit(copy, message);
  }

  public Mono<Void> delete(MessageRef copy) {
    return poster.delete(copy);
  }

  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return reactions.add(message, emoji, user);
  }

  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return reactions.remove(message, emoji, user);
  }

  public Mono<byte[]> download(Attachment attachment) {
    String url = attachment.url();
    if (url == null || HttpUrl.parse(url) == null) {
      return Mono.error(DeliveryException.permanent("attachment " + attachment.fileName()
          + " has no download link; it cannot be copied"));
    }
    // The CDN needs no token; never send it to another host.
    return Mono.defer(() -> cdn.execute(new Request.Builder().url(url).build()))
        .flatMap(response -> response.isSuccessful() ? Mono.just(response.body())
            : Mono.error(response.status() == 404 || response.status() == 403
                ? DeliveryException.permanent("attachment " + attachment.fileName() + " is gone from Discord (HTTP "
                    + response.status() + ")")
                : response.toFailure("downloading attachment " + attachment.fileName(), java.time.Duration.ofSeconds(5),
                    java.time.Instant.now())));
  }

  public Mono<Void> close() {
    return Mono.empty();
  }

  private Mono<String> botUser() {
    String known = botUserId.get();
    return known != null ? Mono.just(known) : currentUser;
  }

  private void saveWebhooks(Set<String> ids) {
    CursorStore.Scoped scoped = cursors.get();
    if (scoped != null) {
      scoped.save(CURSOR_WEBHOOKS, String.join(",", ids));
    }
  }

  /** The connector's inbound stream; see {@code DiscordConnector#connect}. */
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      CursorStore.Scoped scoped = context.cursors();
      cursors.set(scoped);
      scoped.load(CURSOR_WEBHOOKS).ifPresent(saved -> Arrays.stream(saved.split(","))
          .filter(id -> !id.isBlank()).forEach(ownWebhooks::add));
      Long sequence = scoped.load(CURSOR_SEQUENCE).filter(s -> !s.isBlank()).map(DiscordEngine::parseLong).orElse(null);
      Gateway.Session start = new Gateway.Session(scoped.load(CURSOR_SESSION).orElse(null),
          scoped.load(CURSOR_RESUME_URL).orElse(null), sequence);
      Gateway gateway = new Gateway(settings.connectorId(), settings.token(), rest, http, settings.scheduler(),
          settings.reconnectBackoff(), settings.random(), start, (session, resume) -> {
            scoped.save(CURSOR_SESSION, session);
            scoped.save(CURSOR_RESUME_URL, resume);
            if (session.isEmpty()) {
              scoped.save(CURSOR_SEQUENCE, "");
            }
          });
      Inbound inbound = new Inbound(context, scoped);
      return gateway.run().concatMap(inbound::handle);
    });
  }

  private static @Nullable Long parseLong(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The state of one {@code connect()} subscription. */
  private final class Inbound {
    private final ConnectorContext context;
    private final CursorStore.Scoped scoped;
    private @Nullable ConnectorState reported;
    private String sessionId = "";

    Inbound(ConnectorContext context, CursorStore.Scoped scoped) {
      this.context = context;
      this.scoped = scoped;
    }

    Flux<InboundEvent> handle(GatewayItem item) {
      if (item instanceof GatewayItem.Ready ready) {
        botUserId.set(ready.ready().user().id());
        Wire.Application application = ready.ready().application();
        applicationId.set(application == null ? null : application.id());
        sessionId = ready.ready().sessionId();
        saveSequence(ready.frame());
        return state(ConnectorState.CONNECTED, "Gateway session ready");
      }
      if (item instanceof GatewayItem.Resumed resumed) {
        if (sessionId.isEmpty()) {
          sessionId = scoped.load(CURSOR_SESSION).orElse("");
        }
        saveSequence(resumed.frame());
        return state(ConnectorState.CONNECTED, "Gateway session resumed");
      }
      if (item instanceof GatewayItem.Lost lost) {
        return state(ConnectorState.RECONNECTING, lost.reason());
      }
      Frame frame = ((GatewayItem.Dispatch) item).frame();
      Set<String> bridged = context.channels();
      String unknown = decoder.unknownChannel(frame, bridged);
      Mono<Boolean> ready = unknown == null ? Mono.just(true) : lookUp(unknown);
      return ready.map(done -> {
        DispatchDecoder.Session session = new DispatchDecoder.Session(context.relayId(), botUserId.get(),
            applicationId.get(), sessionId, bridged);
        List<InboundEvent> events = decoder.decode(frame, session);
        saveSequence(frame); // no later than the events go out, so a restart never repeats them
        return events;
      }).flatMapIterable(events -> events);
    }

    private Flux<InboundEvent> state(ConnectorState state, String detail) {
      if (state == reported) {
        return Flux.empty();
      }
      reported = state;
      return Flux.just(ConnectorStateChanged.now(settings.connectorId(), state, detail));
    }

    private void saveSequence(Frame frame) {
      Long sequence = frame.sequence();
      if (sequence != null) {
        scoped.save(CURSOR_SEQUENCE, Long.toString(sequence));
      }
    }

    /** Learns whether an unknown channel is a thread, so its messages go to the parent channel. */
    private Mono<Boolean> lookUp(String channelId) {
      return rest.json(Call.of(Route.GET_CHANNEL, "looking up channel " + channelId, channelId))
          .map(node -> {
            Optional<Wire.Channel> channel = Json.convertOrSkip(node, Wire.Channel.class, "Discord channel");
            directory.channel(channel.orElse(new Wire.Channel(channelId, 0, null, null, null)));
            return true;
          })
          .onErrorResume(e -> {
            LOG.debug("{}: could not look up channel {}: {}", settings.connectorId(), channelId, e.toString());
            if (e instanceof RefusedException refused && !refused.isRetryable()) {
              directory.channel(new Wire.Channel(channelId, 0, null, null, null));
            }
            return Mono.just(false);
          });
    }
  }
}
