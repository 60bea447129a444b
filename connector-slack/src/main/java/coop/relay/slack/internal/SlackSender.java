package coop.relay.slack.internal;

import coop.relay.api.Attachment;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.text.Emoji;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import coop.relay.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the connector does on Slack: posts with the author's name and avatar, the origin marker
 * in the message metadata and unfurling off; edits, deletes and reactions; file uploads with a link
 * instead when a file is too big or cannot be uploaded.
 */
final class SlackSender {
  private static final Logger LOG = LoggerFactory.getLogger(SlackSender.class);
  /** Slack shows at most 80 characters of a custom {@code username}. */
  private static final int MAX_USERNAME = 80;
  /** Shown instead of an empty edit, which Slack refuses ({@code no_text}). */
  private static final String EMPTY_TEXT = "\u200B";

  private final SlackWebApi api;
  private final int maxTextLength;
  private final long maxAttachmentBytes;
  private final boolean unfurl;
  /** The later parts of messages that were split, by the ts of their first part. */
  private final BoundedCache<List<String>> continuations;
  private final ThreadRoots threadRoots;

  SlackSender(SlackWebApi api, int maxTextLength, long maxAttachmentBytes, boolean unfurl,
      BoundedCache<List<String>> continuations, ThreadRoots threadRoots) {
    this.api = api;
    this.maxTextLength = maxTextLength;
    this.maxAttachmentBytes = maxAttachmentBytes;
    this.unfurl = unfurl;
    this.continuations = continuations;
    this.threadRoots = threadRoots;
  }

