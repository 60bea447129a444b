package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.internal.FaultPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control API of the Matrix emulator, in-process: people act as a Matrix client would on
 * their behalf (joining the room on their first post, uploading attachments to the media
 * repository, sending replies, threads, edits, reactions and redactions as events).
 */
final class MatrixControl implements SandboxControl {
  private final MatrixState state;
  private final FaultPlan faults;

  MatrixControl(MatrixState state, FaultPlan faults) {
    this.state = state;
    this.faults = faults;
  }

  @Override
  public String platform() {
    return "matrix";
  }

  @Override
  public Flux<SandboxUser> users() {
    return Flux.defer(() -> {
      synchronized (state) {
        return Flux.fromIterable(state.users.values().stream().map(HistoryView::sandboxUser).toList());
      }
    });
  }

  @Override
  public Mono<SandboxUser> createUser(NewUser user) {
    return call(() -> {
      Objects.requireNonNull(user, "user");
      if (user.displayName() == null || user.displayName().isBlank()) {
        throw SandboxException.invalid("a user needs a display name");
      }
      return HistoryView.sandboxUser(state.createHuman(user.displayName(), user.username(), user.avatarUrl()));
    });
  }

  @Override
  public Flux<SandboxChannel> channels() {
    return Flux.defer(() -> {
      synchronized (state) {
        return Flux.fromIterable(state.rooms.values().stream().map(HistoryView::channel).toList());
      }
    });
  }

  @Override
  public Mono<SandboxChannel> createChannel(NewChannel channel) {
    return call(() -> {
      Objects.requireNonNull(channel, "channel");
      if (channel.name() == null || channel.name().isBlank()) {
        throw SandboxException.invalid("a room needs a name");
      }
      String type = channel.type() == null ? "private" : channel.type();
      if (!type.equals("private") && !type.equals("public")) {
        throw SandboxException.invalid("Matrix rooms are of type private (join by invite) or public; got " + type);
      }
      synchronized (state) {
        if (state.bots.isEmpty()) {
          throw SandboxException.invalid("the emulator has no bot to create rooms; add one to the builder");
        }
        MxUser creator = state.users.get(state.bots.get(0));
        List<String> others = new ArrayList<>(state.bots.subList(1, state.bots.size()));
        ObjectNode override = MatrixState.obj();
        ObjectNode levels = override.putObject("users");
        levels.put(creator.id, 100);
        others.forEach(b -> levels.put(b, 50));
        MxRoom room = state.createRoom(creator, new MatrixState.RoomSpec(
            channel.name().strip(), null, null, type.equals("public") ? "public_chat" : "private_chat", others, false,
            List.of(), override, null, MatrixState.DEFAULT_ROOM_VERSION), null);
        for (String bot : others) {
          state.join(bot, room.id, null);
        }
        return HistoryView.channel(room);
      }
    });
  }

  private MxUser human(String userId) {
    MxUser user = state.user(userId);
    if (user == null) {
      throw SandboxException.notFound("no Matrix user " + userId + "; create one with createUser");
    }
    if (user.kind != Author.Kind.USER) {
      throw SandboxException.invalid(userId + " is a bot or an application service user; those act through the client-server API");
    }
    return user;
  }

  private MxRoom room(String roomId) {
    synchronized (state) {
      MxRoom room = state.rooms.get(roomId);
      if (room == null) {
        throw SandboxException.notFound("no Matrix room " + roomId + "; create one with createChannel");
      }
      return room;
    }
  }

  private static MxEvent message(MxRoom room, String eventId) {
    MxEvent e = room.byId.get(eventId);
    if (e == null || !HistoryView.isMessage(e)) {
      throw SandboxException.notFound("no message " + eventId + " in room " + room.id);
    }
    return e;
  }

