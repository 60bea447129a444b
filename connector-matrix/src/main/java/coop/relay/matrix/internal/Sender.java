package coop.relay.matrix.internal;

import coop.relay.api.Attachment;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.support.BoundedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The send path: posts, edits, redactions, reactions, uploads and downloads. Every event goes with
 * {@code PUT .../send/{eventType}/{txnId}} (or {@code .../redact/...}) and a transaction id derived from
 * what is sent ({@link TxnIds}), so a retry after a timeout gets the first attempt's event back
 * instead of a second copy. In client mode everything is sent as the connector's account; in
 * application-service mode as the ghost of the author (with {@code ?user_id=}).
 */
final class Sender {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  private final String connectorId;
  private final MatrixClient client;
  private final HtmlRenderer renderer;
  private final Identities identities;
  private final @Nullable Ghosts ghosts;
  private final long maxUploadBytes;
  private final int maxTextLength;
  /** Who sent each copy, so that edits and redactions go as the same user. */
  private final BoundedMap<String, Actor> senders = new BoundedMap<>(50_000);
  /** The further events of a copy that was sent as several (long text, attachments). */
  private final BoundedMap<String, List<String>> parts = new BoundedMap<>(20_000);
  /** Reactions the connector added: which event holds them, and how many people they stand for. */
  private final BoundedMap<String, ReactionState> reactions = new BoundedMap<>(50_000);

  /** Who sends: a user id, and whether it is a ghost the service acts as. */
  record Actor(String userId, boolean masquerade) {}

  private static final class ReactionState {
    @Nullable String eventId;
    int count;
    int generation;
  }

  Sender(String connectorId, MatrixClient client, HtmlRenderer renderer, Identities identities, @Nullable Ghosts ghosts,
      long maxUploadBytes, int maxTextLength) {
    this.connectorId = connectorId;
    this.client = client;
    this.renderer = renderer;
    this.identities = identities;
    this.ghosts = ghosts;
    this.maxUploadBytes = maxUploadBytes;
    this.maxTextLength = maxTextLength;
  }

