package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.internal.ChangeFeed;
import coop.relay.sandbox.internal.SandboxJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the homeserver knows: users and their access tokens, application services, rooms and
 * their events, aliases, filters, transaction ids and media, with the client-server API's rules for
 * changing them. One lock guards it all; every operation is short and in memory.
 */
final class MatrixState {

  /** A logged-in device. */
  record Session(String userId, String deviceId) {}

  /** What {@code createRoom} asks for. */
  record RoomSpec(
      @Nullable String name,
      @Nullable String topic,
      @Nullable String aliasLocalpart,
      String preset,
      List<String> invite,
      boolean isDirect,
      List<ObjectNode> initialState,
      @Nullable ObjectNode powerLevelOverride,
      @Nullable ObjectNode creationContent,
      String version) {}

  static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
  static final String DEFAULT_ROOM_VERSION = "11";

  final String serverName;
  final Scheduler scheduler;
  final ChangeFeed feed;
  final Ids ids = new Ids();
  final Map<String, MxUser> users = new LinkedHashMap<>();
  private final Map<String, Session> sessions = new HashMap<>();
  final Map<String, AppserviceAccount> appservices = new LinkedHashMap<>();
  private final Map<String, AppserviceAccount> appservicesByToken = new HashMap<>();
  final Map<String, MxRoom> rooms = new LinkedHashMap<>();
  final Map<String, String> aliases = new HashMap<>();
  final Map<String, MxEvent> events = new HashMap<>();
  private final Map<String, List<ObjectNode>> filters = new HashMap<>();
  private final Map<String, ObjectNode> transactions = new HashMap<>();
  final Map<String, MediaItem> media = new HashMap<>();
  final List<String> bots = new ArrayList<>();
  /** Wakes waiting /sync requests after every new event. */
  final Sinks.Many<Long> wake = Sinks.many().multicast().directBestEffort();
  private long pos;
  private @Nullable String baseUrl;
  private Consumer<AppserviceAccount> onQueued = as -> {};

