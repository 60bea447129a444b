package coop.relay.telegram;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.UserRef;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Builds the messages the relay would hand the connector, for the integration tests. */
final class Outbound {
  static final String RELAY_ID = "test-relay";
  static final Identity AUTHOR = Identity.of(new UserRef("other", "u1"), "Olga Other");
  private static final AtomicInteger DELIVERIES = new AtomicInteger();

  private Outbound() {}

  static OutboundMessage message(Connector connector, String chat, RichText text) {
    return message(connector, chat, text, List.of(), null, null);
  }

  static OutboundMessage message(Connector connector, String chat, RichText text, List<OutboundAttachment> attachments,
      @Nullable MessageRef replyTo, @Nullable MessageRef threadRoot) {
    int delivery = DELIVERIES.incrementAndGet();
    return new OutboundMessage(ChannelRef.of(connector.id(), chat),
        ChannelRef.of("other", "room").message("m" + delivery), AUTHOR, connector.render(text), attachments,
        replyTo, threadRoot, new OriginMarker(RELAY_ID, "d" + delivery));
  }
}
