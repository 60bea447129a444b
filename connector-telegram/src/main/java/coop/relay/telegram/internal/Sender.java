package coop.relay.telegram.internal;

import coop.relay.api.Attachment;
import coop.relay.api.DeliveryException;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.support.BoundedMap;
import coop.relay.support.Json;
import coop.relay.support.RateLimiter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Everything the connector sends: messages (split when too long, files uploaded or linked), edits
 * that touch only the parts that changed, deletions and the bot's reactions. Every request goes
 * through the {@link SendLimits sending limits} under its chat, and to the supergroup a chat was
 * migrated to. Thread-safe.
 */
final class Sender {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
  /** Telegram's limit for a message text: 4096 characters after entity parsing. */
  static final int TEXT_LIMIT = 4096;
  /** sendPhoto's limit; larger images go as documents. */
  static final long PHOTO_LIMIT = 10L * 1024 * 1024;
  private static final Map<String, Boolean> NO_PREVIEW = Map.of("is_disabled", true);

  private final String connectorId;
  private final BotApiClient api;
  private final RateLimiter limiter;
  private final RichTextFormatter formatter;
  private final ChatMigrations migrations;
  private final long maxUploadBytes;
  private final BoundedMap<MessageRef, SentMessage> sent = new BoundedMap<>(10_000);
  private final BoundedMap<String, Unfinished> unfinished = new BoundedMap<>(1_000);
  private final BoundedMap<MessageRef, LinkedHashMap<String, Integer>> reactions = new BoundedMap<>(10_000);

  Sender(String connectorId, BotApiClient api, RateLimiter limiter, RichTextFormatter formatter,
      ChatMigrations migrations, long maxUploadBytes) {
    this.connectorId = connectorId;
    this.api = api;
    this.limiter = limiter;
    this.formatter = formatter;
    this.migrations = migrations;
    this.maxUploadBytes = maxUploadBytes;
  }

  // ---------------------------------------------------------------- post

