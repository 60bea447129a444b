package coop.relay.discord.internal;

import coop.relay.support.BoundedMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the connector learns about the guilds from the Gateway (GUILD_CREATE, CHANNEL_*, THREAD_*):
 * which channels are threads and of which parent, and the names of channels and roles for mentions.
 * Bounded; thread-safe.
 */
final class Directory {
  /** A known channel: its parent when it is a thread, else {@code null}. */
  record ChannelInfo(String id, @Nullable String parentId, @Nullable String name) {
    boolean isThread() {
      return parentId != null;
    }
  }

  private final BoundedMap<String, ChannelInfo> channels = new BoundedMap<>(20_000);
  private final BoundedMap<String, String> roles = new BoundedMap<>(5_000);

  void guild(Wire.Guild guild) {
    channels(guild.channels());
    channels(guild.threads());
    List<Wire.Role> list = guild.roles();
    if (list != null) {
      for (Wire.Role role : list) {
        if (role.name() != null) {
          roles.put(role.id(), role.name());
        }
      }
    }
  }

  void channels(@Nullable List<Wire.Channel> list) {
    if (list != null) {
      list.forEach(this::channel);
    }
  }

  void channel(Wire.Channel channel) {
    String parent = channel.isThread() ? channel.parentId() : null;
    channels.put(channel.id(), new ChannelInfo(channel.id(), parent, channel.name()));
  }

  void forget(String channelId) {
    channels.remove(channelId);
  }

  @Nullable ChannelInfo channel(String id) {
    return channels.get(id);
  }

  @Nullable String roleName(String id) {
    return roles.get(id);
  }
}
