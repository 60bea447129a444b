package coop.relay.telegram.internal;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.ReactiveHttpClient;
import coop.relay.support.Redactor;
import coop.relay.telegram.TelegramWebhookHandler;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * The Telegram connector's implementation, behind {@code coop.relay.telegram.TelegramConnector}.
 * Public only for that class; not API.
 */
public final class TelegramEngine {
  private static final String PLATFORM = "telegram";

  private final EngineConfig config;
  private final Capabilities capabilities;
  private final BotApiClient api;
  private final RichTextFormatter formatter;
  private final ChatMigrations migrations = new ChatMigrations();
  private final Sender sender;
  private final @Nullable WebhookReceiver webhook;
  private final LongPollReceiver longPoll;
  private final Sinks.One<Boolean> closed = Sinks.one();
  private final AtomicBoolean isClosed = new AtomicBoolean();

  public TelegramEngine(EngineConfig config) {
    this.config = config;
    this.capabilities = Capabilities.builder()
        .maxTextLength(Sender.TEXT_LIMIT)
        .maxAttachmentBytes(config.maxUploadBytes())
        .puppeting(PuppetingMode.NONE)
        .build();
    ReactiveHttpClient.Builder http = ReactiveHttpClient.builder()
        .userAgent("Relay Telegram connector")
        .redactor(Redactor.of(config.token()));
    if (!config.interceptors().isEmpty()) {
      OkHttpClient.Builder base = new OkHttpClient.Builder();
      for (Interceptor interceptor : config.interceptors()) {
        base.addInterceptor(interceptor);
      }
      http.okHttpClient(base.build());
    }
    this.api = new BotApiClient(config.id(), config.token(), config.baseUrl(), http.build());
    this.formatter = new RichTextFormatter(config.id());
    this.sender = new Sender(config.id(), api, SendLimits.create(config.id(), config.scheduler(), config.sendLimits()),
        formatter, migrations, config.maxUploadBytes());
    UpdateDecoder decoder = new UpdateDecoder(config.id());
    Mono<Long> identify = Mono.defer(this::identify);
    this.longPoll = new LongPollReceiver(config, api, decoder, migrations, identify);
    EngineConfig.Webhook hook = config.webhook();
    this.webhook = hook == null ? null : new WebhookReceiver(config, hook, api, decoder, migrations, identify);
  }

  /** The connector id. */
  public String id() {
    return config.id();
  }

  /** {@code telegram}. */
  public String platform() {
    return PLATFORM;
  }

  /** What the connector can do; see {@code TelegramConnector#capabilities()}. */
  public Capabilities capabilities() {
    return capabilities;
  }

  /** Long-polls or receives through the webhook; completes once the connector is closed. */
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.defer(() -> {
      if (isClosed()) {
        return Flux.error(closedFailure());
      }
      migrations.attach(context.cursors());
      WebhookReceiver hook = webhook;
      return hook != null ? hook.connect(context) : longPoll.connect(context);
    }).takeUntilOther(closed.asMono());
  }

  /** The Bot API HTML of {@code text}. */
  public RenderedText render(RichText text) {
    return new RenderedText(HtmlWriter.write(formatter.format(text)), text);
  }

  /** Sends a message; see {@code TelegramConnector#post}. */
  public Mono<MessageRef> post(OutboundMessage message) {
    return unlessClosed(sender.post(message));
  }

  /** Edits a message sent earlier. */
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return unlessClosed(sender.edit(copy, message));
  }

  /** Deletes a message sent earlier. */
  public Mono<Void> delete(MessageRef copy) {
    return unlessClosed(sender.delete(copy));
  }

  /** Adds the bot's reaction. */
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return unlessClosed(sender.react(message, emoji, true));
  }

  /** Removes a reaction added by {@link #addReaction}. */
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return unlessClosed(sender.react(message, emoji, false));
  }

  /** Fetches a received file through getFile and the download path. */
  public Mono<byte[]> download(Attachment attachment) {
    return unlessClosed(api.call("getFile", Map.of("file_id", attachment.id()), "getFile for " + attachment.fileName())
        .flatMap(file -> {
          String path = file.path("file_path").asString("");
          if (path.isEmpty()) {
            return Mono.error(DeliveryException.permanent("Telegram gave no download path for " + attachment.fileName()
                + "; the file cannot be relayed"));
          }
          return api.download(path, "downloading " + attachment.fileName());
        })
        .onErrorMap(TelegramApiException.class, e -> e.says("file is too big")
            ? DeliveryException.permanent("connector '" + config.id() + "': " + attachment.fileName()
                + " is larger than the 20 MB Telegram lets bots download; it cannot be relayed")
            : e));
  }

  /** The webhook handler; only in webhook mode. */
  public TelegramWebhookHandler webhookHandler() {
    WebhookReceiver hook = webhook;
    if (hook == null) {
      throw new IllegalStateException("connector '" + config.id() + "' long-polls and has no webhook handler");
    }
    return hook;
  }

  /** Ends every connection (unmounting the webhook handler) and refuses further calls. Idempotent. */
  public Mono<Void> close() {
    return Mono.fromRunnable(() -> {
      if (isClosed.compareAndSet(false, true)) {
        closed.tryEmitValue(Boolean.TRUE);
      }
    });
  }

  private boolean isClosed() {
    return isClosed.get();
  }

  private <T> Mono<T> unlessClosed(Mono<T> operation) {
    return Mono.defer(() -> isClosed() ? Mono.error(closedFailure()) : operation);
  }

  private DeliveryException closedFailure() {
    return DeliveryException.permanent("connector '" + config.id() + "' is closed; build a new one to use Telegram again");
  }

  /** {@code getMe}: the bot's own user id, which marks its echoes. */
  private Mono<Long> identify() {
    return api.call("getMe", Map.of(), "getMe").map(TelegramEngine::botId);
  }

  private static long botId(JsonNode me) {
    JsonNode id = me.get("id");
    if (id == null || !id.isIntegralNumber()) {
      throw DeliveryException.transientFailure("getMe answered without the bot's id; retrying", null);
    }
    return id.asLong();
  }

  @Override
  public String toString() {
    return "TelegramEngine[" + config.id() + "]";
  }
}
