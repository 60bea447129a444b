package coop.relay.api.text;

import coop.relay.api.ChannelRef;
import java.util.Objects;

/**
 * A mention of a channel.
 *
 * @param channel the mentioned channel
 * @param name the name to show, without a leading {@code #}
 */
public record ChannelMention(ChannelRef channel, String name) implements Node {
  /** Checks the components. */
  public ChannelMention {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public void appendPlainText(StringBuilder out) {
    out.append('#').append(name);
  }
}
