package coop.relay.slack.internal;

import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.Identity;
import coop.relay.api.UserRef;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Display names and avatars of Slack users, from {@code users.info}, cached so that a busy channel
 * costs one call per person per hour rather than one per message.
 */
final class UserDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

  private final String connectorId;
  private final SlackWebApi api;
  private final BoundedCache<Identity> cache;

  UserDirectory(String connectorId, SlackWebApi api, BoundedCache<Identity> cache) {
    this.connectorId = connectorId;
    this.api = api;
    this.cache = cache;
  }

  /**
   * The identity of {@code userId}: from the cache, else from {@code users.info}. When Slack cannot
   * tell (the user is not visible, the call fails), emits {@code fallback} so that the message is
   * still relayed; fails only when Slack rejects the bot token.
   */
  Mono<Identity> identity(String userId, Identity fallback) {
    Identity cached = cache.get(userId);
    if (cached != null) {
      return Mono.just(cached);
    }
    return api.get("users.info", "users.info", null, Map.of("user", userId))
        .map(node -> toIdentity(userId, node.path("user"), fallback))
        .doOnNext(identity -> cache.put(userId, identity))
        .onErrorResume(e -> !(e instanceof CredentialsRejectedException), e -> {
          LOG.debug("{}: users.info for {} failed ({}); showing the id", connectorId, userId, e.getMessage());
          return Mono.just(fallback);
        });
  }

  /** The cached display name of {@code userId}, without asking Slack; for rendering mentions. */
  @Nullable String cachedName(String userId) {
    Identity cached = cache.get(userId);
    return cached == null ? null : cached.displayName();
  }

  private Identity toIdentity(String userId, JsonNode user, Identity fallback) {
    if (!user.isObject()) {
      return fallback;
    }
    JsonNode profile = user.path("profile");
    String name = first(Nodes.text(profile, "display_name"), Nodes.text(profile, "real_name"),
        Nodes.text(user, "real_name"), Nodes.text(user, "name"));
    String avatar = first(Nodes.text(profile, "image_192"), Nodes.text(profile, "image_72"),
        Nodes.text(profile, "image_512"), Nodes.text(profile, "image_48"));
    boolean bot = Nodes.bool(user, "is_bot", false) || fallback.bot();
    return new Identity(new UserRef(connectorId, userId), name.isBlank() ? fallback.displayName() : name,
        avatar.isEmpty() ? fallback.avatarUrl() : avatar, bot, null);
  }

  private static String first(String... values) {
    for (String value : values) {
      if (!value.isBlank()) {
        return value;
      }
    }
    return "";
  }
}
