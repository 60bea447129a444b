package coop.relay.discord.internal;

import coop.relay.api.Attachment;
import coop.relay.api.DeliveryException;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.discord.internal.DiscordRest.Call;
import coop.relay.discord.internal.Webhooks.Hook;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Posts, edits and deletes the relay's copies. A copy goes through the channel's webhook under the
 * author's name and avatar ({@code ?wait=true} returns its id; {@code thread_id} for threads); as
 * the bot, with the name template in front, when the channel has no webhook or the copy is a reply
 * (webhooks cannot reply). Every request says {@code allowed_mentions: {parse: []}}, naming only the
 * linked people a text mentions. Bot messages carry the origin marker in their {@code nonce} with
 * {@code enforce_nonce}, so a retried post cannot create a second message.
 */
final class Poster {
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int MAX_FILES = 10;

  private final DiscordRest rest;
  private final Webhooks webhooks;
  private final MessageLocations locations;
  private final Directory directory;
  private final MarkdownRenderer renderer;
  private final long maxAttachmentBytes;
  private final String fallbackNameTemplate;

  Poster(DiscordRest rest, Webhooks webhooks, MessageLocations locations, Directory directory,
      MarkdownRenderer renderer, long maxAttachmentBytes, String fallbackNameTemplate) {
    this.rest = rest;
    this.webhooks = webhooks;
    this.locations = locations;
    this.directory = directory;
    this.renderer = renderer;
    this.maxAttachmentBytes = maxAttachmentBytes;
    this.fallbackNameTemplate = fallbackNameTemplate;
  }

  /** A file to upload. */
  private record Upload(String fileName, String mediaType, byte[] bytes) {}

  /** What the attachments became: files to upload and links to append to the text. */
  private record Files(List<Upload> uploads, List<String> links) {}