  Mono<MessageRef> post(OutboundMessage message) {
    return Mono.defer(() -> {
      String channel = message.destination().channelId();
      MessageAddress replyTo = MessageAddress.of(message.replyTo());
      MessageAddress thread = MessageAddress.of(message.threadRoot());
      List<OutboundAttachment> uploads = new ArrayList<>();
      FormattedText notes = FormattedText.plain("");
      for (OutboundAttachment attachment : message.attachments()) {
        long size = attachment.attachment().sizeBytes();
        if (size > maxUploadBytes) {
          notes = notes.append(linkNote(attachment.attachment()));
        } else {
          uploads.add(attachment);
        }
      }
      List<String> chunks = chunks(message.text(), notes);
      List<Step> steps = new ArrayList<>();
      for (String chunk : chunks) {
        steps.add(new Step(chunk, null));
      }
      for (OutboundAttachment upload : uploads) {
        steps.add(new Step(null, upload));
      }
      if (steps.isEmpty()) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId
            + "': nothing to post to Telegram chat " + channel + ": the message has no text and no attachments"));
      }
      // A post that failed half-way is retried by the relay: the parts already sent are not sent again.
      String key = message.destination() + "#" + message.origin().encode();
      Unfinished done = orElse(unfinished.get(key), new Unfinished(null, List.of()));
      List<SentMessage.Part> parts = new ArrayList<>(done.parts());
      String[] chat = {done.chat()};
      return Flux.fromIterable(steps.subList(Math.min(parts.size(), steps.size()), steps.size()))
          .concatMap(step -> {
            MessageAddress reply = parts.isEmpty() ? replyTo : null;
            Mono<Placed> placed = step.html() != null
                ? sendText(channel, step.html(), reply, thread)
                : sendFile(channel, step.upload(), reply, thread);
            return placed.doOnNext(p -> {
              chat[0] = chat[0] == null ? p.chat() : chat[0];
              parts.add(new SentMessage.Part(p.messageId(), step.html()));
              unfinished.put(key, new Unfinished(chat[0], List.copyOf(parts)));
            });
          })
          .then(Mono.fromCallable(() -> {
            unfinished.remove(key);
            SentMessage result = new SentMessage(parts);
            MessageRef ref = new MessageAddress(String.valueOf(chat[0]), parts.get(0).messageId()).in(message.destination());
            if (result.worthTracking()) {
              sent.put(ref, result);
            }
            return ref;
          }));
    });
  }

  private record Step(@Nullable String html, @Nullable OutboundAttachment upload) {}

  /** The parts of a post sent before it failed, and the chat they went to. */
  private record Unfinished(@Nullable String chat, List<SentMessage.Part> parts) {}

  /** Where a message went. */
  private record Placed(String chat, long messageId) {}

  private Mono<Placed> sendText(String channel, String html, @Nullable MessageAddress replyTo,
      @Nullable MessageAddress thread) {
    return send(channel, "sendMessage", chat -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chatParameter(chat));
      Long threadId = idIn(thread, chat);
      if (threadId != null) {
        p.put("message_thread_id", threadId);
      }
      p.put("text", html);
      p.put("parse_mode", "HTML");
      p.put("link_preview_options", NO_PREVIEW);
      Long replyId = idIn(replyTo, chat);
      if (replyId != null) {
        p.put("reply_parameters", replyParameters(replyId));
      }
      return Json.requestBody(p);
    }).onErrorResume(TelegramApiException.class, e -> {
      if (thread != null && e.says("thread not found")) {
        // Outside forums, a "thread" is the replies to its first message: answer that message instead.
        LOG.debug("Telegram chat {} has no thread {}; replying to its first message instead", channel, thread);
        return sendText(channel, html, replyTo != null ? replyTo : thread, null);
      }
      return Mono.error(e);
    });
  }

  /** The id of {@code message} when it is in {@code chat}: replies and threads cannot cross chats. */
  private static @Nullable Long idIn(@Nullable MessageAddress message, String chat) {
    return message != null && message.chat().equals(chat) ? message.messageId() : null;
  }

  private Mono<Placed> sendFile(String channel, OutboundAttachment upload, @Nullable MessageAddress replyTo,
      @Nullable MessageAddress thread) {
    Attachment attachment = upload.attachment();
    return upload.content().flatMap(data -> {
      if (data.length > maxUploadBytes) {
        // The size was not known before the download: link it instead, in a message of its own.
        return sendText(channel, HtmlWriter.write(linkNote(attachment)), replyTo, thread);
      }
      boolean photo = isPhoto(attachment, data.length);
      return sendFile(channel, attachment, data, photo, replyTo, thread).onErrorResume(TelegramApiException.class, e ->
          photo && e.errorCode() == 400
              ? sendFile(channel, attachment, data, false, replyTo, thread) // Telegram could not process the image
              : Mono.error(e));
    });
  }

  private Mono<Placed> sendFile(String channel, Attachment attachment, byte[] data, boolean photo,
      @Nullable MessageAddress replyTo, @Nullable MessageAddress thread) {
    String field = photo ? "photo" : "document";
    MediaType type = MediaType.parse(attachment.mediaType());
    RequestBody file = RequestBody.create(data, type != null ? type : MediaType.get("application/octet-stream"));
    return send(channel, photo ? "sendPhoto" : "sendDocument", chat -> {
      MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
          .addFormDataPart("chat_id", chat);
      Long threadId = idIn(thread, chat);
      if (threadId != null) {
        form.addFormDataPart("message_thread_id", Long.toString(threadId));
      }
      Long replyId = idIn(replyTo, chat);
      if (replyId != null) {
        form.addFormDataPart("reply_parameters", Json.mapper().writeValueAsString(replyParameters(replyId)));
      }
      return form.addFormDataPart(field, attachment.fileName(), file).build();
    });
  }

  private static boolean isPhoto(Attachment attachment, long size) {
    String type = attachment.mediaType().toLowerCase(Locale.ROOT);
    return attachment.kind() == Attachment.Kind.IMAGE && size <= PHOTO_LIMIT
        && (type.equals("image/jpeg") || type.equals("image/png") || type.equals("image/webp"));
  }

  /** A line that names a file too large to upload, linked when the source platform gave a link. */
  private static FormattedText linkNote(Attachment attachment) {
    String prefix = "\n\uD83D\uDCCE ";
    String name = attachment.fileName();
    String size = attachment.sizeBytes() >= 0 ? " (" + megabytes(attachment.sizeBytes()) + ")" : "";
    if (attachment.url() == null) {
      return FormattedText.plain(prefix + name + size + ", too large to relay here");
    }
    FormattedText linked = new FormattedText(prefix + name,
        List.of(new Span(Span.Kind.TEXT_LINK, prefix.length(), prefix.length() + name.length(), attachment.url())));
    return linked.append(FormattedText.plain(size));
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  // ---------------------------------------------------------------- edit

  Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return Mono.defer(() -> {
      MessageAddress address = MessageAddress.of(copy);
      if (address == null) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId + "': " + copy
            + " is not a Telegram message id; it cannot be edited"));
      }
      String chat = address.chat();
      SentMessage before = orElse(sent.get(copy), SentMessage.single(address.messageId()));
      List<SentMessage.Part> oldText = before.textParts();
      List<String> chunks = chunks(message.text(), FormattedText.plain(""));
      if (chunks.isEmpty() && before.fileParts().isEmpty()) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId
            + "': a Telegram message cannot be edited to be empty; delete it instead (" + copy + ")"));
      }
      MessageAddress thread = MessageAddress.of(message.threadRoot());
      List<SentMessage.Part> after = new ArrayList<>();
      int count = Math.max(oldText.size(), chunks.size());
      return Flux.range(0, count)
          .concatMap(i -> {
            if (i < oldText.size() && i < chunks.size()) {
              SentMessage.Part old = oldText.get(i);
              String html = chunks.get(i);
              after.add(new SentMessage.Part(old.messageId(), html));
              return html.equals(old.html()) ? Mono.empty() : editText(chat, old.messageId(), html);
            }
            if (i < chunks.size()) {
              String html = chunks.get(i);
              Long threadId = idIn(thread, chat);
              return change(chat, "sendMessage", chatParameter -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("chat_id", chatParameter);
                if (threadId != null) {
                  p.put("message_thread_id", threadId);
                }
                p.put("text", html);
                p.put("parse_mode", "HTML");
                p.put("link_preview_options", NO_PREVIEW);
                return Json.requestBody(p);
              }).doOnNext(result -> after.add(new SentMessage.Part(messageId(result), html))).then();
            }
            return deleteOne(chat, oldText.get(i).messageId());
          })
          .then(Mono.fromRunnable(() -> {
            SentMessage result = before.withText(after);
            if (result.worthTracking()) {
              sent.put(copy, result);
            } else {
              sent.remove(copy);
            }
          }));
    });
  }

  private Mono<Void> editText(String chat, long messageId, String html) {
    return change(chat, "editMessageText", chatParameter -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chatParameter);
      p.put("message_id", messageId);
      p.put("text", html);
      p.put("parse_mode", "HTML");
      p.put("link_preview_options", NO_PREVIEW);
      return Json.requestBody(p);
    }).then().onErrorResume(TelegramApiException.class, e ->
        e.says("message is not modified") ? Mono.empty() : Mono.error(e));
  }

  // ---------------------------------------------------------------- delete

  Mono<Void> delete(MessageRef copy) {
    return Mono.defer(() -> {
      MessageAddress address = MessageAddress.of(copy);
      if (address == null) {
        return Mono.empty(); // never a message of ours, so nothing of ours to delete
      }
      SentMessage message = orElse(sent.get(copy), SentMessage.single(address.messageId()));
      return Flux.fromIterable(message.parts())
          .concatMap(part -> deleteOne(address.chat(), part.messageId()))
          .then(Mono.fromRunnable(() -> {
            sent.remove(copy);
            reactions.remove(copy);
          }));
    });
  }

  private Mono<Void> deleteOne(String chat, long messageId) {
    return change(chat, "deleteMessage", chatParameter -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chatParameter);
      p.put("message_id", messageId);
      return Json.requestBody(p);
    }).then().onErrorResume(TelegramApiException.class, e ->
        e.says("message to delete not found") ? Mono.empty() : Mono.error(e));
  }

  // ---------------------------------------------------------------- reactions

  /**
   * Adds or removes one of the reactions the bot shows for the bridge. A bot has at most one
   * reaction per message, so it shows the latest one that is still wanted.
   */
  Mono<Void> react(MessageRef target, Emoji emoji, boolean add) {
    return Mono.defer(() -> {
      MessageAddress address = MessageAddress.of(target);
      String reaction = ReactionEmoji.toTelegram(emoji);
      if (address == null) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId + "': " + target
            + " is not a Telegram message id; it cannot get reactions"));
      }
      if (reaction == null || !ReactionEmoji.isAllowed(reaction)) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId + "': Telegram bots can only react"
            + " with Telegram's reaction emoji, and " + (emoji.unicode() == null ? ":" + emoji.name() + ":" : emoji.unicode())
            + " is none of them"));
      }
      LinkedHashMap<String, Integer> wanted = reactions.update(target, old -> {
        LinkedHashMap<String, Integer> next = old == null ? new LinkedHashMap<>() : new LinkedHashMap<>(old);
        if (add) {
          next.remove(reaction);
          next.merge(reaction, 1, Integer::sum);
        } else {
          next.computeIfPresent(reaction, (k, n) -> n > 1 ? n - 1 : null);
        }
        return next;
      });
      String shown = null;
      for (String candidate : wanted.keySet()) {
        shown = candidate; // the most recently added one that is still wanted
      }
      List<Map<String, String>> types = shown == null ? List.of() : List.of(Map.of("type", "emoji", "emoji", shown));
      return change(address.chat(), "setMessageReaction", chatParameter -> {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("chat_id", chatParameter);
        p.put("message_id", address.messageId());
        p.put("reaction", types);
        return Json.requestBody(p);
      }).then();
    });
  }

  // ---------------------------------------------------------------- shared

  /**
   * Sends a new message to {@code channel}'s chat, within the sending limits; when Telegram answers
   * that the chat was migrated, records the move and sends it to the supergroup instead.
   *
   * @param body the request for the chat it goes to
   */
  private Mono<Placed> send(String channel, String method, Function<String, RequestBody> body) {
    return Mono.defer(() -> {
      String chat = migrations.target(channel);
      Mono<JsonNode> call = Mono.defer(() -> api.call(api.http(), method, body.apply(chat), method + " to chat " + chat));
      return limiter.submit(chat, call).map(result -> new Placed(chat, messageId(result)))
          .onErrorResume(TelegramApiException.class, e -> {
            Long movedTo = e.migrateToChatId();
            if (movedTo == null || movedTo.toString().equals(chat)) {
              return Mono.error(e);
            }
            migrations.moved(chat, movedTo.toString());
            return send(channel, method, body);
          });
    });
  }

  /**
   * A request about an existing message in {@code chat}, within the sending limits. It is never
   * redirected: a message in a group Telegram upgraded stays in that group, where it can no longer
   * be changed, and the same id in the supergroup is another message.
   *
   * @param body the request, given the {@code chat_id} value
   */
  private Mono<JsonNode> change(String chat, String method, Function<Object, RequestBody> body) {
    Mono<JsonNode> call = Mono.defer(() ->
        api.call(api.http(), method, body.apply(chatParameter(chat)), method + " in chat " + chat));
    return limiter.submit(chat, call).onErrorMap(TelegramApiException.class, e -> {
      Long movedTo = e.migrateToChatId();
      if (movedTo == null) {
        return e;
      }
      migrations.moved(chat, movedTo.toString());
      return DeliveryException.permanent("connector '" + connectorId + "': Telegram chat " + chat
          + " was upgraded to the supergroup " + movedTo + "; its messages from before the upgrade cannot be changed"
          + " (" + method + ")");
    });
  }

  /** Numeric ids go as JSON numbers, {@code @username}s of channels as strings. */
  private static Object chatParameter(String chat) {
    try {
      return Long.parseLong(chat);
    } catch (NumberFormatException notNumeric) {
      return chat;
    }
  }

  /** The reply target; a missing target is no reason to lose the message. */
  private static Map<String, Object> replyParameters(long messageId) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("message_id", messageId);
    p.put("allow_sending_without_reply", true);
    return p;
  }

  private List<String> chunks(RenderedText text, FormattedText notes) {
    FormattedText formatted = formatter.format(text.source());
    boolean plainMarkup = notes.text().isEmpty();
    if (!plainMarkup) {
      formatted = formatted.append(notes);
    }
    List<FormattedText> parts = TextSplitter.split(formatted, TEXT_LIMIT);
    if (parts.size() == 1 && plainMarkup) {
      return List.of(text.markup()); // rendered once by the relay and shared by every destination
    }
    List<String> html = new ArrayList<>(parts.size());
    for (FormattedText part : parts) {
      html.add(HtmlWriter.write(part));
    }
    return html;
  }

  /** The {@code message_id} of a sent Message. */
  private static long messageId(JsonNode message) {
    JsonNode id = message.get("message_id");
    if (id == null || !id.isIntegralNumber()) {
      throw DeliveryException.transientFailure("Telegram answered a send without a message_id; retrying", null);
    }
    return id.asLong();
  }

  private static <T> T orElse(@Nullable T value, T fallback) {
    return value == null ? fallback : value;
  }
}
