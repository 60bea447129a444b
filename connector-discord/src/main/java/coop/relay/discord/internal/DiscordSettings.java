package coop.relay.discord.internal;

import coop.relay.api.UserRef;
import coop.relay.spi.Backoff;
import coop.relay.support.Secret;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The checked options of a Discord connector, handed from the public builder to the engine.
 *
 * @param connectorId the connector's id
 * @param token the bot token
 * @param baseUrl the REST API base, without a trailing slash
 * @param cdnBaseUrl the CDN base for avatars and custom emoji, without a trailing slash
 * @param maxAttachmentBytes the largest file to upload; larger ones are linked
 * @param linkedIdentities people whose mentions may ping them: user → Discord user id
 * @param webhookName the name of the webhooks the connector creates
 * @param fallbackNameTemplate how the author's name prefixes a message posted as the bot
 * @param scheduler where timers run
 * @param reconnectBackoff waits between Gateway reconnects
 * @param random the source of the heartbeat jitter and reconnect spread
 * @param interceptor an OkHttp interceptor for tests, or {@code null}
 */
public record DiscordSettings(
    String connectorId,
    Secret token,
    String baseUrl,
    String cdnBaseUrl,
    long maxAttachmentBytes,
    Map<UserRef, String> linkedIdentities,
    String webhookName,
    String fallbackNameTemplate,
    Scheduler scheduler,
    Backoff reconnectBackoff,
    DoubleSupplier random,
    @Nullable Interceptor interceptor) {

  /** Checks the components. */
  public DiscordSettings {
    Objects.requireNonNull(connectorId, "connectorId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(cdnBaseUrl, "cdnBaseUrl");
    linkedIdentities = Map.copyOf(linkedIdentities);
    Objects.requireNonNull(webhookName, "webhookName");
    Objects.requireNonNull(fallbackNameTemplate, "fallbackNameTemplate");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
    Objects.requireNonNull(random, "random");
  }

  @Override
  public String toString() {
    return "DiscordSettings[" + connectorId + ", " + baseUrl + "]";
  }
}