  @Override
  public Mono<HistoryEntry> post(Post post) {
    return call(() -> {
      Objects.requireNonNull(post, "post");
      MxUser user = human(post.userId());
      synchronized (state) {
        MxRoom room = room(post.channelId());
        ObjectNode content = MatrixState.obj();
        ControlText.Parsed text = ControlText.parse(post.text());
        if (post.attachment() != null) {
          var file = post.attachment();
          if (file.size() == 0) {
            throw SandboxException.invalid("an attachment must not be empty");
          }
          MediaItem item = state.storeMedia(user.id, file.mediaType(), file.fileName(), file.data());
          String type = file.mediaType();
          content.put("msgtype", type.startsWith("image/") ? "m.image" : type.startsWith("video/") ? "m.video"
              : type.startsWith("audio/") ? "m.audio" : "m.file");
          if (post.text().isEmpty()) {
            new ControlText.Parsed(file.fileName(), null, java.util.Set.of()).into(content);
          } else {
            text.into(content);
            content.put("filename", file.fileName());
          }
          content.put("url", item.mxc(state.serverName));
          ObjectNode info = content.putObject("info");
          info.put("mimetype", type);
          info.put("size", file.size());
          ImageSize size = type.startsWith("image/") ? ImageSize.of(file.data()) : null;
          if (size != null) {
            info.put("w", size.width());
            info.put("h", size.height());
          }
        } else {
          if (post.text().isBlank()) {
            throw SandboxException.invalid("a message needs text or an attachment");
          }
          text.into(content);
        }
        ObjectNode relation = null;
        if (post.threadId() != null) {
          MxEvent root = message(room, post.threadId());
          relation = content.putObject("m.relates_to");
          relation.put("rel_type", "m.thread");
          relation.put("event_id", root.eventId);
          String inReplyTo = post.replyTo() != null ? message(room, post.replyTo()).eventId : latestInThread(room, root);
          relation.put("is_falling_back", post.replyTo() == null);
          relation.putObject("m.in_reply_to").put("event_id", inReplyTo);
        } else if (post.replyTo() != null) {
          MxEvent target = message(room, post.replyTo());
          relation = content.putObject("m.relates_to");
          relation.putObject("m.in_reply_to").put("event_id", target.eventId);
        }
        if (post.replyTo() != null) {
          String repliedSender = room.byId.get(post.replyTo()).sender;
          if (!repliedSender.equals(user.id)) {
            ObjectNode mentions = (ObjectNode) content.get("m.mentions");
            var ids = mentions.has("user_ids") ? (tools.jackson.databind.node.ArrayNode) mentions.get("user_ids") : mentions.putArray("user_ids");
            boolean present = false;
            for (var id : ids) {
              present |= id.asString().equals(repliedSender);
            }
            if (!present) {
              ids.add(repliedSender);
            }
          }
        }
        MxEvent e = state.sendAs(user.id, room.id, "m.room.message", content);
        return HistoryView.entry(state, room, e);
      }
    });
  }

  private static String latestInThread(MxRoom room, MxEvent root) {
    String latest = root.eventId;
    for (int i = room.indexAfter(root.pos); i < room.events.size(); i++) {
      MxEvent e = room.events.get(i);
      if ("m.thread".equals(e.relType()) && root.eventId.equals(e.relatesTo())) {
        latest = e.eventId;
      }
    }
    return latest;
  }

  @Override
  public Mono<HistoryEntry> createThread(String channelId, String userId, String title) {
    return post(Post.of(channelId, userId, title));
  }

  @Override
  public Mono<HistoryEntry> edit(String channelId, String messageId, String userId, String text) {
    return call(() -> {
      MxUser user = human(userId);
      synchronized (state) {
        MxRoom room = room(channelId);
        MxEvent original = message(room, messageId);
        if (original.redacted()) {
          throw SandboxException.conflict("message " + messageId + " was deleted; it cannot be edited");
        }
        if (!original.sender.equals(user.id)) {
          throw SandboxException.invalid("Matrix lets only the sender edit a message; " + messageId + " is by " + original.sender);
        }
        if (text.isBlank()) {
          throw SandboxException.invalid("an edit needs text");
        }
        ControlText.Parsed parsed = ControlText.parse(text);
        MxEvent current = state.latestEdit(original);
        ObjectNode base = current == null ? original.content.deepCopy() : (ObjectNode) current.content.get("m.new_content").deepCopy();
        base.remove("m.relates_to");
        base.remove("format");
        base.remove("formatted_body");
        base.remove("m.mentions");
        boolean media = base.has("url");
        if (media) {
          base.put("filename", base.path("filename").asString(base.path("body").asString("file")));
        }
        ObjectNode newContent = base;
        parsed.into(newContent);
        ObjectNode content = MatrixState.obj();
        content.put("msgtype", newContent.path("msgtype").asString("m.text"));
        content.put("body", "* " + parsed.body());
        if (parsed.html() != null) {
          content.put("format", "org.matrix.custom.html");
          content.put("formatted_body", "* " + parsed.html());
        }
        content.set("m.new_content", newContent);
        content.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", original.eventId);
        content.putObject("m.mentions");
        state.sendAs(user.id, room.id, original.type, content);
        return HistoryView.entry(state, room, original);
      }
    });
  }

