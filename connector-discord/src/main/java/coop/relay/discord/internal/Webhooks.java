package coop.relay.discord.internal;

import coop.relay.discord.internal.DiscordRest.Call;
import coop.relay.support.Json;
import coop.relay.support.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One webhook per bridged channel, for posting under other people's names: an incoming webhook of
 * the bot's that the channel already has is reused, else one is created. Lookups of one channel are
 * shared, so concurrent first posts create one webhook, not several. When the bot lacks
 * <i>Manage Webhooks</i>, the channel has no webhook (the connector posts as the bot), which is
 * logged once per channel and checked again after ten minutes.
 */
final class Webhooks {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final long RECHECK_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** A webhook the connector can execute. */
  record Hook(String id, Secret token) {}

  private final DiscordRest rest;
  private final String webhookName;
  private final Supplier<Mono<String>> botUserId;
  private final Set<String> ownIds;
  private final Consumer<Set<String>> persist;
  private final Map<String, Mono<Optional<Hook>>> lookups = new ConcurrentHashMap<>();
  private final Map<String, Long> deniedAt = new ConcurrentHashMap<>();
  private final Set<String> loggedDenied = ConcurrentHashMap.newKeySet();

  Webhooks(DiscordRest rest, String webhookName, Supplier<Mono<String>> botUserId, Set<String> ownIds,
      Consumer<Set<String>> persist) {
    this.rest = rest;
    this.webhookName = webhookName;
    this.botUserId = botUserId;
    this.ownIds = ownIds;
    this.persist = persist;
  }

  /**
   * The channel's webhook, or empty when the bot may not manage webhooks there. Fails when the
   * lookup failed otherwise (the next call tries again).
   */
  Mono<Optional<Hook>> forChannel(String channelId) {
    return Mono.defer(() -> {
      Long denied = deniedAt.get(channelId);
      if (denied != null && now() - denied > RECHECK_NANOS) {
        deniedAt.remove(channelId);
        lookups.remove(channelId);
      }
      Mono<Optional<Hook>> lookup = lookups.computeIfAbsent(channelId, id -> find(id).cache());
      return lookup.doOnError(e -> lookups.remove(channelId, lookup));
    });
  }

  /** Forgets the channel's webhook (it was deleted); the next post finds or creates another. */
  void invalidate(String channelId) {
    lookups.remove(channelId);
  }

  private Mono<Optional<Hook>> find(String channelId) {
    Call list = Call.of(Route.CHANNEL_WEBHOOKS, "listing the webhooks of channel " + channelId, channelId);
    return botUserId.get()
        .flatMap(bot -> rest.json(list).flatMap(webhooks -> {
          Hook existing = ours(webhooks, bot);
          return existing != null ? Mono.just(Optional.of(existing)) : create(channelId);
        }))
        .map(hook -> {
          hook.ifPresent(h -> remember(h.id()));
          return hook;
        })
        .onErrorResume(RefusedException.class, e -> e.status() == 403 ? denied(channelId, e) : Mono.error(e))
        .onErrorResume(e -> rest.isStopped(list) ? denied(channelId, e) : Mono.error(e));
  }

  private @Nullable Hook ours(JsonNode webhooks, String botUserId) {
    Hook named = null;
    Hook any = null;
    for (JsonNode node : webhooks) {
      Optional<Wire.Webhook> parsed = Json.convertOrSkip(node, Wire.Webhook.class, "Discord webhook");
      if (parsed.isEmpty()) {
        continue;
      }
      Wire.Webhook webhook = parsed.get();
      boolean mine = webhook.type() == 1 && webhook.token() != null && !webhook.token().isEmpty()
          && webhook.user() != null && botUserId.equals(webhook.user().id());
      if (!mine) {
        continue;
      }
      Hook hook = new Hook(webhook.id(), Secret.of(webhook.token(), "webhook token"));
      if (webhookName.equals(webhook.name()) && named == null) {
        named = hook;
      } else if (any == null) {
        any = hook;
      }
    }
    return named != null ? named : any;
  }

  private Mono<Optional<Hook>> create(String channelId) {
    ObjectNode body = Json.mapper().createObjectNode().put("name", webhookName);
    return rest.json(Call.of(Route.CREATE_WEBHOOK, "creating a webhook in channel " + channelId, channelId).json(body))
        .flatMap(node -> {
          Optional<Wire.Webhook> webhook = Json.convertOrSkip(node, Wire.Webhook.class, "created Discord webhook");
          if (webhook.isEmpty() || webhook.get().token() == null || webhook.get().token().isEmpty()) {
            return Mono.error(new RefusedException("creating a webhook in channel " + channelId
                + " returned no usable webhook; retrying later", 200, 0, true));
          }
          LOG.info("Created webhook {} in Discord channel {} for bridged messages", webhook.get().id(), channelId);
          return Mono.just(Optional.of(new Hook(webhook.get().id(), Secret.of(webhook.get().token(), "webhook token"))));
        });
  }

  private Mono<Optional<Hook>> denied(String channelId, Throwable cause) {
    deniedAt.put(channelId, now());
    if (loggedDenied.add(channelId)) {
      LOG.warn("The bot may not manage webhooks in Discord channel {} ({}); bridged messages there are posted by"
          + " the bot with the author's name in front. Give the bot the Manage Webhooks permission to show"
          + " authors' names and avatars.", channelId, cause.getMessage());
    }
    return Mono.just(Optional.empty());
  }

  private void remember(String webhookId) {
    if (ownIds.add(webhookId)) {
      persist.accept(Set.copyOf(ownIds));
    }
  }

  private long now() {
    return rest.scheduler().now(TimeUnit.NANOSECONDS);
  }
}