  Mono<MessageRef> post(OutboundMessage message) {
    String channel = message.destination().channelId();
    String threadTs = threadTs(message);
    return Flux.fromIterable(message.attachments())
        .concatMap(attachment -> prepare(channel, attachment))
        .collectList()
        .flatMap(files -> {
          String text = message.text().markup() + linkLines(files);
          List<Prepared> uploaded = files.stream().filter(f -> f.fileId() != null).toList();
          if (text.isBlank()) {
            if (uploaded.isEmpty()) {
              return Mono.error(DeliveryException.permanent(
                  "nothing to post to Slack channel " + channel + ": the message has no text and no files"));
            }
            text = fileNames(uploaded);
          }
          List<String> chunks = TextChunks.split(text, maxTextLength);
          return postChunk(message, channel, threadTs, chunks.get(0)).flatMap(first -> {
            if (threadTs != null) {
              threadRoots.remember(channel, first, threadTs);
            }
            Mono<Void> rest = Flux.fromIterable(chunks.subList(1, chunks.size()))
                .concatMap(chunk -> postChunk(message, channel, threadTs, chunk))
                .collectList()
                .doOnNext(later -> {
                  if (!later.isEmpty()) {
                    continuations.put(channel + "/" + first, later);
                  }
                })
                .then();
            return rest.then(share(channel, threadTs, uploaded)).thenReturn(message.destination().message(first));
          });
        });
  }

  Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return Mono.defer(() -> {
      String channel = copy.channel().channelId();
      String text = message.text().markup();
      if (text.isBlank()) {
        text = EMPTY_TEXT;
      }
      if (text.length() > maxTextLength) {
        text = TextChunks.split(text, maxTextLength - 1).get(0) + "…";
      }
      Map<String, String> form = new LinkedHashMap<>();
      form.put("channel", channel);
      form.put("ts", copy.messageId());
      form.put("text", text);
      form.put("link_names", "false");
      form.put("metadata", metadata(message.origin()));
      return api.post("chat.update", "chat:" + channel, channel, form).then();
    });
  }

  Mono<Void> delete(MessageRef copy) {
    return Mono.defer(() -> {
      String channel = copy.channel().channelId();
      List<String> later = continuations.get(channel + "/" + copy.messageId());
      List<String> all = new ArrayList<>();
      all.add(copy.messageId());
      if (later != null) {
        all.addAll(later);
      }
      return Flux.fromIterable(all)
          .concatMap(ts -> api.post("chat.delete", "chat:" + channel, channel, Map.of("channel", channel, "ts", ts))
              .then()
              // Deleting what is already gone is done.
              .onErrorResume(e -> SlackApiError.is(e, "message_not_found"), e -> Mono.empty()))
          .then(Mono.fromRunnable(() -> continuations.remove(channel + "/" + copy.messageId())));
    });
  }

  /** Adds or removes the bot's reaction; an existing reaction or a missing one is no failure. */
  Mono<Void> react(MessageRef message, Emoji emoji, boolean add) {
    return Mono.defer(() -> {
      String name = EmojiNames.toSlackName(emoji);
      String channel = message.channel().channelId();
      if (name == null) {
        return Mono.error(DeliveryException.permanent("the emoji " + emoji.name()
            + " has no Slack name, so it cannot be a reaction on Slack"));
      }
      Map<String, String> form = Map.of("channel", channel, "timestamp", message.messageId(), "name", name);
      String benign = add ? "already_reacted" : "no_reaction";
      return api.post(add ? "reactions.add" : "reactions.remove", "reactions:" + channel, channel, form)
          .then()
          .onErrorResume(e -> SlackApiError.is(e, benign), e -> Mono.empty());
    });
  }

  private Mono<String> postChunk(OutboundMessage message, String channel, @Nullable String threadTs, String text) {
    Identity author = message.author();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("channel", channel);
    form.put("text", text);
    String name = author.displayName();
    form.put("username", name.length() > MAX_USERNAME ? name.substring(0, MAX_USERNAME) : name);
    if (author.avatarUrl() != null) {
      form.put("icon_url", author.avatarUrl());
    }
    if (threadTs != null) {
      form.put("thread_ts", threadTs);
    }
    form.put("metadata", metadata(message.origin()));
    form.put("link_names", "false");
    form.put("unfurl_links", Boolean.toString(unfurl));
    form.put("unfurl_media", Boolean.toString(unfurl));
    return api.post("chat.postMessage", "chat:" + channel, channel, form).flatMap(node -> {
      String ts = Nodes.text(node, "ts");
      return ts.isEmpty()
          ? Mono.error(DeliveryException.transientFailure("Slack answered chat.postMessage without a ts", null))
          : Mono.just(ts);
    });
  }

  /**
   * Uploads one file (without sharing it yet), or decides on a link: when it is above the limit,
   * when Slack refuses it, or when its bytes cannot be fetched. Bad credentials still fail the post.
   */
  private Mono<Prepared> prepare(String channel, OutboundAttachment outbound) {
    Attachment attachment = outbound.attachment();
    if (attachment.sizeBytes() > maxAttachmentBytes) {
      return Mono.just(Prepared.link(attachment));
    }
    return outbound.content()
        .flatMap(bytes -> {
          if (bytes.length > maxAttachmentBytes || bytes.length == 0) {
            return Mono.just(Prepared.link(attachment));
          }
          Map<String, String> form = Map.of("filename", attachment.fileName(), "length", Integer.toString(bytes.length));
          return api.post("files.getUploadURLExternal", "files", channel, form).flatMap(node -> {
            String url = Nodes.text(node, "upload_url");
            String id = Nodes.text(node, "file_id");
            if (url.isEmpty() || id.isEmpty()) {
              return Mono.error(DeliveryException.permanent("Slack answered files.getUploadURLExternal without a URL"));
            }
            return api.upload(url, attachment.fileName(), attachment.mediaType(), bytes)
                .thenReturn(new Prepared(attachment, id));
          });
        })
        .switchIfEmpty(Mono.fromSupplier(() -> Prepared.link(attachment)))
        .onErrorResume(e -> !(e instanceof CredentialsRejectedException), e -> {
          LOG.warn("Could not upload {} to Slack channel {} ({}); linking to it instead", attachment.fileName(), channel,
              e.getMessage());
          return Mono.just(Prepared.link(attachment));
        });
  }

  /** Shares the uploaded files into the channel (and thread), after the text. */
  private Mono<Void> share(String channel, @Nullable String threadTs, List<Prepared> uploaded) {
    if (uploaded.isEmpty()) {
      return Mono.empty();
    }
    List<Map<String, String>> files = uploaded.stream()
        .map(f -> Map.of("id", String.valueOf(f.fileId()), "title", f.attachment().fileName()))
        .toList();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("files", Json.mapper().writeValueAsString(files));
    form.put("channel_id", channel);
    if (threadTs != null) {
      form.put("thread_ts", threadTs);
    }
    return api.post("files.completeUploadExternal", "files", channel, form)
        .then()
        .onErrorResume(e -> !(e instanceof CredentialsRejectedException), e -> {
          // The text is posted; failing now would make the relay post it again.
          LOG.warn("Posted to Slack channel {}, but could not share {} file(s) with it: {}", channel, uploaded.size(),
              e.getMessage());
          return Mono.empty();
        });
  }

  private @Nullable String threadTs(OutboundMessage message) {
    String channel = message.destination().channelId();
    if (message.threadRoot() != null) {
      return threadRoots.rootOf(channel, message.threadRoot().messageId());
    }
    // Slack has no replies: a reply goes into the thread of the message it answers, and when that
    // message is itself in a thread, into that thread (Slack wants the root's ts, not a reply's).
    return message.replyTo() == null ? null : threadRoots.rootOf(channel, message.replyTo().messageId());
  }

  /** The message metadata that carries the origin marker; it comes back in the echo's events. */
  static String metadata(OriginMarker origin) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("event_type", SlackEvent.MARKER_EVENT_TYPE);
    metadata.put("event_payload", Map.of("origin", origin.encode()));
    return Json.mapper().writeValueAsString(metadata);
  }

  private static String linkLines(List<Prepared> files) {
    StringBuilder out = new StringBuilder();
    for (Prepared file : files) {
      if (file.fileId() != null) {
        continue;
      }
      Attachment attachment = file.attachment();
      out.append('\n');
      String url = attachment.url();
      if (url != null && Urls.hasScheme(url)) {
        out.append('<').append(Urls.escapeForAngle(url)).append('|');
        MrkdwnRenderer.escape(attachment.fileName(), out);
        out.append('>');
      } else {
        MrkdwnRenderer.escape(attachment.fileName() + " (file not bridged)", out);
      }
    }
    return out.toString();
  }

  private static String fileNames(List<Prepared> uploaded) {
    StringBuilder out = new StringBuilder();
    for (Prepared file : uploaded) {
      if (out.length() > 0) {
        out.append(", ");
      }
      MrkdwnRenderer.escape(file.attachment().fileName(), out);
    }
    return out.toString();
  }

  /**
   * One attachment after preparing: uploaded as {@code fileId}, or to be linked when it is {@code null}.
   */
  private record Prepared(Attachment attachment, @Nullable String fileId) {
    static Prepared link(Attachment attachment) {
      return new Prepared(attachment, null);
    }
  }
}