  @Override
  public Mono<Void> delete(String channelId, String messageId, String userId) {
    return call(() -> {
      MxUser user = human(userId);
      synchronized (state) {
        MxRoom room = room(channelId);
        MxEvent target = message(room, messageId);
        if (target.redacted()) {
          return null;
        }
        state.redactAs(user.id, room.id, target.eventId);
        return null;
      }
    }).then();
  }

  @Override
  public Mono<Void> react(String channelId, String messageId, String userId, String emoji) {
    return call(() -> {
      MxUser user = human(userId);
      if (emoji == null || emoji.isBlank()) {
        throw SandboxException.invalid("a reaction needs an emoji");
      }
      synchronized (state) {
        MxRoom room = room(channelId);
        MxEvent target = message(room, messageId);
        if (reaction(room, target, user.id, emoji) == null) {
          ObjectNode content = MatrixState.obj();
          content.putObject("m.relates_to").put("rel_type", "m.annotation").put("event_id", target.eventId).put("key", emoji);
          state.sendAs(user.id, room.id, "m.reaction", content);
        }
        return null;
      }
    }).then();
  }

  @Override
  public Mono<Void> unreact(String channelId, String messageId, String userId, String emoji) {
    return call(() -> {
      MxUser user = human(userId);
      synchronized (state) {
        MxRoom room = room(channelId);
        MxEvent target = message(room, messageId);
        MxEvent reaction = reaction(room, target, user.id, emoji);
        if (reaction != null) {
          state.redactAs(user.id, room.id, reaction.eventId);
        }
        return null;
      }
    }).then();
  }

  private static @Nullable MxEvent reaction(MxRoom room, MxEvent target, String userId, String emoji) {
    for (MxEvent e : room.events) {
      if (e.type.equals("m.reaction") && !e.redacted() && e.sender.equals(userId) && "m.annotation".equals(e.relType())
          && target.eventId.equals(e.relatesTo()) && emoji.equals(e.content.path("m.relates_to").path("key").asString(""))) {
        return e;
      }
    }
    return null;
  }

  @Override
  public Flux<HistoryEntry> history(String channelId) {
    return Flux.defer(() -> {
      synchronized (state) {
        return Flux.fromIterable(HistoryView.history(state, room(channelId)));
      }
    });
  }

  @Override
  public Mono<SandboxFile> file(String attachmentId) {
    return call(() -> {
      String id = attachmentId.startsWith("mxc://") ? attachmentId.substring(6) : attachmentId;
      int slash = id.indexOf('/');
      MediaItem item = slash < 0 ? state.media(state.serverName, id) : state.media(id.substring(0, slash), id.substring(slash + 1));
      if (item == null) {
        throw SandboxException.notFound("no media " + attachmentId);
      }
      String name = item.fileName() == null ? item.mediaId() : item.fileName();
      return new SandboxFile(name, item.contentType(), item.data());
    });
  }

  @Override
  public Mono<Void> injectFault(Fault fault) {
    return Mono.fromRunnable(() -> faults.add(Objects.requireNonNull(fault, "fault")));
  }

  @Override
  public Mono<Void> clearFaults() {
    return Mono.fromRunnable(faults::clear);
  }

  @Override
  public Flux<SandboxEvent> changes() {
    return state.feed.changes();
  }

  @Override
  public Flux<SandboxEvent> changesAfter(long sequence) {
    return state.feed.after(sequence);
  }

  /** Runs a control action, turning the homeserver's refusals into the control API's. */
  private static <T> Mono<T> call(Callable<@Nullable T> action) {
    return Mono.fromCallable(action).onErrorMap(MatrixError.class, e -> new SandboxException(
        e.status == 404 ? SandboxException.Reason.NOT_FOUND : SandboxException.Reason.INVALID,
        e.getMessage() + " (" + e.errcode + ")"));
  }

  @Override
  public String toString() {
    return "MatrixControl";
  }
}
