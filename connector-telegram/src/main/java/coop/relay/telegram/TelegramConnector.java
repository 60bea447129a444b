package coop.relay.telegram;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Secret;
import coop.relay.telegram.internal.EngineConfig;
import coop.relay.telegram.internal.TelegramEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Bridges Telegram through the Bot API, as one bot.
 *
 * <pre>{@code
 * Connector telegram = TelegramConnector.builder().id("tg").token(System.getenv("TELEGRAM_TOKEN")).build();
 * }</pre>
 *
 * <p><b>Receiving.</b> By default the connector long-polls {@code getUpdates} and keeps its offset
 * in the relay's cursor store, so a restart resumes exactly where it stopped; with
 * {@link Builder#webhook(TelegramWebhook)} Telegram posts updates to a webhook instead. Messages,
 * edits, channel posts and reactions arrive with their entities as {@link RichText} (offsets are
 * UTF-16 code units), with replies, forum topics ({@code message_thread_id}) and photos and documents
 * (fetched by {@link #download} through {@code getFile}; an attachment's {@code url} is never the
 * download link, which contains the bot token). Telegram does not tell bots about deleted messages.
 * The bot's own messages are never relayed: that is how the relay's copies are recognised, so give
 * each relay its own bot.
 *
 * <p><b>Sending.</b> Text goes as {@code parse_mode=HTML} without link previews; replies use
 * {@code reply_parameters} (sent even when the target is gone), threads {@code message_thread_id}.
 * Text over 4096 characters is split on line breaks or spaces, never inside an entity or a
 * surrogate pair, and an edit of a split message updates only the parts that changed. Files go up
 * as photos or documents up to {@link Builder#maxUploadBytes}, and as links above it. Telegram
 * cannot show another author's name and avatar ({@link Capabilities#puppeting()} is
 * {@code NONE}), so the relay's name template puts the name into the text. The bot has one
 * reaction per message: it shows the latest bridged reaction that is still there.
 *
 * <p><b>Limits and failures.</b> Requests wait for Telegram's sending limits (one message per
 * second per chat, twenty per minute per group, thirty per second overall) instead of failing; a
 * {@code 429} pauses the chat for exactly {@code retry_after} and fails with a
 * {@link coop.relay.api.RateLimitedException} if it persists. A group upgraded to a supergroup
 * ({@code migrate_to_chat_id}) is followed both ways: new messages go to the supergroup, and what is
 * posted there is relayed under the group's channel (message ids qualified as
 * {@code <supergroup id>:<id>}, since the supergroup numbers its messages afresh) until the bridge
 * names the supergroup itself; the move is reported as a {@code CONNECTED} state change whose
 * detail says how to update the bridge. Messages from before the upgrade can no longer be changed
 * (Telegram refuses it). A rejected token
 * ({@code 401}) fails {@link #connect} with {@link coop.relay.api.CredentialsRejectedException} and
 * every later call at once, without contacting Telegram; a {@code 409} (another program polls with
 * the same token, or a webhook is set) fails with an
 * {@link coop.relay.api.InvalidConfigurationException} saying what to do.
 *
 * <p>Thread-safe. {@link #toString()} never shows the token.
 */
public final class TelegramConnector implements Connector {
  private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");

  private final TelegramEngine engine;
  private final @Nullable TelegramWebhook webhook;

  private TelegramConnector(TelegramEngine engine, @Nullable TelegramWebhook webhook) {
    this.engine = engine;
    this.webhook = webhook;
  }

  /** A builder; {@link Builder#id} and {@link Builder#token} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return engine.id();
  }

  /** {@code telegram}. */
  @Override
  public String platform() {
    return engine.platform();
  }

  /**
   * Edits, deletes, reactions, replies, threads and attachments (up to {@link Builder#maxUploadBytes}),
   * 4096 characters per message, no puppeting.
   */
  @Override
  public Capabilities capabilities() {
    return engine.capabilities();
  }

  /**
   * Connects: {@code getMe}, then long-polls or sets the webhook. Emits {@code CONNECTED} once
   * Telegram answered (or {@code RECONNECTING} while it is unreachable, retrying with backoff in the
   * background), then the channel events. Fails with
   * {@link coop.relay.api.CredentialsRejectedException} when Telegram rejects the token and with
   * {@link coop.relay.api.InvalidConfigurationException} for a malformed token, a wrong base URL or
   * a 409 conflict; never completes on its own. Cancelling stops the poll (or unmounts the webhook
   * handler, leaving the webhook set so that Telegram keeps updates until the next connection).
   */
  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return engine.connect(context);
  }

  /** Renders the Bot API's HTML; mentions of other platforms' users cannot ping anyone on Telegram. */
  @Override
  public RenderedText render(RichText text) {
    return engine.render(text);
  }

  /**
   * Sends the message (several when the text is long or files are attached) and emits the first
   * one's reference. Fails with a permanent {@link coop.relay.api.DeliveryException} when Telegram
   * refuses it (an unknown chat, missing rights) and with a transient one when it is unreachable;
   * when retried after a failure half-way, parts already sent are not sent again. Cancelling stops
   * sending further parts.
   */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return engine.post(message);
  }

  /** Edits the text parts of a message posted earlier that changed; completes when Telegram accepted them. */
  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return engine.edit(copy, message);
  }

  /** Deletes every part of a message posted earlier; completes also when it was already gone. */
  @Override
  public Mono<Void> delete(MessageRef copy) {
    return engine.delete(copy);
  }

  /**
   * Reacts as the bot (Telegram bots cannot react as someone else, and have one reaction per
   * message). Fails with a permanent {@link coop.relay.api.DeliveryException} for an emoji Telegram
   * does not offer as a reaction.
   */
  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.addReaction(message, emoji, user);
  }

  /** Removes a reaction added by {@link #addReaction}, showing the previous one still wanted, if any. */
  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.removeReaction(message, emoji, user);
  }

  /**
   * Fetches a received file through {@code getFile}. Fails with a permanent
   * {@link coop.relay.api.DeliveryException} when Telegram no longer has it or it is larger than
   * the 20 MB bots may download.
   */
  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return engine.download(attachment);
  }

  /**
   * The handler for Telegram's webhook requests, to mount in your own HTTP server when the webhook
   * has no listener.
   *
   * @throws IllegalStateException when the connector long-polls (no {@link Builder#webhook} given)
   */
  public TelegramWebhookHandler webhookHandler() {
    if (webhook == null) {
      throw new IllegalStateException("connector '" + id() + "' long-polls; configure webhook(..) on its builder to"
          + " receive updates through a webhook");
    }
    return engine.webhookHandler();
  }

  /** Stops sending, unmounts the webhook handler; completes when done. Idempotent. */
  @Override
  public Mono<Void> close() {
    return engine.close();
  }

  @Override
  public String toString() {
    return "TelegramConnector[" + id() + ", " + (webhook == null ? "long poll" : "webhook") + "]";
  }

  /** Options of a {@link TelegramConnector}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable Secret token;
    private HttpUrl baseUrl = HttpUrl.get("https://api.telegram.org");
    private @Nullable TelegramWebhook webhook;
    private Duration pollTimeout = Duration.ofSeconds(30);
    private Backoff backoff = Backoff.DEFAULT;
    private Scheduler scheduler = Schedulers.parallel();
    private long maxUploadBytes = 50L * 1024 * 1024;
    private boolean sendLimits = true;
    private final List<Interceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /** The connector id, unique within a relay, e.g. {@code "tg"}. Required. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new InvalidConfigurationException("connector id must not be blank, e.g. \"tg\"");
      }
      this.id = id;
      return this;
    }

    /** The bot token from @BotFather, {@code <bot id>:<secret>}. Required; never logged. */
    public Builder token(String token) {
      Secret secret = Secret.of(token, "token");
      if (!TOKEN.matcher(secret.reveal()).matches()) {
        throw new InvalidConfigurationException("token does not look like a Telegram bot token"
            + " (digits, ':', then letters, digits, _ or -); copy it again from @BotFather");
      }
      this.token = secret;
      return this;
    }

    /** The Bot API server; default {@code https://api.telegram.org}. Point it at a local Bot API server or the sandbox. */
    public Builder baseUrl(String baseUrl) {
      HttpUrl parsed = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
      if (parsed == null) {
        throw new InvalidConfigurationException("baseUrl must be an http(s) URL such as https://api.telegram.org, was "
            + baseUrl);
      }
      this.baseUrl = parsed;
      return this;
    }

    /** Receives through a webhook instead of long-polling. */
    public Builder webhook(TelegramWebhook webhook) {
      this.webhook = Objects.requireNonNull(webhook, "webhook");
      return this;
    }

    /** How long one getUpdates call waits for updates, 1 s to 10 min; default 30 s. */
    public Builder pollTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "pollTimeout");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new InvalidConfigurationException("pollTimeout must be between 1 second and 10 minutes, was " + timeout);
      }
      this.pollTimeout = timeout;
      return this;
    }

    /** The waits between attempts to reach Telegram again; default {@link Backoff#DEFAULT}. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Where waits (backoff, rate limits, health checks) run; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The largest file uploaded to Telegram; larger ones are sent as links. Default 50 MB, the Bot
     * API's limit (a local Bot API server allows up to 2000 MB).
     */
    public Builder maxUploadBytes(long bytes) {
      if (bytes < 0) {
        throw new InvalidConfigurationException("maxUploadBytes must not be negative, was " + bytes);
      }
      this.maxUploadBytes = bytes;
      return this;
    }

    /** Test hook: whether to keep Telegram's sending quotas (429 answers are honoured either way). */
    Builder sendLimits(boolean enforce) {
      this.sendLimits = enforce;
      return this;
    }

    /** Test hook: an OkHttp interceptor that sees every request (the tests check them against the spec). */
    Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * The connector.
     *
     * @throws InvalidConfigurationException when the id or the token is missing
     */
    public TelegramConnector build() {
      String chosenId = id;
      if (chosenId == null) {
        throw new InvalidConfigurationException("connector id is not set; call id(\"tg\")");
      }
      Secret chosenToken = token;
      if (chosenToken == null) {
        throw new InvalidConfigurationException("connector '" + chosenId + "' has no token; call token(..) with the"
            + " bot token from @BotFather");
      }
      TelegramWebhook hook = webhook;
      EngineConfig.Webhook webhookConfig = hook == null ? null : new EngineConfig.Webhook(hook.url(),
          hook.secretToken(), hook.listener(), hook.path(), hook.maxConnections(), hook.healthCheckInterval());
      EngineConfig config = new EngineConfig(chosenId, chosenToken, baseUrl, pollTimeout, backoff, scheduler,
          maxUploadBytes, sendLimits, webhookConfig, interceptors);
      return new TelegramConnector(new TelegramEngine(config), hook);
    }
  }
}
