package coop.relay.discord.internal;

import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import coop.relay.discord.internal.DiscordRest.Call;
import coop.relay.support.BoundedMap;
import java.util.HashSet;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The bot's reactions on behalf of bridged people. A bot reacts only as itself, so the people
 * holding one emoji on one message are counted: the first adds the bot's reaction, the last one to
 * take theirs back removes it. Unicode emoji go into the URL percent-encoded, custom emoji as
 * {@code name:id}; emoji of other platforms cannot be used.
 */
final class Reactions {
  private final DiscordRest rest;
  private final MessageLocations locations;
  private final MarkdownRenderer renderer;
  private final BoundedMap<String, Set<String>> holders = new BoundedMap<>(20_000);

  Reactions(DiscordRest rest, MessageLocations locations, MarkdownRenderer renderer) {
    this.rest = rest;
    this.locations = locations;
    this.renderer = renderer;
  }

  Mono<Void> add(MessageRef message, Emoji emoji, Identity user) {
    return Mono.defer(() -> {
      String path = path(emoji);
      if (path == null) {
        return Mono.error(unusable(emoji));
      }
      String key = message + " " + path;
      if (!change(key, user, true)) {
        return Mono.<Void>empty();
      }
      String channelId = channelOf(message);
      return rest.send(Call.of(Route.ADD_REACTION, "reacting to message " + message.messageId() + " in channel "
              + channelId, channelId, message.messageId(), path))
          .then()
          .doOnError(e -> change(key, user, false));
    });
  }

  Mono<Void> remove(MessageRef message, Emoji emoji, Identity user) {
    return Mono.defer(() -> {
      String path = path(emoji);
      if (path == null) {
        return Mono.error(unusable(emoji));
      }
      String key = message + " " + path;
      if (!change(key, user, false)) {
        return Mono.<Void>empty();
      }
      String channelId = channelOf(message);
      return rest.send(Call.of(Route.REMOVE_REACTION, "removing a reaction from message " + message.messageId()
              + " in channel " + channelId, channelId, message.messageId(), path))
          .then()
          .onErrorResume(RefusedException.class, e -> e.status() == 404 ? Mono.empty() : Mono.error(e));
    });
  }

  /**
   * Records that {@code user} holds (or no longer holds) the reaction.
   *
   * @return whether the bot's own reaction must change: the first holder came, or the last one left
   *     (also when nobody was known to hold it, as after a restart)
   */
  private boolean change(String key, Identity user, boolean adding) {
    synchronized (holders) {
      Set<String> set = holders.get(key);
      String who = user.user().toString();
      if (adding) {
        if (set == null) {
          set = new HashSet<>();
          holders.put(key, set);
        }
        return set.add(who) && set.size() == 1;
      }
      if (set == null) {
        return true;
      }
      set.remove(who);
      if (set.isEmpty()) {
        holders.remove(key);
        return true;
      }
      return false;
    }
  }

  private String channelOf(MessageRef message) {
    MessageLocations.Location location = locations.get(message.messageId());
    return location == null ? message.channel().channelId() : location.channelId();
  }

  /** The emoji as Discord's reaction routes take it (before URL encoding), or {@code null}. */
  private String path(Emoji emoji) {
    if (emoji.unicode() != null) {
      return emoji.unicode();
    }
    String id = renderer.customEmojiId(emoji);
    return id == null || !emoji.name().matches("\\w{1,32}") ? null : emoji.name() + ":" + id;
  }

  private static DeliveryException unusable(Emoji emoji) {
    return DeliveryException.permanent("Discord cannot react with :" + emoji.name()
        + ":; only Unicode emoji and this server's custom emoji can be used");
  }
}
