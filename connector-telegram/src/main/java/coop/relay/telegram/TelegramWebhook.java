package coop.relay.telegram;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.support.Secret;
import coop.relay.support.WebhookListener;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Webhook mode for a {@link TelegramConnector}: instead of polling {@code getUpdates}, the connector
 * registers {@link Builder#url(String) url} with {@code setWebhook} and Telegram posts each update
 * there, with a secret token the handler checks.
 *
 * <pre>{@code
 * WebhookListener listener = WebhookListener.builder().port(8443).build();
 * TelegramConnector telegram = TelegramConnector.builder()
 *     .id("tg").token(token)
 *     .webhook(TelegramWebhook.builder()
 *         .url("https://bridge.example.org/telegram")   // what Telegram calls (TLS in front of the listener)
 *         .listener(listener, "/telegram")               // or mount telegram.webhookHandler() yourself
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable; {@link #toString()} never shows the secret token.
 */
public final class TelegramWebhook {
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();

  private final String url;
  private final Secret secretToken;
  private final @Nullable WebhookListener listener;
  private final String path;
  private final int maxConnections;
  private final Duration healthCheckInterval;

  private TelegramWebhook(Builder builder, String url, Secret secretToken) {
    this.url = url;
    this.secretToken = secretToken;
    this.listener = builder.listener;
    this.path = builder.path;
    this.maxConnections = builder.maxConnections;
    this.healthCheckInterval = builder.healthCheckInterval;
  }

  /** A builder; {@link Builder#url(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The URL Telegram posts updates to. */
  public String url() {
    return url;
  }

  /** The secret token Telegram sends with every update; reveal it only to send it. */
  public Secret secretToken() {
    return secretToken;
  }

  /** The listener the connector mounts its handler on, or {@code null} when you mount it yourself. */
  public @Nullable WebhookListener listener() {
    return listener;
  }

  /** The path prefix the handler is mounted at on {@link #listener()}. */
  public String path() {
    return path;
  }

  /** How many update requests Telegram may have in flight at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /** How often the connector asks Telegram ({@code getWebhookInfo}) whether the webhook works. */
  public Duration healthCheckInterval() {
    return healthCheckInterval;
  }

  @Override
  public String toString() {
    return "TelegramWebhook[url=" + url + ", path=" + path + ", maxConnections=" + maxConnections
        + ", secretToken=***]";
  }

  /** Options of a {@link TelegramWebhook}; not thread-safe. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable Secret secretToken;
    private @Nullable WebhookListener listener;
    private String path = "/telegram";
    private int maxConnections = 1;
    private Duration healthCheckInterval = Duration.ofMinutes(1);

    private Builder() {}

    /**
     * The public URL Telegram posts updates to: HTTPS on port 443, 80, 88 or 8443 for the real
     * Telegram (put TLS in front of the listener); plain HTTP only for local servers such as the
     * sandbox. Required.
     */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      String lower = url.strip().toLowerCase(Locale.ROOT);
      if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
        throw new InvalidConfigurationException("webhook url must be an https:// URL Telegram can reach, was " + url);
      }
      try {
        new URI(url.strip()).toURL();
      } catch (URISyntaxException | IllegalArgumentException | java.net.MalformedURLException e) {
        throw new InvalidConfigurationException("webhook url is not a valid URL: " + url);
      }
      this.url = url.strip();
      return this;
    }

    /**
     * The secret Telegram sends in {@value TelegramWebhookHandler#SECRET_TOKEN_HEADER}: 1-256 of
     * {@code A-Z a-z 0-9 _ -}. Default: a random one of 64 characters, new for each build.
     */
    public Builder secretToken(String secretToken) {
      if (secretToken == null || !SECRET.matcher(secretToken).matches()) {
        throw new InvalidConfigurationException("webhook secretToken must be 1-256 characters of A-Z, a-z, 0-9, _"
            + " and -, as Telegram requires");
      }
      this.secretToken = Secret.of(secretToken, "secretToken");
      return this;
    }

    /**
     * Mounts the connector's handler on {@code listener} under {@code path} while it is connected
     * (and starts the listener if it is not running; stopping it stays with you). Without a
     * listener, mount {@link TelegramConnector#webhookHandler()} in your own server.
     */
    public Builder listener(WebhookListener listener, String path) {
      this.listener = Objects.requireNonNull(listener, "listener");
      if (path == null || !path.startsWith("/")) {
        throw new InvalidConfigurationException("webhook path must start with '/', was " + path);
      }
      this.path = path;
      return this;
    }

    /**
     * How many update requests Telegram may send at once, 1-100. Default 1: Telegram then delivers
     * updates one after another, in order, which a chat bridge wants; more trades order for speed.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1 || maxConnections > 100) {
        throw new InvalidConfigurationException("webhook maxConnections must be within 1..100, was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * How often the connector calls {@code getWebhookInfo} to notice that Telegram became
     * unreachable (reported as {@code RECONNECTING}) or that the webhook was changed elsewhere
     * (set again). Default 1 minute.
     */
    public Builder healthCheckInterval(Duration interval) {
      Objects.requireNonNull(interval, "healthCheckInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new InvalidConfigurationException("webhook healthCheckInterval must be positive, was " + interval);
      }
      this.healthCheckInterval = interval;
      return this;
    }

    /**
     * The webhook configuration.
     *
     * @throws InvalidConfigurationException when no url was given
     */
    public TelegramWebhook build() {
      String chosen = url;
      if (chosen == null) {
        throw new InvalidConfigurationException("webhook url is not set; call url(\"https://your.host/telegram\")");
      }
      Secret secret = secretToken;
      return new TelegramWebhook(this, chosen, secret != null ? secret : randomSecret());
    }

    private static Secret randomSecret() {
      SecureRandom random = new SecureRandom();
      char[] token = new char[64];
      for (int i = 0; i < token.length; i++) {
        token[i] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      return Secret.of(new String(token), "secretToken");
    }
  }
}
