package coop.relay.slack;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.slack.internal.SlackEngine;
import coop.relay.slack.internal.SlackSettings;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Secret;
import coop.relay.support.WebhookHandler;
import coop.relay.support.WebhookListener;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Slack connector: receives through Socket Mode or the Events API and posts through the Web API.
 *
 * <pre>{@code
 * // Socket Mode: no public URL needed
 * Connector slack = SlackConnector.builder().id("sl").botToken(xoxb).appToken(xapp).build();
 *
 * // Events API: Slack posts signed events to https://your.host/slack/events (behind TLS)
 * SlackConnector slack = SlackConnector.builder().id("sl").botToken(xoxb).signingSecret(secret)
 *     .webhookPort(3000).build();
 * }</pre>
 *
 * <p><b>Receiving.</b> In Socket Mode the connector opens a WebSocket with the app-level token
 * ({@code apps.connections.open}), acknowledges each envelope at once, opens the next connection
 * when Slack announces a refresh (the old one keeps delivering until it closes, so nothing is lost)
 * and reconnects with backoff when a connection breaks. With the Events API it verifies each
 * request's signature (HMAC-SHA256 of {@code v0:timestamp:body} under the signing secret, with a
 * timestamp at most five minutes old), answers {@code url_verification}, acknowledges at once and
 * drops Slack's retries of events already relayed. The endpoint is {@link #eventsHandler()}: mount it
 * in your own HTTP server, on a shared {@link WebhookListener} ({@link Builder#webhookListener}), or
 * let the connector run its own listener ({@link Builder#webhookPort}).
 *
 * <p><b>Nothing lost.</b> For each bridged channel the connector keeps the ts of the latest message
 * it relayed in the relay's cursor store. Whenever it (re)connects, it first relays what was posted
 * in the channel since then ({@code conversations.history}, up to the latest thousand messages),
 * then the live events; repeats are dropped. This covers restarts and outages, which Slack itself
 * does not: it drops Socket Mode events while no connection is open and gives up on Events API
 * retries after a few attempts. Thread replies, edits, deletions and reactions made during an
 * outage are not caught up.
 *
 * <p><b>What is relayed.</b> Messages (with files, in threads, thread broadcasts, {@code /me}
 * messages, other bots' messages), their edits and deletions, and reactions to messages. Channel
 * notices (joins, topics) are not. Whatever this connector's bot did itself, and what carries this
 * relay's origin marker, never comes back. Authors are shown with their Slack display name and avatar
 * ({@code users.info}, cached for an hour).
 *
 * <p><b>What it posts.</b> Messages as the bot under each author's name and avatar ({@code username}
 * and {@code icon_url}, which need the {@code chat:write.customize} scope), with the origin marker in
 * the message {@code metadata}, link unfurling off, replies and threads in the thread of their root;
 * edits, deletions, reactions (Unicode emoji as Slack short names); files up to
 * {@link Builder#maxAttachmentBytes} uploaded ({@code files.getUploadURLExternal},
 * {@code files.completeUploadExternal}), larger ones as links. It stays within about one message per
 * second per channel and waits as long as Slack's {@code Retry-After} asks.
 *
 * <p><b>Scopes.</b> {@code chat:write}, {@code chat:write.customize}, {@code reactions:write},
 * {@code reactions:read}, {@code files:write}, {@code files:read}, {@code users:read},
 * {@code channels:history} (and {@code groups:history} for private channels); Socket Mode also needs
 * an app-level token with {@code connections:write}. Subscribe the app to the {@code message.channels}
 * (and {@code message.groups}), {@code reaction_added} and {@code reaction_removed} events.
 *
 * <p>Thread-safe. Tokens and the signing secret never appear in logs, exceptions or
 * {@link #toString()}.
 */
public final class SlackConnector implements Connector {
  /** The real Slack Web API. */
  public static final String DEFAULT_BASE_URL = "https://slack.com/api";

  private final SlackEngine engine;

  private SlackConnector(SlackEngine engine) {
    this.engine = engine;
  }

  /** A builder; {@link Builder#id}, {@link Builder#botToken} and one of the two modes are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return engine.id();
  }

  /** {@code "slack"}. */
  @Override
  public String platform() {
    return engine.platform();
  }

  /**
   * Everything but underline and spoiler formatting: edits, deletes, reactions, replies (as threads),
   * threads, files up to {@link Builder#maxAttachmentBytes}, 4,000 characters per message (longer
   * texts are split), names and avatars per message.
   */
  @Override
  public Capabilities capabilities() {
    return engine.capabilities();
  }

  /**
   * Connects and streams what happens in Slack.
   *
   * <p>First calls {@code auth.test} to learn the bot's ids (retrying in the background, with
   * {@code RECONNECTING}, while Slack is unreachable), then receives: emits {@code CONNECTED} once
   * Socket Mode said {@code hello} (or the Events API endpoint is ready), then what was posted in
   * the bridged channels ({@link ConnectorContext#channels()}) since their cursors, then message, edit,
   * deletion and reaction events in the order Slack sent them, and {@code RECONNECTING} /
   * {@code CONNECTED} as connections break and come back. A payload it cannot read is logged and
   * skipped. Fails with {@link coop.relay.api.CredentialsRejectedException} when Slack rejects a
   * token, and with {@link InvalidConfigurationException} when Socket Mode is disabled for the app or
   * the own webhook listener cannot bind its port; never completes. Cancelling closes the Socket Mode
   * connections (or unmounts the Events API endpoint and stops the own listener).
   */
  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return engine.connect(context);
  }

  /**
   * Slack mrkdwn: bold, italic, strike, code, code blocks, quotes, links, mentions of this
   * connector's users and channels; everything else is escaped, so the text can never contain
   * {@code <!here>}, {@code <!channel>} or {@code <!everyone>}.
   */
  @Override
  public RenderedText render(RichText text) {
    return engine.render(text);
  }

  /**
   * Posts with {@code chat.postMessage}, after uploading the files.
   *
   * @return emits the ts of the (first part of the) message; fails with a permanent
   *     {@link coop.relay.api.DeliveryException} naming the channel when the bot cannot post there,
   *     with a {@link coop.relay.api.RateLimitedException} when Slack kept answering with a rate
   *     limit, with {@link coop.relay.api.CredentialsRejectedException} for a rejected bot token.
   *     Cancelling cancels the HTTP calls (parts already posted stay).
   */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return engine.post(message);
  }

  /**
   * Replaces the text with {@code chat.update} (files stay as they are).
   *
   * @return completes when Slack accepted the edit; fails like {@link #post}
   */
  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return engine.edit(copy, message);
  }

  /**
   * Deletes with {@code chat.delete}, with every part of a split message.
   *
   * @return completes when done, also when the message was already gone; fails like {@link #post}
   */
  @Override
  public Mono<Void> delete(MessageRef copy) {
    return engine.delete(copy);
  }

  /**
   * Adds the bot's reaction ({@code reactions.add}); Slack cannot react on behalf of {@code user}.
   *
   * @return completes when the reaction is there (also when it already was); fails with a permanent
   *     {@link coop.relay.api.DeliveryException} for an emoji without a Slack name
   */
  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.addReaction(message, emoji, user);
  }

  /**
   * Removes the bot's reaction ({@code reactions.remove}).
   *
   * @return completes when the reaction is gone (also when it was not there)
   */
  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.removeReaction(message, emoji, user);
  }

  /**
   * Downloads a file received through this connector, with the bot token (which goes only to Slack's
   * hosts).
   *
   * @return emits the bytes; fails with a permanent {@link coop.relay.api.DeliveryException} when the
   *     file is gone
   */
  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return engine.download(attachment);
  }

  /**
   * The Events API endpoint, to mount at the app's request URL in your own HTTP server: a plain
   * {@link WebhookHandler} (convert your server's request into a
   * {@link coop.relay.support.WebhookRequest} with the raw body bytes). It answers 401 to requests
   * without a valid signature, the challenge to {@code url_verification}, 503 while
   * {@link #connect} is not subscribed (Slack retries later) and 200 at once otherwise.
   *
   * @throws IllegalStateException when the connector uses Socket Mode
   */
  public WebhookHandler eventsHandler() {
    return engine.eventsHandler();
  }

  /** Stops the connector's own webhook listener, if any; completes when done. Idempotent. */
  @Override
  public Mono<Void> close() {
    return engine.close();
  }

  /** The id and the mode; never a token. */
  @Override
  public String toString() {
    return engine.toString();
  }

  /**
   * Options of a {@link SlackConnector}; not thread-safe. Required: {@link #id}, {@link #botToken},
   * and either {@link #appToken} (Socket Mode) or {@link #signingSecret} (Events API).
   */
  public static final class Builder {
    private @Nullable String id;
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable String botToken;
    private @Nullable String appToken;
    private @Nullable String signingSecret;
    private @Nullable Integer webhookPort;
    private String webhookHost = "0.0.0.0";
    private String webhookPath = "/slack/events";
    private @Nullable WebhookListener webhookListener;
    private @Nullable OkHttpClient okHttpClient;
    private Scheduler scheduler = Schedulers.parallel();
    private Backoff reconnectBackoff = Backoff.DEFAULT;
    private long maxAttachmentBytes = 50L * 1024 * 1024;
    private boolean unfurl;

    private Builder() {}

    /** The id the connector is registered under, e.g. {@code "sl"}. Required. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new InvalidConfigurationException("Slack connector id must not be blank; pass a short name such as \"sl\"");
      }
      this.id = id;
      return this;
    }

    /** The Web API base URL; default {@value SlackConnector#DEFAULT_BASE_URL}. Tests point it at an emulator. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The bot token ({@code xoxb-...}) the connector acts with. Required. */
    public Builder botToken(String botToken) {
      this.botToken = botToken;
      return this;
    }

    /**
     * The app-level token ({@code xapp-...}, with {@code connections:write}): receive through Socket
     * Mode. Excludes {@link #signingSecret}.
     */
    public Builder appToken(String appToken) {
      this.appToken = appToken;
      return this;
    }

    /** The app's signing secret: receive through the Events API. Excludes {@link #appToken}. */
    public Builder signingSecret(String signingSecret) {
      this.signingSecret = signingSecret;
      return this;
    }

    /**
     * Events API only: run a listener of the connector's own on this port (0 for any free one) while
     * connected, serving {@link #webhookPath}. Put TLS in front of it. Excludes
     * {@link #webhookListener}.
     */
    public Builder webhookPort(int port) {
      if (port < 0 || port > 65535) {
        throw new InvalidConfigurationException("webhookPort must be within 0..65535, was " + port);
      }
      this.webhookPort = port;
      return this;
    }

    /** The address the own listener binds; default {@code 0.0.0.0}. */
    public Builder webhookHost(String host) {
      if (host == null || host.isBlank()) {
        throw new InvalidConfigurationException("webhookHost must not be blank; use 0.0.0.0 for every interface");
      }
      this.webhookHost = host;
      return this;
    }

    /** The path of the request URL Slack posts events to; default {@code /slack/events}. */
    public Builder webhookPath(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new InvalidConfigurationException("webhookPath must start with '/', was " + path);
      }
      this.webhookPath = path;
      return this;
    }

    /**
     * Events API only: mount the endpoint at {@link #webhookPath} on this shared listener while
     * connected (start and stop the listener yourself). Excludes {@link #webhookPort}.
     */
    public Builder webhookListener(WebhookListener listener) {
      this.webhookListener = Objects.requireNonNull(listener, "webhookListener");
      return this;
    }

    /**
     * Derives the HTTP client from this OkHttp client (a proxy, interceptors, its pool) instead of
     * the one all connectors share.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "okHttpClient");
      return this;
    }

    /** Where rate-limit and reconnect waits run and what tells the time; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The waits between reconnection attempts; default {@link Backoff#DEFAULT}. */
    public Builder reconnectBackoff(Backoff backoff) {
      this.reconnectBackoff = Objects.requireNonNull(backoff, "reconnectBackoff");
      return this;
    }

    /** The largest file to upload; larger ones are posted as links. Default 50 MiB (Slack takes up to 1 GB). */
    public Builder maxAttachmentBytes(long bytes) {
      if (bytes < 0 || bytes > 1024L * 1024 * 1024) {
        throw new InvalidConfigurationException("maxAttachmentBytes must be within 0..1 GiB (Slack's limit), was " + bytes);
      }
      this.maxAttachmentBytes = bytes;
      return this;
    }

    /** Whether Slack may unfurl links and media in bridged messages; default {@code false}. */
    public Builder unfurl(boolean unfurl) {
      this.unfurl = unfurl;
      return this;
    }

    /**
     * The connector, not yet connected.
     *
     * @throws InvalidConfigurationException when a required option is missing, the modes are mixed
     *     or a token is of the wrong kind; the message says which option to fix
     */
    public SlackConnector build() {
      String connectorId = id;
      if (connectorId == null) {
        throw new InvalidConfigurationException("Slack connector id is not set; call id(\"sl\")");
      }
      HttpUrl url = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
      if (url == null) {
        throw new InvalidConfigurationException("Slack baseUrl must be an http(s) URL such as " + DEFAULT_BASE_URL
            + ", was " + baseUrl);
      }
      Secret bot = Secret.of(botToken, "Slack botToken (xoxb-...)");
      if (bot.reveal().startsWith("xapp-")) {
        throw new InvalidConfigurationException("Slack botToken is an app-level token (xapp-...); pass the bot token"
            + " (xoxb-...) to botToken and the app-level token to appToken");
      }
      if ((appToken == null) == (signingSecret == null)) {
        throw new InvalidConfigurationException(appToken == null
            ? "Slack connector '" + connectorId + "' has no way to receive; set appToken(\"xapp-...\") for Socket Mode"
                + " or signingSecret(...) for the Events API"
            : "Slack connector '" + connectorId + "' has both appToken and signingSecret; set appToken for Socket Mode"
                + " or signingSecret for the Events API, not both");
      }
      Secret app = appToken == null ? null : Secret.of(appToken, "Slack appToken (xapp-...)");
      if (app != null && (app.reveal().startsWith("xoxb-") || app.reveal().startsWith("xoxp-"))) {
        throw new InvalidConfigurationException("Slack appToken is a bot or user token; pass the app-level token"
            + " (xapp-..., from the app's Basic Information page) with the connections:write scope");
      }
      Secret signing = signingSecret == null ? null : Secret.of(signingSecret, "Slack signingSecret");
      if (app != null && (webhookPort != null || webhookListener != null)) {
        throw new InvalidConfigurationException("webhookPort and webhookListener are for the Events API; with"
            + " appToken (Socket Mode) the connector needs no listener, so remove them");
      }
      if (webhookPort != null && webhookListener != null) {
        throw new InvalidConfigurationException("set webhookPort (the connector's own listener) or webhookListener"
            + " (a shared one), not both");
      }
      return new SlackConnector(new SlackEngine(new SlackSettings(connectorId, url, bot, app, signing, webhookPort,
          webhookHost, webhookPath, webhookListener, okHttpClient, scheduler, reconnectBackoff, maxAttachmentBytes,
          unfurl)));
    }

    @Override
    public String toString() {
      return "SlackConnector.Builder[id=" + id + ", baseUrl=" + baseUrl + "]";
    }
  }
}
