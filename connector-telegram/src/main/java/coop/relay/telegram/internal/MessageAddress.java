package coop.relay.telegram.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import org.jspecify.annotations.Nullable;

/**
 * Where a Telegram message is: its chat and its id there. A bridged channel's messages normally
 * live in the channel's own chat and their ids are plain numbers; after Telegram upgraded a group
 * to a supergroup, the messages in the supergroup keep appearing under the group's channel (so the
 * bridge goes on working) with ids qualified by their chat, {@code <supergroup id>:<message id>},
 * since the supergroup numbers its messages afresh.
 *
 * @param chat the Telegram chat id
 * @param messageId the message id in that chat
 */
record MessageAddress(String chat, long messageId) {

  /** The address of {@code ref}, or {@code null} when its id is no Telegram message id. */
  static @Nullable MessageAddress of(@Nullable MessageRef ref) {
    if (ref == null) {
      return null;
    }
    String id = ref.messageId();
    int colon = id.lastIndexOf(':');
    try {
      return colon < 0
          ? new MessageAddress(ref.channel().channelId(), Long.parseLong(id))
          : new MessageAddress(id.substring(0, colon), Long.parseLong(id.substring(colon + 1)));
    } catch (NumberFormatException notTelegram) {
      return null;
    }
  }

  /** The reference of this message as it appears in {@code channel}. */
  MessageRef in(ChannelRef channel) {
    return channel.message(channel.channelId().equals(chat) ? Long.toString(messageId) : chat + ":" + messageId);
  }
}