  Mono<MessageRef> post(OutboundMessage message) {
    String channelId = message.destination().channelId();
    MessageRef threadRoot = message.threadRoot();
    Mono<String> target = threadRoot == null ? Mono.just(channelId)
        : thread(channelId, threadRoot.messageId(), message.text().source().plainText());
    Mono<Optional<Hook>> hook = message.replyTo() != null ? Mono.just(Optional.empty()) : webhooks.forChannel(channelId);
    return Mono.zip(target, hook, files(message.attachments())).flatMap(parts -> {
      String postInto = parts.getT1();
      Hook webhook = parts.getT2().orElse(null);
      Files files = parts.getT3();
      String markup = withLinks(webhook == null ? namePrefix(message) + message.text().markup()
          : message.text().markup(), files.links());
      if (markup.isBlank() && files.uploads().isEmpty()) {
        return Mono.error(DeliveryException.permanent("the message to post into Discord channel " + channelId
            + " is empty after rendering; Discord refuses empty messages"));
      }
      List<String> chunks = MessageSplitter.split(markup, MessageSplitter.MAX_LENGTH);
      Set<String> pingable = renderer.pingableUsers(message.text().source());
      boolean inThread = !postInto.equals(channelId);
      List<String> ids = new ArrayList<>(chunks.size());
      return Flux.range(0, chunks.size())
          .concatMap(i -> {
            List<Upload> uploads = i == 0 ? files.uploads() : List.of();
            return webhook != null
                ? execute(webhook, channelId, inThread ? postInto : null, chunks.get(i), message, pingable, uploads)
                : createAsBot(postInto, chunks.get(i), message, pingable, uploads, i == 0 ? message.replyTo() : null,
                    i == 0 ? message.origin() : new OriginMarker(message.origin().relayId(),
                        message.origin().deliveryId() + "-" + i));
          })
          .doOnNext(ids::add)
          .then(Mono.fromCallable(() -> {
            locations.posted(ids.get(0), postInto, webhook == null ? null : webhook.id(), ids.subList(1, ids.size()));
            return message.destination().message(ids.get(0));
          }));
    });
  }

  Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    String channelId = copy.channel().channelId();
    return locate(copy).flatMap(location -> {
      if (location.isEmpty()) {
        return Mono.error(DeliveryException.permanent("message " + copy.messageId() + " in Discord channel "
            + channelId + " is gone; nothing to edit"));
      }
      MessageLocations.Location at = location.get();
      String markup = at.webhookId() == null ? namePrefix(message) + message.text().markup() : message.text().markup();
      List<String> parts = new ArrayList<>();
      parts.add(copy.messageId());
      parts.addAll(at.continuations());
      List<String> chunks = fit(MessageSplitter.split(markup, MessageSplitter.MAX_LENGTH), parts.size());
      Set<String> pingable = renderer.pingableUsers(message.text().source());
      Mono<Optional<Hook>> hook = at.webhookId() == null ? Mono.just(Optional.empty()) : webhooks.forChannel(channelId);
      return hook.flatMap(found -> {
        Hook webhook = found.orElse(null);
        if (at.webhookId() != null && (webhook == null || !webhook.id().equals(at.webhookId()))) {
          return Mono.error(DeliveryException.permanent("message " + copy.messageId() + " in Discord channel "
              + channelId + " was posted by a webhook that no longer exists; it cannot be edited"));
        }
        String thread = at.channelId().equals(channelId) ? null : at.channelId();
        return Flux.range(0, parts.size())
            .concatMap(i -> i < chunks.size()
                ? editPart(webhook, at.channelId(), thread, parts.get(i), chunks.get(i), pingable)
                : deletePart(webhook, at.channelId(), thread, parts.get(i)))
            .then();
      });
    });
  }

  Mono<Void> delete(MessageRef copy) {
    return locate(copy).flatMap(location -> {
      if (location.isEmpty()) {
        return Mono.<Void>empty();
      }
      MessageLocations.Location at = location.get();
      String channelId = copy.channel().channelId();
      Mono<Optional<Hook>> hook = at.webhookId() == null ? Mono.just(Optional.empty()) : webhooks.forChannel(channelId);
      return hook.flatMap(found -> {
        Hook webhook = found.filter(h -> h.id().equals(at.webhookId())).orElse(null);
        String thread = at.channelId().equals(channelId) ? null : at.channelId();
        List<String> parts = new ArrayList<>();
        parts.add(copy.messageId());
        parts.addAll(at.continuations());
        return Flux.fromIterable(parts).concatMap(part -> deletePart(webhook, at.channelId(), thread, part)).then();
      });
      // The location is not forgotten here: the gateway's MESSAGE_DELETE may come after the REST
      // answer, and it must still be recognised as our own (the decoder forgets it then; the map is
      // bounded, so a lost echo cannot leak).
    });
  }

  /** Where a copy is: from memory, or (after a restart) asked from Discord; empty when it is gone. */
  Mono<Optional<MessageLocations.Location>> locate(MessageRef copy) {
    MessageLocations.Location known = locations.get(copy.messageId());
    if (known != null) {
      return Mono.just(Optional.of(known));
    }
    String channelId = copy.channel().channelId();
    Call get = Call.of(Route.GET_MESSAGE, "reading message " + copy.messageId() + " in channel " + channelId,
        channelId, copy.messageId());
    return rest.json(get)
        .map(node -> {
          String webhookId = node.path("webhook_id").isString() ? node.path("webhook_id").asString() : null;
          String at = node.path("channel_id").asString(channelId);
          return Optional.of(new MessageLocations.Location(at, webhookId, true, List.of()));
        })
        .onErrorResume(RefusedException.class, e -> e.status() == 404 ? Mono.just(Optional.empty()) : Mono.error(e));
  }

  /** The thread of {@code rootId}, started from it when it has none yet. */
  private Mono<String> thread(String channelId, String rootId, String title) {
    Directory.ChannelInfo known = directory.channel(rootId);
    if (known != null && known.isThread()) {
      return Mono.just(rootId);
    }
    String first = title.strip().lines().findFirst().orElse("").strip();
    String name = first.isEmpty() ? "Thread" : first.length() > 100 ? first.substring(0, 99) + "…" : first;
    ObjectNode body = Json.mapper().createObjectNode().put("name", name);
    Call start = Call.of(Route.START_THREAD, "starting a thread on message " + rootId + " in channel " + channelId,
        channelId, rootId).json(body);
    return rest.json(start)
        .map(node -> node.path("id").asString(rootId))
        .onErrorResume(RefusedException.class, e -> e.code() == RefusedException.THREAD_ALREADY_CREATED
            ? Mono.just(rootId) : Mono.error(e))
        .doOnNext(thread -> directory.channel(new Wire.Channel(thread, 11, name, channelId, null)));
  }

  private Mono<String> execute(Hook webhook, String channelId, @Nullable String threadId, String content,
      OutboundMessage message, Set<String> pingable, List<Upload> uploads) {
    ObjectNode payload = Json.mapper().createObjectNode();
    if (!content.isEmpty()) {
      payload.put("content", content);
    }
    payload.put("username", WebhookNames.username(message.author().displayName()));
    String avatar = message.author().avatarUrl();
    if (avatar != null && avatar.length() <= 2048 && (avatar.startsWith("https://") || avatar.startsWith("http://"))) {
      payload.put("avatar_url", avatar);
    }
    payload.set("allowed_mentions", allowedMentions(pingable, false));
    Call call = Call.of(Route.EXECUTE_WEBHOOK, "posting into channel " + channelId + " through webhook " + webhook.id(),
        webhook.id()).webhook(webhook.token()).query("wait", "true");
    if (threadId != null) {
      call.query("thread_id", threadId);
    }
    call.body(body(payload, uploads));
    return rest.json(call).map(Poster::idOf)
        .onErrorResume(RefusedException.class, e -> {
          if (e.code() == RefusedException.UNKNOWN_WEBHOOK) {
            webhooks.invalidate(channelId); // deleted by someone; the relay's retry finds or makes another
            return Mono.error(DeliveryException.transientFailure("the webhook of Discord channel " + channelId
                + " was deleted; a new one is used on the next attempt", null));
          }
          return Mono.error(e);
        });
  }

  private Mono<String> createAsBot(String channelId, String content, OutboundMessage message, Set<String> pingable,
      List<Upload> uploads, @Nullable MessageRef replyTo, OriginMarker origin) {
    ObjectNode payload = Json.mapper().createObjectNode();
    if (!content.isEmpty()) {
      payload.put("content", content);
    }
    payload.put("nonce", Nonces.encode(origin));
    payload.put("enforce_nonce", true);
    payload.set("allowed_mentions", allowedMentions(pingable, true));
    if (replyTo != null) {
      ObjectNode reference = payload.putObject("message_reference");
      reference.put("message_id", replyTo.messageId());
      reference.put("fail_if_not_exists", false);
    }
    Call call = Call.of(Route.CREATE_MESSAGE, "posting into channel " + channelId, channelId)
        .body(body(payload, uploads));
    return rest.json(call).map(Poster::idOf);
  }

  private Mono<Void> editPart(@Nullable Hook webhook, String channelId, @Nullable String threadId, String messageId,
      String content, Set<String> pingable) {
    ObjectNode payload = Json.mapper().createObjectNode();
    payload.put("content", content);
    payload.set("allowed_mentions", allowedMentions(pingable, webhook == null));
    Call call = webhook == null
        ? Call.of(Route.EDIT_MESSAGE, "editing message " + messageId + " in channel " + channelId, channelId, messageId)
        : Call.of(Route.EDIT_WEBHOOK_MESSAGE, "editing message " + messageId + " through webhook " + webhook.id(),
            webhook.id(), messageId).webhook(webhook.token());
    if (webhook != null && threadId != null) {
      call.query("thread_id", threadId);
    }
    return rest.send(call.json(payload)).then();
  }

  private Mono<Void> deletePart(@Nullable Hook webhook, String channelId, @Nullable String threadId, String messageId) {
    Call call = webhook == null
        ? Call.of(Route.DELETE_MESSAGE, "deleting message " + messageId + " in channel " + channelId, channelId, messageId)
        : Call.of(Route.DELETE_WEBHOOK_MESSAGE, "deleting message " + messageId + " through webhook " + webhook.id(),
            webhook.id(), messageId).webhook(webhook.token());
    if (webhook != null && threadId != null) {
      call.query("thread_id", threadId);
    }
    return rest.send(call).then()
        .onErrorResume(RefusedException.class, e -> e.status() == 404 ? Mono.empty() : Mono.error(e));
  }

  /** {@code parse: []} pings nobody; linked people are named one by one; replies do not ping. */
  private static ObjectNode allowedMentions(Set<String> pingable, boolean bot) {
    ObjectNode mentions = Json.mapper().createObjectNode();
    mentions.putArray("parse");
    if (!pingable.isEmpty()) {
      ArrayNode users = mentions.putArray("users");
      pingable.stream().limit(100).forEach(users::add);
    }
    if (bot) {
      mentions.put("replied_user", false);
    }
    return mentions;
  }

  private static RequestBody body(ObjectNode payload, List<Upload> uploads) {
    if (uploads.isEmpty()) {
      return Json.requestBody(payload);
    }
    ArrayNode attachments = payload.putArray("attachments");
    MultipartBody.Builder multipart = new MultipartBody.Builder().setType(MultipartBody.FORM);
    for (int i = 0; i < uploads.size(); i++) {
      Upload upload = uploads.get(i);
      attachments.addObject().put("id", String.valueOf(i)).put("filename", upload.fileName());
      MediaType type = MediaType.parse(upload.mediaType());
      multipart.addFormDataPart("files[" + i + "]", upload.fileName(),
          RequestBody.create(upload.bytes(), type == null ? OCTET_STREAM : type));
    }
    multipart.addFormDataPart("payload_json", null,
        RequestBody.create(Json.mapper().writeValueAsBytes(payload), MediaType.get("application/json")));
    return multipart.build();
  }

  /** Downloads the files that fit the limit; the others (and those that fail to download) become links. */
  private Mono<Files> files(List<OutboundAttachment> attachments) {
    if (attachments.isEmpty()) {
      return Mono.just(new Files(List.of(), List.of()));
    }
    return Mono.defer(() -> collect(attachments));
  }

  private Mono<Files> collect(List<OutboundAttachment> attachments) {
    List<Upload> uploads = new ArrayList<>();
    List<String> links = new ArrayList<>();
    return Flux.fromIterable(attachments)
        .concatMap(outbound -> {
          Attachment attachment = outbound.attachment();
          boolean mayFit = attachment.sizeBytes() < 0 || attachment.fitsWithin(maxAttachmentBytes);
          if (!mayFit || uploads.size() >= MAX_FILES) {
            links.add(link(attachment));
            return Mono.empty();
          }
          return outbound.content()
              .doOnNext(bytes -> {
                if (bytes.length <= maxAttachmentBytes) {
                  uploads.add(new Upload(attachment.fileName(), attachment.mediaType(), bytes));
                } else {
                  links.add(link(attachment));
                }
              })
              .onErrorResume(e -> {
                links.add(link(attachment));
                return Mono.empty();
              })
              .then();
        })
        .then(Mono.fromCallable(() -> new Files(List.copyOf(uploads), List.copyOf(links))));
  }

  private String link(Attachment attachment) {
    StringBuilder out = new StringBuilder();
    String url = attachment.url();
    if (url != null && (url.startsWith("https://") || url.startsWith("http://"))) {
      renderer.text(attachment.fileName() + ": ", out);
      out.append('<').append(url.replace(">", "%3E").replace(" ", "%20")).append('>');
    } else {
      renderer.text(attachment.fileName() + " (too large to upload)", out);
    }
    return out.toString();
  }

  private static String withLinks(String markup, List<String> links) {
    if (links.isEmpty()) {
      return markup;
    }
    StringBuilder out = new StringBuilder(markup);
    for (String link : links) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(link);
    }
    return out.toString();
  }

  private String namePrefix(OutboundMessage message) {
    StringBuilder name = new StringBuilder();
    renderer.text(message.author().displayName(), name);
    return fallbackNameTemplate.replace("{name}", name);
  }

  /** At most {@code parts} chunks: the overflow of an edit that grew is cut, as the copy has no more parts. */
  private static List<String> fit(List<String> chunks, int parts) {
    if (chunks.size() <= parts) {
      return chunks;
    }
    List<String> fitted = new ArrayList<>(chunks.subList(0, parts));
    String last = fitted.get(parts - 1);
    if (last.length() > MessageSplitter.MAX_LENGTH - 1) {
      last = last.substring(0, MessageSplitter.MAX_LENGTH - 1);
    }
    fitted.set(parts - 1, last + "…");
    return fitted;
  }

  static String idOf(JsonNode node) {
    return node.path("id").asString();
  }
}