  MatrixState(String serverName, Scheduler scheduler) {
    this.serverName = serverName;
    this.scheduler = scheduler;
    this.feed = new ChangeFeed("matrix", () -> Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)));
  }

  long now() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  synchronized long position() {
    return pos;
  }

  synchronized void onQueued(Consumer<AppserviceAccount> listener) {
    this.onQueued = listener;
  }

  synchronized void baseUrl(@Nullable String url) {
    this.baseUrl = url;
  }

  synchronized @Nullable String baseUrl() {
    return baseUrl;
  }

  /** Emits after every new event; subscribe before looking at the state so nothing is missed. */
  Flux<Long> wakeUps() {
    return wake.asFlux();
  }

  String userId(String localpart) {
    return "@" + localpart + ":" + serverName;
  }

  // ---------------------------------------------------------------- accounts

  synchronized MxUser addBot(String localpart, String token, String displayName) {
    MxUser user = newUser(userId(localpart), Author.Kind.BOT, null, displayName);
    String device = ids.deviceId();
    user.devices.add(device);
    sessions.put(token, new Session(user.id, device));
    bots.add(user.id);
    return user;
  }

  synchronized AppserviceAccount addAppservice(coop.relay.sandbox.matrix.AppserviceRegistration registration) {
    for (AppserviceAccount other : appservices.values()) {
      if (other.id().equals(registration.id())) {
        throw new IllegalArgumentException("two application services share the id " + registration.id());
      }
    }
    if (appservicesByToken.containsKey(registration.asToken()) || sessions.containsKey(registration.asToken())) {
      throw new IllegalArgumentException("the as_token of application service " + registration.id() + " is already in use");
    }
    AppserviceAccount as = new AppserviceAccount(registration, serverName);
    appservices.put(as.id(), as);
    appservicesByToken.put(registration.asToken(), as);
    if (!users.containsKey(as.senderId)) {
      newUser(as.senderId, Author.Kind.BOT, as.id(), registration.senderLocalpart());
    }
    bots.add(as.senderId);
    return as;
  }

  private MxUser newUser(String id, Author.Kind kind, @Nullable String appservice, @Nullable String displayName) {
    if (users.containsKey(id)) {
      throw new IllegalArgumentException("the user " + id + " exists already");
    }
    MxUser user = new MxUser(id, kind, appservice, displayName);
    users.put(id, user);
    feed.user(HistoryView.sandboxUser(user));
    return user;
  }

  /** A human user created through the control API. */
  synchronized MxUser createHuman(String displayName, @Nullable String username, @Nullable String avatar) {
    String localpart;
    if (username != null) {
      localpart = username.startsWith("@") ? username.substring(1) : username;
      if (localpart.contains(":")) {
        localpart = localpart.substring(0, localpart.indexOf(':'));
      }
      if (!LOCALPART.matcher(localpart).matches()) {
        throw coop.relay.sandbox.SandboxException.invalid(
            "Matrix localparts are lowercase a-z, 0-9 and . _ = - / +; got " + username);
      }
      if (users.containsKey(userId(localpart))) {
        throw coop.relay.sandbox.SandboxException.conflict("the user id " + userId(localpart) + " is taken");
      }
    } else {
      String base = displayName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._=\\-/+]+", "_").replaceAll("^_+|_+$", "");
      if (base.isEmpty()) {
        base = "user";
      }
      localpart = base;
      for (int n = 2; users.containsKey(userId(localpart)) || exclusivelyOwned(userId(localpart)) != null; n++) {
        localpart = base + n;
      }
    }
    String id = userId(localpart);
    AppserviceAccount owner = exclusivelyOwned(id);
    if (owner != null) {
      throw coop.relay.sandbox.SandboxException.conflict(
          id + " is in the exclusive namespace of application service " + owner.id() + "; pick another username");
    }
    MxUser user = new MxUser(id, Author.Kind.USER, null, displayName.strip());
    user.sandboxAvatar = avatar;
    if (avatar != null && avatar.startsWith("mxc://")) {
      user.avatarUrl = avatar;
    }
    users.put(id, user);
    feed.user(HistoryView.sandboxUser(user));
    return user;
  }

  synchronized @Nullable AppserviceAccount exclusivelyOwned(String userId) {
    for (AppserviceAccount as : appservices.values()) {
      if (as.exclusiveUser(userId)) {
        return as;
      }
    }
    return null;
  }

  /** Registers a user for an application service ({@code m.login.application_service}). */
  synchronized MxUser registerForAppservice(AppserviceAccount as, String username) {
    String localpart = username.startsWith("@") ? username.substring(1) : username;
    if (localpart.contains(":")) {
      String server = localpart.substring(localpart.indexOf(':') + 1);
      if (!server.equals(serverName)) {
        throw new MatrixError(400, "M_INVALID_USERNAME", "User ID can only be registered on " + serverName);
      }
      localpart = localpart.substring(0, localpart.indexOf(':'));
    }
    if (localpart.isEmpty() || !LOCALPART.matcher(localpart).matches()) {
      throw new MatrixError(400, "M_INVALID_USERNAME", "User ID may only contain the characters a-z, 0-9, '=', '_', '-', '.', '/' and '+'");
    }
    String id = userId(localpart);
    if (!as.ownsUser(id)) {
      throw new MatrixError(400, "M_EXCLUSIVE", "User ID " + id + " is not in the namespaces of application service " + as.id());
    }
    if (users.containsKey(id)) {
      throw new MatrixError(400, "M_USER_IN_USE", "User ID already taken.");
    }
    return newUser(id, Author.Kind.PUPPET, as.id(), localpart);
  }

  /** A new device and access token for {@code userId}; the token is returned. */
  synchronized String login(String userId, @Nullable String deviceId) {
    MxUser user = users.get(userId);
    if (user == null) {
      throw MatrixError.forbidden("Invalid username or password");
    }
    String device = deviceId == null || deviceId.isBlank() ? ids.deviceId() : deviceId;
    // A device gets one access token at a time: logging in with it again replaces the old one.
    sessions.values().removeIf(s -> s.userId().equals(userId) && s.deviceId().equals(device));
    user.devices.add(device);
    String token = ids.accessToken(user.localpart());
    sessions.put(token, new Session(userId, device));
    return token;
  }

  synchronized String deviceOf(String token) {
    Session s = sessions.get(token);
    return s == null ? "" : s.deviceId();
  }

  synchronized void logout(String token) {
    Session s = sessions.remove(token);
    if (s != null) {
      MxUser user = users.get(s.userId());
      if (user != null) {
        user.devices.remove(s.deviceId());
      }
    }
  }

  synchronized @Nullable AppserviceAccount appserviceByToken(String token) {
    return appservicesByToken.get(token);
  }

  /**
   * Resolves an access token (and for application services the asserted user and device).
   *
   * @throws MatrixError 401 for a missing or unknown token, 403 for a user an application service
   *     may not act as, 400 M_UNKNOWN_DEVICE for a foreign device
   */
  synchronized Requester authenticate(@Nullable String token, @Nullable String assertedUser, @Nullable String assertedDevice) {
    if (token == null || token.isEmpty()) {
      throw MatrixError.missingToken();
    }
    AppserviceAccount as = appservicesByToken.get(token);
    if (as != null) {
      String userId = assertedUser == null || assertedUser.isEmpty() ? as.senderId : assertedUser;
      if (!as.ownsUser(userId)) {
        throw MatrixError.forbidden("Application service cannot masquerade as this user (" + userId + ").");
      }
      MxUser user = users.get(userId);
      if (user == null) {
        throw MatrixError.forbidden("Application service has not registered this user (" + userId + ")");
      }
      if (assertedDevice != null && !assertedDevice.isEmpty() && !user.devices.contains(assertedDevice)) {
        throw new MatrixError(400, "M_UNKNOWN_DEVICE", "Device " + assertedDevice + " does not belong to " + userId);
      }
      String device = assertedDevice == null || assertedDevice.isEmpty() ? null : assertedDevice;
      boolean limited = as.registration.rateLimited() && !userId.equals(as.senderId);
      return new Requester(userId, device, as, "as:" + as.id() + ":" + userId + ":" + device, limited);
    }
    Session s = sessions.get(token);
    if (s == null) {
      throw MatrixError.unknownToken();
    }
    return new Requester(s.userId(), s.deviceId(), null, "device:" + s.userId() + ":" + s.deviceId(), true);
  }

  synchronized @Nullable MxUser user(String id) {
    return users.get(id);
  }

  // ---------------------------------------------------------------- transactions and filters

  synchronized @Nullable ObjectNode transaction(Requester who, String path) {
    ObjectNode done = transactions.get(who.txnScope() + " " + path);
    return done == null ? null : done.deepCopy();
  }

  private void remember(Requester who, String path, ObjectNode response) {
    transactions.put(who.txnScope() + " " + path, response.deepCopy());
  }

  synchronized String addFilter(String userId, ObjectNode filter) {
    SyncFilter.parse(filter);
    List<ObjectNode> list = filters.computeIfAbsent(userId, u -> new ArrayList<>());
    list.add(filter.deepCopy());
    return Integer.toString(list.size() - 1);
  }

  synchronized @Nullable ObjectNode filter(String userId, String filterId) {
    List<ObjectNode> list = filters.get(userId);
    try {
      int index = Integer.parseInt(filterId);
      return list == null || index < 0 || index >= list.size() ? null : list.get(index).deepCopy();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- events

  private MxEvent append(
      MxRoom room, String type, @Nullable String stateKey, String sender, ObjectNode content, long ts,
      @Nullable Requester by, @Nullable String txnId) {
    MxEvent previous = stateKey == null ? null : room.state(type, stateKey);
    MxEvent e = new MxEvent(++pos, ids.eventId(), room.id, type, stateKey, sender, ts, content, previous,
        by == null ? null : by.txnScope(), txnId);
    room.events.add(e);
    room.byId.put(e.eventId, e);
    events.put(e.eventId, e);
    if (stateKey != null) {
      room.state.put(new MxRoom.StateKey(type, stateKey), e);
    }
    for (AppserviceAccount as : appservices.values()) {
      if (interested(as, room, e)) {
        as.pending.addLast(e);
        onQueued.accept(as);
      }
    }
    publish(room, e);
    wake.tryEmitNext(pos);
    return e;
  }

  /** The spec's "interested": the room or an alias is in a namespace, or a namespace user takes part. */
  private static boolean interested(AppserviceAccount as, MxRoom room, MxEvent e) {
    if (as.ownsRoom(room.id) || as.ownsUser(e.sender)) {
      return true;
    }
    for (String alias : room.aliases) {
      if (as.ownsAlias(alias)) {
        return true;
      }
    }
    if (e.type.equals("m.room.member") && e.stateKey != null && as.ownsUser(e.stateKey)) {
      return true;
    }
    for (String member : room.joinedMembers()) {
      if (as.ownsUser(member)) {
        return true;
      }
    }
    return false;
  }

  /** Tells the control API's followers what a new event changed. */
  private void publish(MxRoom room, MxEvent e) {
    if (HistoryView.isMessage(e)) {
      feed.message(SandboxEvent.Type.MESSAGE_CREATED, HistoryView.entry(this, room, e));
      return;
    }
    String target = e.relatesTo();
    MxEvent parent = target == null ? null : room.byId.get(target);
    if (parent != null && HistoryView.isMessage(parent)) {
      if ("m.replace".equals(e.relType()) && latestEdit(parent) == e) {
        feed.message(SandboxEvent.Type.MESSAGE_EDITED, HistoryView.entry(this, room, parent));
      } else if (e.type.equals("m.reaction") && "m.annotation".equals(e.relType())) {
        feed.message(SandboxEvent.Type.REACTIONS_CHANGED, HistoryView.entry(this, room, parent));
      }
    }
    if (e.type.equals("m.room.name") && "".equals(e.stateKey)) {
      feed.channel(SandboxEvent.Type.CHANNEL_UPDATED, HistoryView.channel(room));
    }
  }

  /** The most recent valid replacement of {@code original}, by the spec's rules, or null. */
  synchronized @Nullable MxEvent latestEdit(MxEvent original) {
    if (original.redacted() || original.isState() || "m.replace".equals(original.relType())) {
      return null;
    }
    MxRoom room = rooms.get(original.roomId);
    MxEvent best = null;
    for (int i = room.indexAfter(original.pos); i < room.events.size(); i++) {
      MxEvent e = room.events.get(i);
      if (!e.redacted() && "m.replace".equals(e.relType()) && original.eventId.equals(e.relatesTo())
          && e.sender.equals(original.sender) && e.type.equals(original.type) && !e.isState()
          && e.content.path("m.new_content").isObject()
          && (best == null || e.ts > best.ts || (e.ts == best.ts && e.eventId.compareTo(best.eventId) > 0))) {
        best = e;
      }
    }
    return best;
  }

  synchronized MxRoom room(String roomId) {
    MxRoom room = rooms.get(roomId);
    if (room == null) {
      throw MatrixError.notFound("Unknown room " + roomId);
    }
    return room;
  }

  private MxRoom joinedRoom(String roomId, String userId) {
    MxRoom room = rooms.get(roomId);
    if (room == null || !room.membership(userId).equals("join")) {
      throw MatrixError.forbidden("User " + userId + " not in room " + roomId);
    }
    return room;
  }

  /**
   * Sends a message event ({@code PUT /rooms/{roomId}/send/{eventType}/{txnId}}), idempotently per
   * transaction scope and path: a retransmission answers the first response.
   */
  synchronized ObjectNode send(
      Requester who, String path, String roomId, String type, ObjectNode content, String txnId, @Nullable Long ts) {
    ObjectNode done = transaction(who, path);
    if (done != null) {
      return done;
    }
    MxRoom room = joinedRoom(roomId, who.userId());
    ObjectNode response;
    if (type.equals("m.room.redaction")) {
      JsonNode target = content.get("redacts");
      if (target == null || !target.isString()) {
        throw MatrixError.badJson("an m.room.redaction event needs redacts in its content");
      }
      response = redactIn(who.userId(), who, room, target.asString(), content, txnId, ts);
    } else {
      requireLevel(room, who.userId(), type, false);
      checkAnnotation(room, who.userId(), type, content);
      MxEvent e = append(room, type, null, who.userId(), content, ts == null ? now() : ts, who, txnId);
      response = SandboxJson.mapper().createObjectNode().put("event_id", e.eventId);
    }
    remember(who, path, response);
    return response;
  }

  private void checkAnnotation(MxRoom room, String sender, String type, ObjectNode content) {
    JsonNode rel = content.get("m.relates_to");
    if (rel == null || !"m.annotation".equals(rel.path("rel_type").asString(null))) {
      return;
    }
    String target = rel.path("event_id").asString("");
    String key = rel.path("key").asString("");
    for (MxEvent e : room.events) {
      if (!e.redacted() && e.type.equals(type) && e.sender.equals(sender) && "m.annotation".equals(e.relType())
          && target.equals(e.relatesTo()) && key.equals(e.content.path("m.relates_to").path("key").asString(""))) {
        throw new MatrixError(400, "M_DUPLICATE_ANNOTATION", "Can't send same reaction twice");
      }
    }
  }

  private void requireLevel(MxRoom room, String userId, String type, boolean state) {
    long needed = room.requiredLevel(type, state);
    if (room.powerLevel(userId) < needed) {
      throw MatrixError.forbidden("You don't have permission to post that to the room. user_level ("
          + room.powerLevel(userId) + ") < send_level (" + needed + ")");
    }
  }

  /** {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}}, idempotent like {@link #send}. */
  synchronized ObjectNode redact(Requester who, String path, String roomId, String eventId, @Nullable String reason, String txnId) {
    ObjectNode done = transaction(who, path);
    if (done != null) {
      return done;
    }
    MxRoom room = joinedRoom(roomId, who.userId());
    ObjectNode content = SandboxJson.mapper().createObjectNode();
    if (reason != null) {
      content.put("reason", reason);
    }
    ObjectNode response = redactIn(who.userId(), who, room, eventId, content, txnId, null);
    remember(who, path, response);
    return response;
  }

  private ObjectNode redactIn(
      String sender, @Nullable Requester who, MxRoom room, String targetId, ObjectNode content,
      @Nullable String txnId, @Nullable Long ts) {
    MxEvent target = room.byId.get(targetId);
    if (target == null) {
      throw MatrixError.notFound("Event not found.");
    }
    requireLevel(room, sender, "m.room.redaction", false);
    if (!target.sender.equals(sender) && room.powerLevel(sender) < room.level("redact", 50)) {
      throw MatrixError.forbidden("You don't have permission to redact events of other users");
    }
    content.put("redacts", targetId);
    MxEvent redaction = append(room, "m.room.redaction", null, sender, content, ts == null ? now() : ts, who, txnId);
    if (!target.redacted()) {
      MxEvent parentBefore = parentMessage(room, target);
      target.content = EventFormat.redactedContent(target.type, target.content);
      target.redactedBecause = redaction;
      if (HistoryView.isMessage(target)) {
        feed.message(SandboxEvent.Type.MESSAGE_DELETED, HistoryView.entry(this, room, target));
      } else if (parentBefore != null) {
        feed.message(target.type.equals("m.reaction") ? SandboxEvent.Type.REACTIONS_CHANGED : SandboxEvent.Type.MESSAGE_EDITED,
            HistoryView.entry(this, room, parentBefore));
      }
    }
    return SandboxJson.mapper().createObjectNode().put("event_id", redaction.eventId);
  }

  private static @Nullable MxEvent parentMessage(MxRoom room, MxEvent child) {
    String rel = child.relType();
    if (!"m.replace".equals(rel) && !"m.annotation".equals(rel)) {
      return null;
    }
    String target = child.relatesTo();
    MxEvent parent = target == null ? null : room.byId.get(target);
    return parent != null && HistoryView.isMessage(parent) ? parent : null;
  }

  /** {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}}. */
  synchronized ObjectNode sendState(Requester who, String roomId, String type, String stateKey, ObjectNode content, @Nullable Long ts) {
    MxRoom room = joinedRoom(roomId, who.userId());
    if (type.equals("m.room.member")) {
      // Membership changes have their own endpoints; here a member may only restyle their own join.
      if (!stateKey.equals(who.userId()) || !"join".equals(content.path("membership").asString(""))) {
        throw MatrixError.forbidden("use the membership endpoints (join, invite, leave) to change memberships");
      }
    } else {
      requireLevel(room, who.userId(), type, true);
      if (stateKey.startsWith("@") && !stateKey.equals(who.userId())) {
        throw MatrixError.forbidden("state keys starting with @ are reserved for the user they name");
      }
    }
    if (type.equals("m.room.canonical_alias")) {
      for (String field : List.of("alias")) {
        String alias = content.path(field).asString(null);
        if (alias != null && !roomId.equals(aliases.get(alias))) {
          throw new MatrixError(400, "M_BAD_ALIAS", "Room alias " + alias + " does not point to the room");
        }
      }
    }
    MxEvent e = append(room, type, stateKey, who.userId(), content, ts == null ? now() : ts, who, null);
    return SandboxJson.mapper().createObjectNode().put("event_id", e.eventId);
  }

  // ---------------------------------------------------------------- rooms and membership

  synchronized MxRoom createRoom(MxUser creator, RoomSpec spec, @Nullable AppserviceAccount by) {
    if (!spec.version().equals("10") && !spec.version().equals("11")) {
      throw new MatrixError(400, "M_UNSUPPORTED_ROOM_VERSION", "Your homeserver does not support the features required to create room version " + spec.version());
    }
    String alias = null;
    if (spec.aliasLocalpart() != null) {
      alias = "#" + spec.aliasLocalpart() + ":" + serverName;
      checkAliasFree(alias, by);
    }
    for (String invitee : spec.invite()) {
      if (!users.containsKey(invitee)) {
        throw MatrixError.notFound("Unknown user " + invitee);
      }
    }
    MxRoom room = new MxRoom(ids.roomId(serverName), spec.version());
    rooms.put(room.id, room);
    long ts = now();
    ObjectNode create = spec.creationContent() == null ? obj() : spec.creationContent().deepCopy();
    create.remove("creator");
    create.put("room_version", spec.version());
    if (spec.version().equals("10")) {
      create.put("creator", creator.id);
    }
    append(room, "m.room.create", "", creator.id, create, ts, null, null);
    append(room, "m.room.member", creator.id, creator.id, memberContent(creator, "join"), ts, null, null);
    ObjectNode pl = obj();
    ObjectNode plUsers = pl.putObject("users");
    plUsers.put(creator.id, 100);
    if (spec.preset().equals("trusted_private_chat")) {
      spec.invite().forEach(u -> plUsers.put(u, 100));
    }
    pl.put("users_default", 0);
    ObjectNode plEvents = pl.putObject("events");
    plEvents.put("m.room.name", 50);
    plEvents.put("m.room.power_levels", 100);
    plEvents.put("m.room.history_visibility", 100);
    plEvents.put("m.room.canonical_alias", 50);
    plEvents.put("m.room.avatar", 50);
    plEvents.put("m.room.tombstone", 100);
    plEvents.put("m.room.server_acl", 100);
    plEvents.put("m.room.encryption", 100);
    pl.put("events_default", 0);
    pl.put("state_default", 50);
    pl.put("ban", 50);
    pl.put("kick", 50);
    pl.put("redact", 50);
    pl.put("invite", 0);
    if (spec.powerLevelOverride() != null) {
      pl.setAll(spec.powerLevelOverride());
    }
    append(room, "m.room.power_levels", "", creator.id, pl, ts, null, null);
    if (alias != null) {
      aliases.put(alias, room.id);
      room.aliases.add(alias);
      append(room, "m.room.canonical_alias", "", creator.id, obj().put("alias", alias), ts, null, null);
    }
    append(room, "m.room.join_rules", "", creator.id,
        obj().put("join_rule", spec.preset().equals("public_chat") ? "public" : "invite"), ts, null, null);
    append(room, "m.room.history_visibility", "", creator.id, obj().put("history_visibility", "shared"), ts, null, null);
    if (!spec.preset().equals("public_chat")) {
      append(room, "m.room.guest_access", "", creator.id, obj().put("guest_access", "can_join"), ts, null, null);
    }
    for (ObjectNode state : spec.initialState()) {
      append(room, state.path("type").asString(), state.path("state_key").asString(""), creator.id,
          state.path("content").isObject() ? (ObjectNode) state.get("content").deepCopy() : obj(), ts, null, null);
    }
    if (spec.name() != null) {
      append(room, "m.room.name", "", creator.id, obj().put("name", spec.name()), ts, null, null);
    }
    if (spec.topic() != null) {
      append(room, "m.room.topic", "", creator.id, obj().put("topic", spec.topic()), ts, null, null);
    }
    for (String invitee : spec.invite()) {
      ObjectNode c = memberContent(users.get(invitee), "invite");
      if (spec.isDirect()) {
        c.put("is_direct", true);
      }
      append(room, "m.room.member", invitee, creator.id, c, ts, null, null);
    }
    feed.channel(SandboxEvent.Type.CHANNEL_CREATED, HistoryView.channel(room));
    return room;
  }

  private void checkAliasFree(String alias, @Nullable AppserviceAccount by) {
    if (aliases.containsKey(alias)) {
      throw new MatrixError(400, "M_ROOM_IN_USE", "Room alias already taken");
    }
    for (AppserviceAccount as : appservices.values()) {
      if (as != by && as.exclusiveAlias(alias)) {
        throw new MatrixError(400, "M_EXCLUSIVE", "Room alias " + alias + " is reserved by an application service");
      }
    }
    if (by != null && !by.ownsAlias(alias)) {
      throw new MatrixError(400, "M_EXCLUSIVE", "Room alias " + alias + " is outside the namespaces of application service " + by.id());
    }
  }

  ObjectNode memberContent(MxUser user, String membership) {
    ObjectNode c = obj().put("membership", membership);
    if (user.displayName != null) {
      c.put("displayname", user.displayName);
    }
    if (user.avatarUrl != null) {
      c.put("avatar_url", user.avatarUrl);
    }
    return c;
  }

  synchronized String resolveRoom(String roomIdOrAlias) {
    if (roomIdOrAlias.startsWith("#")) {
      String roomId = aliases.get(roomIdOrAlias);
      if (roomId == null) {
        throw MatrixError.notFound("Room alias " + roomIdOrAlias + " not found.");
      }
      return roomId;
    }
    if (!roomIdOrAlias.startsWith("!")) {
      throw invalidRoomId(roomIdOrAlias);
    }
    return roomIdOrAlias;
  }

  static MatrixError invalidRoomId(String value) {
    return MatrixError.invalidParam(value + " was not legal room ID or room alias");
  }

  synchronized String join(String userId, String roomId, @Nullable String reason) {
    MxRoom room = rooms.get(roomId);
    if (room == null) {
      throw MatrixError.notFound("Can't join remote room because no servers that are in the room have been provided.");
    }
    String membership = room.membership(userId);
    if (membership.equals("ban")) {
      throw MatrixError.forbidden("You are banned from this room");
    }
    if (membership.equals("join")) {
      return room.id;
    }
    if (!membership.equals("invite") && !room.joinRule().equals("public")) {
      throw MatrixError.forbidden("You are not invited to this room.");
    }
    ObjectNode c = memberContent(users.get(userId), "join");
    if (reason != null) {
      c.put("reason", reason);
    }
    append(room, "m.room.member", userId, userId, c, now(), null, null);
    return room.id;
  }

  synchronized void invite(String sender, String roomId, String target, @Nullable String reason) {
    MxRoom room = joinedRoom(roomId, sender);
    MxUser invitee = users.get(target);
    if (invitee == null) {
      throw MatrixError.notFound("Unknown user " + target);
    }
    if (room.powerLevel(sender) < room.level("invite", 0)) {
      throw MatrixError.forbidden("You don't have permission to invite users");
    }
    String membership = room.membership(target);
    if (membership.equals("join")) {
      throw MatrixError.forbidden(target + " is already in the room.");
    }
    if (membership.equals("ban")) {
      throw MatrixError.forbidden(target + " is banned from the room");
    }
    if (membership.equals("invite")) {
      return;
    }
    ObjectNode c = memberContent(invitee, "invite");
    if (reason != null) {
      c.put("reason", reason);
    }
    append(room, "m.room.member", target, sender, c, now(), null, null);
  }

  synchronized void leave(String userId, String roomId, @Nullable String reason) {
    MxRoom room = rooms.get(roomId);
    String membership = room == null ? "leave" : room.membership(userId);
    if (room == null || (!membership.equals("join") && !membership.equals("invite") && !membership.equals("knock"))) {
      throw MatrixError.forbidden("User " + userId + " is not in room " + roomId);
    }
    ObjectNode c = obj().put("membership", "leave");
    if (reason != null) {
      c.put("reason", reason);
    }
    append(room, "m.room.member", userId, userId, c, now(), null, null);
  }

  synchronized List<String> joinedRooms(String userId) {
    List<String> out = new ArrayList<>();
    for (MxRoom room : rooms.values()) {
      if (room.membership(userId).equals("join")) {
        out.add(room.id);
      }
    }
    return out;
  }

  synchronized void setAlias(Requester who, String alias, String roomId) {
    if (!alias.startsWith("#") || !alias.endsWith(":" + serverName)) {
      throw MatrixError.invalidParam("Room alias must be of the form #localpart:" + serverName);
    }
    room(roomId);
    checkAliasFree(alias, who.appservice());
    aliases.put(alias, roomId);
    rooms.get(roomId).aliases.add(alias);
  }

  synchronized void deleteAlias(Requester who, String alias) {
    String roomId = aliases.get(alias);
    if (roomId == null) {
      throw MatrixError.notFound("Room alias " + alias + " not found.");
    }
    MxRoom room = rooms.get(roomId);
    boolean owner = who.appservice() != null && who.appservice().ownsAlias(alias);
    if (!owner && room.powerLevel(who.userId()) < room.requiredLevel("m.room.canonical_alias", true)) {
      throw MatrixError.forbidden("You don't have permission to delete the alias.");
    }
    aliases.remove(alias);
    room.aliases.remove(alias);
  }

  // ---------------------------------------------------------------- profiles

  /** Sets a profile field and, for display name and avatar, sends new member events to every joined room. */
  synchronized void setProfile(String userId, String key, JsonNode value) {
    MxUser user = users.get(userId);
    if (user == null) {
      throw MatrixError.notFound("Unknown user");
    }
    String text = value.isNull() ? null : value.asString();
    switch (key) {
      case "displayname" -> {
        if (Objects.equals(user.displayName, text)) {
          return;
        }
        user.displayName = text;
      }
      case "avatar_url" -> {
        if (Objects.equals(user.avatarUrl, text)) {
          return;
        }
        user.avatarUrl = text;
        user.sandboxAvatar = text;
      }
      default -> {
        return;
      }
    }
    for (MxRoom room : rooms.values()) {
      if (room.membership(userId).equals("join")) {
        MxEvent current = room.state("m.room.member", userId);
        ObjectNode c = current == null ? obj() : current.content.deepCopy();
        c.put("membership", "join");
        if (key.equals("displayname")) {
          putOrRemove(c, "displayname", text);
        } else {
          putOrRemove(c, "avatar_url", text);
        }
        append(room, "m.room.member", userId, userId, c, now(), null, null);
      }
    }
  }

  private static void putOrRemove(ObjectNode node, String key, @Nullable String value) {
    if (value == null) {
      node.remove(key);
    } else {
      node.put(key, value);
    }
  }

  // ---------------------------------------------------------------- media

  synchronized MediaItem storeMedia(String uploader, String contentType, @Nullable String fileName, byte[] data) {
    MediaItem item = new MediaItem(ids.mediaId(), contentType, fileName, data.clone(), uploader, now());
    media.put(item.mediaId(), item);
    return item;
  }

  synchronized @Nullable MediaItem media(String serverName, String mediaId) {
    return serverName.equals(this.serverName) ? media.get(mediaId) : null;
  }

  // ---------------------------------------------------------------- control API actions

  /** Sends an event as a user without a client (the control API acting for a person). */
  synchronized MxEvent sendAs(String userId, String roomId, String type, ObjectNode content) {
    MxRoom room = rooms.get(roomId);
    if (room == null) {
      throw coop.relay.sandbox.SandboxException.notFound("no Matrix room " + roomId);
    }
    String membership = room.membership(userId);
    if (!membership.equals("join")) {
      // A person is let into a private room the way a room admin would: invited by its creator first.
      MxEvent create = room.state("m.room.create", "");
      if (!membership.equals("invite") && !room.joinRule().equals("public") && create != null
          && room.membership(create.sender).equals("join")) {
        invite(create.sender, roomId, userId, null);
      }
      join(userId, roomId, null);
    }
    checkAnnotation(room, userId, type, content);
    return append(room, type, null, userId, content, now(), null, null);
  }

  synchronized void redactAs(String userId, String roomId, String eventId) {
    MxRoom room = rooms.get(roomId);
    if (room == null) {
      throw coop.relay.sandbox.SandboxException.notFound("no Matrix room " + roomId);
    }
    redactIn(userId, null, room, eventId, obj(), null, null);
  }

  // ---------------------------------------------------------------- application service queues

  /** The transaction to push next: the unacknowledged one again, or a new one of the pending events. */
  synchronized AppserviceAccount.@Nullable Transaction nextTransaction(AppserviceAccount as, int maxEvents) {
    if (as.inFlight != null) {
      return as.inFlight;
    }
    if (as.pending.isEmpty()) {
      return null;
    }
    ObjectNode body = obj();
    ArrayNode list = body.putArray("events");
    int n = 0;
    long now = now();
    for (MxEvent e : as.pending) {
      if (n == maxEvents) {
        break;
      }
      list.add(EventFormat.client(e, true, null, now, null));
      n++;
    }
    as.inFlight = new AppserviceAccount.Transaction(Long.toString(as.nextTxn++), body.toString(), n);
    return as.inFlight;
  }

  synchronized void transactionDone(AppserviceAccount as, String txnId) {
    if (as.inFlight != null && as.inFlight.txnId().equals(txnId)) {
      for (int i = 0; i < as.inFlight.eventCount(); i++) {
        as.pending.pollFirst();
      }
      as.inFlight = null;
      as.failures = 0;
      as.lastError = null;
    }
  }

  /** Records a refused or failed push; returns the number of failures in a row. */
  synchronized int transactionFailed(AppserviceAccount as, String why) {
    as.failures++;
    as.lastError = why;
    return as.failures;
  }

  static ObjectNode obj() {
    return SandboxJson.mapper().createObjectNode();
  }
}
