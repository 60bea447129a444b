package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxAttachment;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.SandboxUser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The control API's neutral view of the homeserver: users, rooms as channels, and messages as
 * history entries with their latest valid edit applied and their reactions aggregated. Called under
 * the state's lock.
 */
final class HistoryView {
  private HistoryView() {}

  static SandboxUser sandboxUser(MxUser u) {
    String name = u.displayName == null ? u.localpart() : u.displayName;
    return new SandboxUser(u.id, name, u.localpart(), u.sandboxAvatar != null ? u.sandboxAvatar : u.avatarUrl,
        u.kind == Author.Kind.BOT);
  }

  static SandboxChannel channel(MxRoom room) {
    String name = room.name();
    return new SandboxChannel(room.id, name == null ? room.id : name, room.joinRule().equals("public") ? "public" : "private", null);
  }

  /** Whether the event is a message of the history: a message or sticker that is not an edit. */
  static boolean isMessage(MxEvent e) {
    return !e.isState() && !e.edit && (e.type.equals("m.room.message") || e.type.equals("m.sticker"));
  }

  static HistoryEntry entry(MatrixState state, MxRoom room, MxEvent e) {
    MxEvent edit = state.latestEdit(e);
    JsonNode content = edit == null ? e.content : edit.content.get("m.new_content");
    JsonNode relation = e.content.path("m.relates_to");
    String threadId = "m.thread".equals(relation.path("rel_type").asString(null)) ? relation.path("event_id").asString(null) : null;
    String replyTo = relation.path("m.in_reply_to").path("event_id").asString(null);
    if (threadId != null && relation.path("is_falling_back").asBoolean(false)) {
      replyTo = null;
    }
    String formatted = "org.matrix.custom.html".equals(content.path("format").asString(null))
        ? content.path("formatted_body").asString(null) : null;
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    for (int i = room.indexAfter(e.pos); i < room.events.size(); i++) {
      MxEvent r = room.events.get(i);
      if (r.type.equals("m.reaction") && !r.redacted() && "m.annotation".equals(r.relType()) && e.eventId.equals(r.relatesTo())) {
        String key = r.content.path("m.relates_to").path("key").asString("");
        List<String> who = reactions.computeIfAbsent(key, k -> new ArrayList<>());
        if (!who.contains(r.sender)) {
          who.add(r.sender);
        }
      }
    }
    List<SandboxReaction> reactionList = new ArrayList<>();
    reactions.forEach((k, v) -> reactionList.add(new SandboxReaction(k, v)));
    List<SandboxAttachment> attachments = new ArrayList<>();
    String url = content.path("url").asString(null);
    if (url != null && url.startsWith("mxc://")) {
      MediaItem item = null;
      int slash = url.indexOf('/', 6);
      if (slash > 0) {
        item = state.media(url.substring(6, slash), url.substring(slash + 1));
      }
      JsonNode info = content.path("info");
      String fileName = content.path("filename").asString(content.path("body").asString("file"));
      String type = info.path("mimetype").asString(item == null ? "application/octet-stream" : item.contentType());
      long size = info.path("size").asLong(item == null ? 0 : item.data().length);
      String base = state.baseUrl();
      attachments.add(new SandboxAttachment(url, fileName, type, size,
          base == null ? null : base + "/_sandbox/files/" + URLEncoder.encode(url, StandardCharsets.UTF_8)));
    }
    return new HistoryEntry(
        e.eventId,
        room.id,
        author(state, room, e.sender),
        content.path("body").asString(""),
        formatted,
        replyTo,
        threadId,
        reactionList,
        attachments,
        edit != null,
        e.redacted(),
        Instant.ofEpochMilli(e.ts),
        EventFormat.client(e, true, null, state.now(), edit).toString());
  }

  static Author author(MatrixState state, MxRoom room, String userId) {
    MxUser user = state.users.get(userId);
    MxEvent member = room.state("m.room.member", userId);
    String profileName = user == null || user.displayName == null ? localpart(userId) : user.displayName;
    String shownName = member != null && member.content.path("displayname").isString()
        ? member.content.get("displayname").asString() : profileName;
    @Nullable String shownAvatar = member != null && member.content.path("avatar_url").isString()
        ? member.content.get("avatar_url").asString() : null;
    Author.Kind kind = user == null ? Author.Kind.USER : user.kind;
    return new Author(userId, profileName, user == null ? null : user.avatarUrl, kind, shownName, shownAvatar);
  }

  private static String localpart(String userId) {
    int colon = userId.indexOf(':');
    return colon < 0 ? userId.substring(1) : userId.substring(1, colon);
  }

  static List<HistoryEntry> history(MatrixState state, MxRoom room) {
    List<HistoryEntry> out = new ArrayList<>();
    for (MxEvent e : room.events) {
      if (isMessage(e)) {
        out.add(entry(state, room, e));
      }
    }
    return out;
  }
}
