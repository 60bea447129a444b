package coop.relay.discord;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.discord.internal.DiscordEngine;
import coop.relay.discord.internal.DiscordSettings;
import coop.relay.spi.Backoff;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.Secret;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Discord bot as a relay {@link Connector}.
 *
 * <pre>{@code
 * Connector discord = DiscordConnector.builder()
 *     .id("dc")
 *     .token(System.getenv("DISCORD_TOKEN"))
 *     .build();
 * }</pre>
 *
 * <p><b>Receiving.</b> {@link #connect} opens the Gateway (v10) at the URL that {@code GET /gateway/bot}
 * names, identifies with the intents the bridge needs (guilds, guild messages, message content,
 * guild message reactions; enable <i>Message Content Intent</i> for the bot in the Developer
 * Portal), keeps the session with heartbeats, and resumes it after a drop, a reconnect request or a
 * restart (the session id, resume URL and sequence are kept in the relay's cursor store), so that
 * no event is lost or repeated while Discord still holds the session.
 *
 * <p><b>Posting.</b> Messages are posted through one webhook per bridged channel (found or created
 * on first use; the bot needs <i>Manage Webhooks</i>), under the author's name and avatar. Without
 * that permission, and for replies (which webhooks cannot make), the bot posts itself, with the
 * author's name in front (see {@link Builder#fallbackNameTemplate}). Bridged text never pings
 * {@code @everyone}, {@code @here}, roles or users, except people linked with
 * {@link Builder#linkedIdentity}. Texts over 2000 characters are split; files up to
 * {@link Builder#maxAttachmentBytes} are uploaded, larger ones linked.
 *
 * <p>Requests follow Discord's rate limits as its response headers describe them, one ordered
 * stream per route, so a rate-limited channel never delays another. Thread-safe.
 */
public final class DiscordConnector implements Connector {
  /** Discord's REST API, version 10. */
  public static final String DEFAULT_BASE_URL = "https://discord.com/api/v10";
  /** Discord's CDN, for avatars and custom emoji. */
  public static final String DEFAULT_CDN_URL = "https://cdn.discordapp.com";
  /** Files up to 10 MiB are uploaded by default: the limit of servers without boosts. */
  public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;

  private final DiscordEngine engine;

  private DiscordConnector(DiscordSettings settings) {
    this.engine = new DiscordEngine(settings);
  }

  /** A builder; {@link Builder#id} and {@link Builder#token} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return engine.id();
  }

  /** {@code "discord"}. */
  @Override
  public String platform() {
    return "discord";
  }

  /**
   * Edits, deletes, reactions, replies, threads and attachments up to the configured size; 2000
   * characters per message; per-message puppeting (webhooks).
   */
  @Override
  public Capabilities capabilities() {
    return engine.capabilities();
  }

  /**
   * Connects to the Gateway and emits what happens in the guilds the bot is in. The first event is
   * {@code CONNECTED} once the session is ready or resumed, or {@code RECONNECTING} when Discord
   * cannot be reached (retried with backoff); later drops emit {@code RECONNECTING} and
   * {@code CONNECTED} again around a resume. Fails with a {@link coop.relay.api.CredentialsRejectedException}
   * when Discord rejects the token (HTTP 401, close code 4004) and with an
   * {@link InvalidConfigurationException} for close codes 4010 to 4014 (the message names the
   * cause, e.g. a privileged intent to enable). Cancelling drops the connection without a close
   * frame, so that the next connector with the same cursors resumes the session.
   */
  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return engine.connect(context);
  }

  /** Discord markdown for {@code text}, escaped so that bridged text shows literally. */
  @Override
  public RenderedText render(RichText text) {
    return engine.render(text);
  }

  /**
   * Posts through the channel's webhook (or as the bot, see the class description) and emits the
   * new message's reference, the first part's when the text was split. Fails with a permanent
   * {@link coop.relay.api.DeliveryException} when Discord refuses (an unknown channel, a missing
   * permission), a transient one for 5xx answers after a few retries, and a
   * {@link coop.relay.api.RateLimitedException} when a route stays rate limited. Cancelling cancels
   * the request.
   */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    return engine.post(message);
  }

  /**
   * Edits a copy through the webhook that posted it (or as the bot); completes when Discord
   * accepted it. Fails as {@link #post} does.
   */
  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return engine.edit(copy, message);
  }

  /** Deletes a copy and its further parts; completes also when it was already gone. Fails as {@link #post} does. */
  @Override
  public Mono<Void> delete(MessageRef copy) {
    return engine.delete(copy);
  }

  /**
   * Adds the bot's reaction (bots cannot react as someone else); Unicode emoji and this server's
   * custom emoji only, anything else fails permanently. Several people reacting with one emoji
   * make one reaction, removed when the last of them takes theirs back.
   */
  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.addReaction(message, emoji, user);
  }

  /** Removes the bot's reaction once no bridged person holds it any more; see {@link #addReaction}. */
  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return engine.removeReaction(message, emoji, user);
  }

  /**
   * Emits the bytes of an attachment received through this connector (from its CDN URL, without the
   * bot token). Fails with a permanent {@link coop.relay.api.DeliveryException} when the file is gone.
   */
  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return engine.download(attachment);
  }

  /** Stops using the connector's HTTP resources; idempotent. */
  @Override
  public Mono<Void> close() {
    return engine.close();
  }

  @Override
  public String toString() {
    return "DiscordConnector[" + engine.id() + "]";
  }

  /** Options of a {@link DiscordConnector}; not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable Secret token;
    private String baseUrl = DEFAULT_BASE_URL;
    private String cdnUrl = DEFAULT_CDN_URL;
    private long maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
    private final Map<UserRef, String> linked = new LinkedHashMap<>();
    private String webhookName = "Relay";
    private String fallbackNameTemplate = "**{name}**: ";
    private Scheduler scheduler = Schedulers.parallel();
    private Backoff reconnectBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private okhttp3.@Nullable Interceptor interceptor;

    private Builder() {}

    /** The connector's id within the relay, e.g. {@code "dc"}; required. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new InvalidConfigurationException("id must not be blank; name the connector, e.g. \"dc\"");
      }
      this.id = id;
      return this;
    }

    /**
     * The bot token from the Developer Portal (your application, Bot, Token); required. Kept out of
     * logs, messages and {@code toString()}.
     */
    public Builder token(String token) {
      this.token = Secret.of(token, "token");
      return this;
    }

    /**
     * The REST API base URL; default {@value #DEFAULT_BASE_URL}. Point it at a local emulator in
     * tests; the Gateway URL then comes from its {@code GET /gateway/bot}.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = httpUrl(baseUrl, "baseUrl");
      return this;
    }

    /** The CDN base URL for avatars and custom emoji images; default {@value #DEFAULT_CDN_URL}. */
    public Builder cdnUrl(String cdnUrl) {
      this.cdnUrl = httpUrl(cdnUrl, "cdnUrl");
      return this;
    }

    /**
     * The largest file to upload, in bytes (default 10 MiB, Discord's limit for servers without
     * boosts; raise it for boosted servers). Larger files are sent as links.
     */
    public Builder maxAttachmentBytes(long bytes) {
      if (bytes < 0) {
        throw new InvalidConfigurationException("maxAttachmentBytes must not be negative, was " + bytes
            + "; use 0 to always send links");
      }
      this.maxAttachmentBytes = bytes;
      return this;
    }

    /**
     * Links a person to their Discord account: a mention of {@code user} (on any connector,
     * this one included) becomes a mention of Discord user {@code discordUserId} that pings them.
     * Mentions of anyone not linked never ping.
     */
    public Builder linkedIdentity(UserRef user, String discordUserId) {
      Objects.requireNonNull(user, "user");
      if (discordUserId == null || !discordUserId.matches("\\d{1,20}")) {
        throw new InvalidConfigurationException("discordUserId must be a Discord user id (a number), was "
            + discordUserId);
      }
      linked.put(user, discordUserId);
      return this;
    }

    /**
     * The name of the webhooks the connector creates in bridged channels; default {@code "Relay"}.
     * Discord refuses names containing "discord" or "clyde".
     */
    public Builder webhookName(String name) {
      if (name == null || name.isBlank() || name.length() > 80) {
        throw new InvalidConfigurationException("webhookName must have 1 to 80 characters, was " + name);
      }
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("discord") || lower.contains("clyde")) {
        throw new InvalidConfigurationException("webhookName must not contain \"discord\" or \"clyde\"; Discord"
            + " refuses such webhook names");
      }
      this.webhookName = name;
      return this;
    }

    /**
     * How the author is named when the bot posts itself (no webhook permission, replies): a
     * markdown prefix with {@code {name}}, default {@code "**{name}**: "}.
     */
    public Builder fallbackNameTemplate(String template) {
      if (template == null || !template.contains("{name}")) {
        throw new InvalidConfigurationException("fallbackNameTemplate must contain {name}, was " + template);
      }
      this.fallbackNameTemplate = template;
      return this;
    }

    /** Where heartbeats, backoff and rate-limit waits run; default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The waits between Gateway reconnects; default 1 s doubling to 30 s, ±20 %. */
    public Builder reconnectBackoff(Backoff backoff) {
      this.reconnectBackoff = Objects.requireNonNull(backoff, "reconnectBackoff");
      return this;
    }

    /** Tests: the source of the heartbeat jitter, so the first heartbeat's time is known. */
    Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Tests: sees every HTTP request, e.g. to check it against Discord's OpenAPI spec. */
    Builder interceptor(okhttp3.Interceptor interceptor) {
      this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
      return this;
    }

    /**
     * The connector.
     *
     * @throws InvalidConfigurationException if the id or the token is missing
     */
    public DiscordConnector build() {
      if (id == null) {
        throw new InvalidConfigurationException("id is required: DiscordConnector.builder().id(\"dc\")");
      }
      if (token == null) {
        throw new InvalidConfigurationException("token is required: pass the bot token with .token(...)");
      }
      return new DiscordConnector(new DiscordSettings(id, token, baseUrl, cdnUrl, maxAttachmentBytes, linked,
          webhookName, fallbackNameTemplate, scheduler, reconnectBackoff, random, interceptor));
    }

    private static String httpUrl(String url, String what) {
      HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
      if (parsed == null) {
        throw new InvalidConfigurationException(what + " must be an http(s) URL, was " + url);
      }
      String text = parsed.toString();
      return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public String toString() {
      return "DiscordConnector.Builder[" + id + ", token " + (token == null ? "unset" : "set") + "]";
    }
  }
}
