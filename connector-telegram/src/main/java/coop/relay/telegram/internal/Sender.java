package coop.relay.telegram.internal;

import coop.relay.api.Attachment;
import coop.relay.api.DeliveryException;
import coop.relay.api.MessageRef;
import coop.relay.api.text.Emoji;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
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
  private final BoundedMap<String, List<SentMessage.Part>> unfinished = new BoundedMap<>(1_000);
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
      Long replyTo = numericId(message.replyTo());
      Long thread = numericId(message.threadRoot());
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
      List<SentMessage.Part> done = new ArrayList<>(orEmpty(unfinished.get(key)));
      return Flux.fromIterable(steps.subList(Math.min(done.size(), steps.size()), steps.size()))
          .concatMap(step -> {
            Long reply = done.isEmpty() ? replyTo : null;
            Mono<SentMessage.Part> part = step.html() != null
                ? sendText(channel, step.html(), reply, thread).map(id -> new SentMessage.Part(id, step.html()))
                : sendFile(channel, step.upload(), reply, thread).map(id -> new SentMessage.Part(id, null));
            return part.doOnNext(p -> {
              done.add(p);
              unfinished.put(key, List.copyOf(done));
            });
          })
          .then(Mono.fromCallable(() -> {
            unfinished.remove(key);
            SentMessage result = new SentMessage(done);
            MessageRef ref = message.destination().message(Long.toString(done.get(0).messageId()));
            if (result.worthTracking()) {
              sent.put(ref, result);
            }
            return ref;
          }));
    });
  }

  private record Step(@Nullable String html, @Nullable OutboundAttachment upload) {}

  private Mono<Long> sendText(String channel, String html, @Nullable Long replyTo, @Nullable Long thread) {
    return request(channel, "sendMessage", chat -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chat);
      if (thread != null) {
        p.put("message_thread_id", thread);
      }
      p.put("text", html);
      p.put("parse_mode", "HTML");
      p.put("link_preview_options", NO_PREVIEW);
      if (replyTo != null) {
        p.put("reply_parameters", replyParameters(replyTo));
      }
      return Json.requestBody(p);
    }).map(Sender::messageId).onErrorResume(TelegramApiException.class, e -> {
      if (thread != null && e.says("thread not found")) {
        // Outside forums, a "thread" is the replies to its first message: answer that message instead.
        LOG.debug("Telegram chat {} has no thread {}; replying to its first message instead", channel, thread);
        return sendText(channel, html, replyTo != null ? replyTo : thread, null);
      }
      return Mono.error(e);
    });
  }

  private Mono<Long> sendFile(String channel, OutboundAttachment upload, @Nullable Long replyTo, @Nullable Long thread) {
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

  private Mono<Long> sendFile(String channel, Attachment attachment, byte[] data, boolean photo,
      @Nullable Long replyTo, @Nullable Long thread) {
    String field = photo ? "photo" : "document";
    MediaType type = MediaType.parse(attachment.mediaType());
    RequestBody file = RequestBody.create(data, type != null ? type : MediaType.get("application/octet-stream"));
    return request(channel, photo ? "sendPhoto" : "sendDocument", chat -> {
      MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
          .addFormDataPart("chat_id", chat.toString());
      if (thread != null) {
        form.addFormDataPart("message_thread_id", Long.toString(thread));
      }
      if (replyTo != null) {
        form.addFormDataPart("reply_parameters", Json.mapper().writeValueAsString(replyParameters(replyTo)));
      }
      return form.addFormDataPart(field, attachment.fileName(), file).build();
    }).map(Sender::messageId);
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
      String channel = copy.channel().channelId();
      Long copyId = numericId(copy);
      if (copyId == null) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId + "': " + copy
            + " is not a Telegram message id; it cannot be edited"));
      }
      SentMessage before = orElse(sent.get(copy), SentMessage.single(copyId));
      List<SentMessage.Part> oldText = before.textParts();
      List<String> chunks = chunks(message.text(), FormattedText.plain(""));
      if (chunks.isEmpty() && before.fileParts().isEmpty()) {
        return Mono.error(DeliveryException.permanent("connector '" + connectorId
            + "': a Telegram message cannot be edited to be empty; delete it instead (" + copy + ")"));
      }
      Long thread = numericId(message.threadRoot());
      List<SentMessage.Part> after = new ArrayList<>();
      int count = Math.max(oldText.size(), chunks.size());
      return Flux.range(0, count)
          .concatMap(i -> {
            if (i < oldText.size() && i < chunks.size()) {
              SentMessage.Part old = oldText.get(i);
              String html = chunks.get(i);
              SentMessage.Part now = new SentMessage.Part(old.messageId(), html);
              after.add(now);
              return html.equals(old.html()) ? Mono.empty() : editText(channel, old.messageId(), html);
            }
            if (i < chunks.size()) {
              String html = chunks.get(i);
              return sendText(channel, html, null, thread)
                  .doOnNext(id -> after.add(new SentMessage.Part(id, html)))
                  .then();
            }
            return deleteOne(channel, oldText.get(i).messageId());
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

  private Mono<Void> editText(String channel, long messageId, String html) {
    return request(channel, "editMessageText", chat -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chat);
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
      Long copyId = numericId(copy);
      if (copyId == null) {
        return Mono.empty(); // never a message of ours, so nothing of ours to delete
      }
      SentMessage message = orElse(sent.get(copy), SentMessage.single(copyId));
      String channel = copy.channel().channelId();
      return Flux.fromIterable(message.parts())
          .concatMap(part -> deleteOne(channel, part.messageId()))
          .then(Mono.fromRunnable(() -> {
            sent.remove(copy);
            reactions.remove(copy);
          }));
    });
  }

  private Mono<Void> deleteOne(String channel, long messageId) {
    return request(channel, "deleteMessage", chat -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("chat_id", chat);
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
      Long messageId = numericId(target);
      String reaction = ReactionEmoji.toTelegram(emoji);
      if (messageId == null) {
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
      String channel = target.channel().channelId();
      return request(channel, "setMessageReaction", chat -> {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("chat_id", chat);
        p.put("message_id", messageId);
        p.put("reaction", types);
        return Json.requestBody(p);
      }).then();
    });
  }

  // ---------------------------------------------------------------- shared

  /**
   * One request to {@code channel}'s chat, within the sending limits; when Telegram answers that the
   * chat was migrated, records the move and sends the same request to the supergroup.
   */
  private Mono<JsonNode> request(String channel, String method, Function<Object, RequestBody> body) {
    return Mono.defer(() -> {
      String chat = migrations.target(channel);
      Mono<JsonNode> call = Mono.defer(() ->
          api.call(api.http(), method, body.apply(chatParameter(chat)), method + " to chat " + chat));
      return limiter.submit(chat, call).onErrorResume(TelegramApiException.class, e -> {
        Long movedTo = e.migrateToChatId();
        if (movedTo == null || movedTo.toString().equals(chat)) {
          return Mono.error(e);
        }
        migrations.moved(chat, movedTo.toString());
        return request(channel, method, body);
      });
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

  private static @Nullable Long numericId(@Nullable MessageRef ref) {
    if (ref == null) {
      return null;
    }
    try {
      return Long.parseLong(ref.messageId());
    } catch (NumberFormatException notTelegram) {
      return null;
    }
  }

  private static <T> List<T> orEmpty(@Nullable List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <T> T orElse(@Nullable T value, T fallback) {
    return value == null ? fallback : value;
  }
}
