package coop.relay.core.internal;

import coop.relay.api.Attachment;
import coop.relay.api.DeliveryException;
import coop.relay.api.Message;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.Dropped;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.Operation;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.event.Received;
import coop.relay.spi.Connector;
import coop.relay.spi.DedupStore;
import coop.relay.spi.IdMapStore;
import coop.relay.spi.OutboundAttachment;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The hot path: screens an inbound event (loop check, dedup), routes it, runs the interceptors and
 * renders once per destination connector, and queues one delivery per destination channel.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final String relayId;
  private final IdMapStore idMap;
  private final DedupStore dedup;
  private final InterceptorChain interceptors;
  private final EventBus events;
  private final Metrics metrics;
  private final ReactionEchoGuard reactionEchoes;

  Router(String relayId, IdMapStore idMap, DedupStore dedup, InterceptorChain interceptors, EventBus events,
      Metrics metrics, ReactionEchoGuard reactionEchoes) {
    this.relayId = relayId;
    this.idMap = idMap;
    this.dedup = dedup;
    this.interceptors = interceptors;
    this.events = events;
    this.metrics = metrics;
    this.reactionEchoes = reactionEchoes;
  }

  /** Handles one event that {@code source} received; never throws. */
  void onEvent(ConnectorHandle source, ChannelEvent event, RoutingTable table) {
    long receivedNanos = System.nanoTime();
    try {
      Dropped.Reason rejected = screen(event);
      if (rejected != null) {
        events.emit(new Dropped(event, rejected));
        return;
      }
      Route route = table.route(event.channel());
      if (route == null) {
        events.emit(new Dropped(event, Dropped.Reason.NO_ROUTE));
        return;
      }
      metrics.received(event.channel());
      if (event instanceof MessageCreated created) {
        fanOut(created, created.message(), source.platform, source.connector, route, receivedNanos);
      } else if (event instanceof MessageEdited edited) {
        edited(source, edited, route, receivedNanos);
      } else if (event instanceof MessageDeleted deleted) {
        deleted(deleted, route, receivedNanos);
      } else if (event instanceof ReactionAdded added) {
        reaction(added, true, added.target(), added.emoji(), added.user(), route, receivedNanos);
      } else if (event instanceof ReactionRemoved removed) {
        reaction(removed, false, removed.target(), removed.emoji(), removed.user(), route, receivedNanos);
      }
    } catch (RuntimeException e) {
      log.error("routing {} from connector '{}' failed; the event is skipped", event.getClass().getSimpleName(),
          source.id, e);
    }
  }

  /**
   * The loop check and the dedup check, in one pass: an event that carries this relay's origin
   * marker is an echo; an event seen before is a duplicate (or, for a copy we posted, whose id was
   * registered on delivery, an echo); an edit or delete of one of our copies is the echo of our own
   * edit or delete; a bot's reaction that the relay registered before sending it is its echo.
   * Allocates nothing when it rejects a message event seen before.
   *
   * @return why to drop the event, or {@code null} to route it
   */
  Dropped.@Nullable Reason screen(ChannelEvent event) {
    OriginMarker origin = originOf(event);
    if (origin != null && relayId.equals(origin.relayId())) {
      return Dropped.Reason.ECHO;
    }
    if (!dedup.markSeen(event.channel(), event.eventId())) {
      return event instanceof MessageCreated && idMap.isCopy(event.target())
          ? Dropped.Reason.ECHO
          : Dropped.Reason.DUPLICATE;
    }
    if ((event instanceof MessageEdited || event instanceof MessageDeleted) && idMap.isCopy(event.target())) {
      return Dropped.Reason.ECHO;
    }
    if (event instanceof ReactionAdded added
        && reactionEchoes.isEcho(added.target(), added.emoji(), true, added.user())) {
      return Dropped.Reason.ECHO;
    }
    if (event instanceof ReactionRemoved removed
        && reactionEchoes.isEcho(removed.target(), removed.emoji(), false, removed.user())) {
      return Dropped.Reason.ECHO;
    }
    return null;
  }

  private static @Nullable OriginMarker originOf(ChannelEvent event) {
    if (event instanceof MessageCreated created) {
      return created.message().origin();
    }
    if (event instanceof MessageEdited edited) {
      return edited.origin();
    }
    return null;
  }

  /** Publishes a message from code along {@code route}, as if it had been received. */
  void publish(Message message, String sourcePlatform, @Nullable Connector source, Route route) {
    dedup.markSeen(message.channel(), message.ref().messageId());
    fanOut(new MessageCreated(message), message, sourcePlatform, source, route, System.nanoTime());
  }

  private void fanOut(MessageCreated event, Message message, String sourcePlatform, @Nullable Connector source,
      Route route, long receivedNanos) {
    TargetGroup[] groups = route.groups;
    PreparedMessage[] prepared = new PreparedMessage[groups.length];
    List<OutboundAttachment> attachments = attachments(source, message.attachments());
    MessageRef reply = message.replyTo() == null ? null : canonicalOrSelf(message.replyTo().target());
    MessageRef thread = message.threadRoot() == null ? null : canonicalOrSelf(message.threadRoot());
    boolean any = false;
    for (int i = 0; i < groups.length; i++) {
      Message intercepted = interceptors.apply(message, sourcePlatform, groups[i].connector);
      if (intercepted != null) {
        prepared[i] = prepare(intercepted, message.ref(), groups[i], reply, thread, attachments, Operation.POST);
        any |= prepared[i] != null;
      }
    }
    if (!any) {
      events.emit(new Dropped(event, Dropped.Reason.FILTERED));
      return;
    }
    if (events.observed()) {
      events.emit(new Received(event));
    }
    for (int i = 0; i < groups.length; i++) {
      if (prepared[i] == null) {
        continue;
      }
      for (DeliveryQueue queue : groups[i].queues) {
        queue.offer(new PostDelivery(prepared[i], queue.channel, receivedNanos));
      }
    }
  }

  private void edited(ConnectorHandle source, MessageEdited event, Route route, long receivedNanos) {
    MessageRef canonical = event.target();
    if (!wasRelayed(canonical)) {
      events.emit(new Dropped(event, Dropped.Reason.NO_ROUTE));
      return;
    }
    Message edited = Message.builder(canonical, event.editor())
        .text(event.text())
        .timestamp(event.editedAt())
        .build();
    events.emit(new Received(event));
    for (TargetGroup group : route.groups) {
      if (!group.connector.capabilities.edits()) {
        continue;
      }
      Message intercepted = interceptors.apply(edited, source.platform, group.connector);
      PreparedMessage prepared = intercepted == null
          ? null
          : prepare(intercepted, canonical, group, null, null, List.of(), Operation.EDIT);
      if (prepared == null) {
        continue;
      }
      for (DeliveryQueue queue : group.queues) {
        queue.offer(new EditDelivery(prepared, queue.channel, receivedNanos));
      }
    }
  }

  private void deleted(MessageDeleted event, Route route, long receivedNanos) {
    MessageRef canonical = event.target();
    if (!wasRelayed(canonical)) {
      events.emit(new Dropped(event, Dropped.Reason.NO_ROUTE));
      return;
    }
    events.emit(new Received(event));
    for (TargetGroup group : route.groups) {
      if (!group.connector.capabilities.deletes()) {
        continue;
      }
      for (DeliveryQueue queue : group.queues) {
        queue.offer(new DeleteDelivery(canonical, queue.channel, receivedNanos));
      }
    }
  }

  private void reaction(ChannelEvent event, boolean add, MessageRef target, coop.relay.api.text.Emoji emoji,
      coop.relay.api.Identity user, Route route, long receivedNanos) {
    MessageRef canonical = idMap.canonicalOf(target);
    if (canonical == null) {
      canonical = wasRelayed(target) ? target : null;
    }
    if (canonical == null) {
      events.emit(new Dropped(event, Dropped.Reason.NO_ROUTE));
      return;
    }
    events.emit(new Received(event));
    for (TargetGroup group : route.groups) {
      if (!group.connector.capabilities.reactions()) {
        continue;
      }
      for (DeliveryQueue queue : group.queues) {
        if (!queue.channel.equals(target.channel())) {
          queue.offer(new ReactionDelivery(add, canonical, queue.channel, emoji, user, receivedNanos));
        }
      }
    }
  }

  /** Whether {@code ref} is an original that was (or is being) relayed: it has copies, or its creation was seen. */
  private boolean wasRelayed(MessageRef ref) {
    return idMap.canonicalOf(ref) != null || dedup.contains(ref.channel(), ref.messageId());
  }

  private MessageRef canonicalOrSelf(MessageRef ref) {
    MessageRef canonical = idMap.canonicalOf(ref);
    return canonical != null ? canonical : ref;
  }

  private @Nullable PreparedMessage prepare(Message message, MessageRef canonical, TargetGroup group,
      @Nullable MessageRef reply, @Nullable MessageRef thread, List<OutboundAttachment> attachments,
      Operation operation) {
    try {
      return new PreparedMessage(message, canonical, group.connector.connector, reply, thread, attachments);
    } catch (RuntimeException e) {
      log.error("connector '{}' failed to render a message; it is not delivered there", group.connector.id, e);
      for (DeliveryQueue queue : group.queues) {
        events.emit(new DeliveryFailed(operation, canonical, queue.channel, 0,
            "the connector failed to render the text: " + e));
      }
      return null;
    }
  }

  private static List<OutboundAttachment> attachments(@Nullable Connector source, List<Attachment> attachments) {
    if (attachments.isEmpty()) {
      return List.of();
    }
    List<OutboundAttachment> out = new ArrayList<>(attachments.size());
    for (Attachment attachment : attachments) {
      Mono<byte[]> content = source == null
          ? Mono.error(DeliveryException.permanent("no connector can download " + attachment.fileName()))
          // One download, shared by every destination that uploads the file.
          : Mono.defer(() -> source.download(attachment)).cache();
      out.add(new OutboundAttachment(attachment, content));
    }
    return List.copyOf(out);
  }
}