  Mono<MessageRef> post(OutboundMessage message) {
    String room = message.destination().channelId();
    return author(message.author(), room).flatMap(actor -> {
      List<Mono<String>> sends = new ArrayList<>();
      RichText source = message.text().source();
      List<RichText> texts = source.isEmpty() ? List.of() : TextSplitter.split(source, maxTextLength);
      for (int i = 0; i < texts.size(); i++) {
        RichText part = texts.get(i);
        String html = texts.size() == 1 ? message.text().markup() : renderer.render(part);
        ObjectNode content = OutboundContent.text(part, html, renderer.mentionedUsers(part),
            i == 0 ? message.replyTo() : null, message.threadRoot(), message.origin());
        String txn = TxnIds.of("post", room, message.source().toString(), message.origin().encode(), "text" + i);
        sends.add(sendEvent(actor, room, "m.room.message", txn, content, "posting into " + room));
      }
      for (int i = 0; i < message.attachments().size(); i++) {
        OutboundAttachment attachment = message.attachments().get(i);
        String txn = TxnIds.of("post", room, message.source().toString(), message.origin().encode(), "file" + i);
        MessageRef replyTo = sends.isEmpty() ? message.replyTo() : null;
        sends.add(attachment(actor, room, attachment, txn, replyTo, message.threadRoot(), message.origin()));
      }
      if (sends.isEmpty()) {
        return Mono.error(DeliveryException.permanent("a message with neither text nor attachments cannot be posted"
            + " into " + room));
      }
      return Flux.concat(sends).collectList().map(ids -> {
        for (String id : ids) {
          senders.put(id, actor);
        }
        if (ids.size() > 1) {
          parts.put(ids.get(0), List.copyOf(ids.subList(1, ids.size())));
        }
        return message.destination().message(ids.get(0));
      });
    });
  }

  Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    String room = copy.channel().channelId();
    RichText source = message.text().source();
    List<RichText> texts = TextSplitter.split(source, maxTextLength);
    RichText first = texts.get(0);
    String html = texts.size() == 1 ? message.text().markup() : renderer.render(first);
    ObjectNode content = OutboundContent.edit(first, html, renderer.mentionedUsers(first), copy, message.origin());
    String txn = TxnIds.of("edit", copy.toString(), message.origin().encode(),
        Objects.toString(content.get("m.new_content")));
    return senderOf(copy).flatMap(actor -> sendEvent(actor, room, "m.room.message", txn, content, "editing " + copy))
        .then();
  }

  Mono<Void> delete(MessageRef copy) {
    String room = copy.channel().channelId();
    List<String> ids = new ArrayList<>();
    ids.add(copy.messageId());
    List<String> more = parts.get(copy.messageId());
    if (more != null) {
      ids.addAll(more);
    }
    return senderOf(copy)
        .onErrorResume(MatrixApiException.class, gone -> gone.is("M_NOT_FOUND") ? Mono.empty() : Mono.error(gone))
        .flatMap(actor -> Flux.fromIterable(ids).concatMap(id -> redact(actor, room, id)).then());
  }

  private Mono<Void> redact(Actor actor, String room, String eventId) {
    String txn = TxnIds.of("redact", room, eventId);
    HttpUrl.Builder url = client.url(MatrixClient.CLIENT_V3, "rooms", room, "redact", eventId, txn);
    return client.send(room + " " + actor.userId(), actor.userId(),
            client.put(as(url, actor), Map.of()), "deleting " + eventId + " in " + room)
        .onErrorResume(MatrixApiException.class, gone -> gone.is("M_NOT_FOUND") ? Mono.empty() : Mono.error(gone))
        .then();
  }

  Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    String room = message.channel().channelId();
    String key = ReactionKeys.key(emoji);
    return reactor(user, room).flatMap(actor -> {
      String slot = slot(message, key, actor);
      ReactionState state = reactions.computeIfAbsent(slot, s -> new ReactionState());
      synchronized (state) {
        state.count++;
        if (state.count > 1 && state.eventId != null) {
          return Mono.<Void>empty(); // the bot already shows this reaction for someone else
        }
      }
      String txn = TxnIds.of("react", room, message.messageId(), key, actor.userId(), Integer.toString(state.generation));
      return sendEvent(actor, room, "m.reaction", txn, OutboundContent.reaction(message, key), "reacting to " + message)
          .doOnNext(id -> {
            synchronized (state) {
              state.eventId = id;
            }
          })
          .onErrorResume(MatrixApiException.class, e -> e.is("M_DUPLICATE_ANNOTATION") ? Mono.empty() : Mono.error(e))
          .doOnError(e -> {
            synchronized (state) {
              state.count--;
            }
          })
          .then();
    });
  }

  Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    String room = message.channel().channelId();
    String key = ReactionKeys.key(emoji);
    return reactor(user, room).flatMap(actor -> {
      ReactionState state = reactions.get(slot(message, key, actor));
      String eventId = null;
      if (state != null) {
        synchronized (state) {
          state.count = Math.max(0, state.count - 1);
          if (state.count > 0) {
            return Mono.<Void>empty(); // still wanted by someone else the bot reacts for
          }
          eventId = state.eventId;
          state.eventId = null;
          state.generation++;
        }
      }
      Mono<String> target = eventId != null ? Mono.just(eventId) : findReaction(message, key, actor);
      return target.flatMap(id -> redact(actor, room, id));
    });
  }

  /** Looks up our reaction through the relations API, for reactions added before a restart. */
  private Mono<String> findReaction(MessageRef message, String key, Actor actor) {
    String room = message.channel().channelId();
    HttpUrl url = client.url(MatrixClient.CLIENT_V1, "rooms", room, "relations", message.messageId(), "m.annotation",
        "m.reaction").addQueryParameter("limit", "100").build();
    return client.call(client.get(url), "finding the reaction to " + message)
        .flatMap(answer -> {
          for (JsonNode event : answer.path("chunk")) {
            JsonNode relation = event.path("content").path("m.relates_to");
            if (actor.userId().equals(EventDecoder.text(event, "sender")) && key.equals(EventDecoder.text(relation, "key"))) {
              return Mono.justOrEmpty(EventDecoder.text(event, "event_id"));
            }
          }
          return Mono.<String>empty();
        })
        .onErrorResume(MatrixApiException.class, e -> {
          LOG.info("Matrix connector '{}': cannot find the reaction {} on {} to remove it ({})", connectorId, key,
              message, e.errcode());
          return Mono.empty();
        });
  }

  Mono<byte[]> download(Attachment attachment) {
    String id = attachment.id();
    if (!id.startsWith("mxc://") || id.indexOf('/', 6) < 0) {
      return Mono.error(DeliveryException.permanent("attachment " + attachment.fileName()
          + " has no mxc:// id; only files received from Matrix can be downloaded here"));
    }
    String server = id.substring(6, id.indexOf('/', 6));
    String media = id.substring(id.indexOf('/', 6) + 1);
    HttpUrl url = client.url(MatrixClient.CLIENT_V1, "media", "download", server, media).build();
    return client.bytes(client.get(url), "downloading " + attachment.fileName());
  }

  private Mono<String> attachment(Actor actor, String room, OutboundAttachment outbound, String txn,
      @Nullable MessageRef replyTo, @Nullable MessageRef threadRoot, OriginMarker origin) {
    Attachment file = outbound.attachment();
    if (file.sizeBytes() > maxUploadBytes) {
      return linkInstead(actor, room, file, txn, replyTo, threadRoot, origin);
    }
    return outbound.content().flatMap(bytes -> {
      if (bytes.length > maxUploadBytes) {
        return linkInstead(actor, room, file, txn, replyTo, threadRoot, origin);
      }
      HttpUrl url = client.url(MatrixClient.MEDIA_V3, "upload").addQueryParameter("filename", file.fileName()).build();
      return client.send("upload " + actor.userId(), actor.userId(), client.upload(url, bytes, file.mediaType()),
              "uploading " + file.fileName())
          .flatMap(uploaded -> {
            String mxc = EventDecoder.text(uploaded, "content_uri");
            if (mxc == null) {
              return Mono.error(DeliveryException.transientFailure("the homeserver answered the upload of "
                  + file.fileName() + " without a content_uri; retrying", null));
            }
            return sendEvent(actor, room, "m.room.message", txn,
                OutboundContent.media(file, mxc, bytes.length, replyTo, threadRoot, origin), "posting " + file.fileName());
          });
    });
  }

  private Mono<String> linkInstead(Actor actor, String room, Attachment file, String txn,
      @Nullable MessageRef replyTo, @Nullable MessageRef threadRoot, OriginMarker origin) {
    RichText text = file.url() != null
        ? RichText.builder().text("\uD83D\uDCCE ").link(file.url(), file.fileName()).build()
        : RichText.of("\uD83D\uDCCE " + file.fileName() + " (too large to relay)");
    ObjectNode content = OutboundContent.text(text, renderer.render(text), java.util.Set.of(), replyTo, threadRoot, origin);
    return sendEvent(actor, room, "m.room.message", txn, content, "posting a link to " + file.fileName());
  }

  private Mono<String> sendEvent(Actor actor, String room, String type, String txn, ObjectNode content, String action) {
    HttpUrl.Builder url = client.url(MatrixClient.CLIENT_V3, "rooms", room, "send", type, txn);
    Mono<String> send = client.send(room + " " + actor.userId(), actor.userId(), client.put(as(url, actor), content), action)
        .flatMap(answer -> {
          String id = EventDecoder.text(answer, "event_id");
          return id == null
              ? Mono.error(DeliveryException.transientFailure(action + ": the homeserver answered without an event_id", null))
              : Mono.just(id);
        });
    // An account that is not in the room (a bridge added while the relay runs, a ghost that was
    // removed) joins once, then the same transaction goes again.
    return send.onErrorResume(MatrixApiException.class, refused -> {
      if (!refused.is("M_FORBIDDEN")) {
        return Mono.error(refused);
      }
      Ghosts g = ghosts;
      Mono<Void> join;
      if (g != null && actor.masquerade()) {
        g.forgetMembership(actor.userId(), room);
        join = g.join(actor.userId(), room);
      } else {
        HttpUrl joinUrl = client.url(MatrixClient.CLIENT_V3, "join", room).build();
        join = client.call(client.post(joinUrl, Map.of()), "joining " + room).then();
      }
      return join.onErrorMap(joinRefused -> refused).then(send);
    });
  }

  private static HttpUrl as(HttpUrl.Builder url, Actor actor) {
    return actor.masquerade() ? Ghosts.masquerade(url, actor.userId()) : url.build();
  }

  /** Who posts a message of {@code author}: the connector's account, or the author's ghost. */
  private Mono<Actor> author(Identity author, String room) {
    Ghosts g = ghosts;
    if (g == null) {
      return identities.whoami().map(user -> new Actor(user, false));
    }
    return g.ready(author, room).map(ghost -> new Actor(ghost, true));
  }

  /** Who reacts for {@code user}: as {@link #author}. */
  private Mono<Actor> reactor(Identity user, String room) {
    return author(user, room);
  }

  /** Who sent a copy: remembered from the post, or asked of the homeserver (after a restart). */
  private Mono<Actor> senderOf(MessageRef copy) {
    Actor known = senders.get(copy.messageId());
    if (known != null) {
      return Mono.just(known);
    }
    Ghosts g = ghosts;
    if (g == null) {
      return identities.whoami().map(user -> new Actor(user, false));
    }
    String room = copy.channel().channelId();
    HttpUrl url = client.url(MatrixClient.CLIENT_V3, "rooms", room, "event", copy.messageId()).build();
    return Mono.zip(client.call(client.get(url), "reading " + copy), identities.whoami()).map(found -> {
      String sender = EventDecoder.text(found.getT1(), "sender");
      if (sender != null && g.isGhost(sender)) {
        return new Actor(sender, true);
      }
      if (sender != null && sender.equals(found.getT2())) {
        return new Actor(sender, false);
      }
      throw DeliveryException.permanent(copy + " was not sent by this application service (sender " + sender
          + "); it cannot change it");
    });
  }

  private static String slot(MessageRef message, String key, Actor actor) {
    return message + " " + key + " " + actor.userId();
  }

  @Override
  public String toString() {
    return "Sender[" + connectorId + "]";
  }
}
