package coop.relay.sandbox.matrix.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client-server API over HTTP: {@code /_matrix/client/versions}, {@code /_matrix/client/v3/...},
 * authenticated media under {@code /_matrix/client/v1/media/...} and uploads at {@code
 * /_matrix/media/v3/upload}. Paths are matched segment by segment after percent-decoding, so ids
 * with {@code !}, {@code $}, {@code #}, {@code @} and {@code :} work encoded or not. Unknown paths
 * answer 404 and known paths with another method 405, both {@code M_UNRECOGNIZED}.
 */
final class ClientApi {
  private static final Logger log = LoggerFactory.getLogger(ClientApi.class);
  private static final List<String> VERSIONS = List.of(
      "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11", "v1.12");
  // The content types the spec allows to be served inline; everything else is an attachment.
  private static final Set<String> INLINE_TYPES = Set.of(
      "text/css", "text/plain", "text/csv", "application/json", "application/ld+json", "image/jpeg", "image/gif",
      "image/png", "image/apng", "image/webp", "image/avif", "video/mp4", "video/webm", "video/ogg",
      "video/quicktime", "audio/mp4", "audio/webm", "audio/aac", "audio/mpeg", "audio/ogg", "audio/wave",
      "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac", "audio/x-flac");

  private enum Auth { NONE, OPTIONAL, REQUIRED }

  private interface Handler {
    Mono<Reply> handle(Call call);
  }

  private record Route(String method, String template, String[] segments, String operationId, Auth auth,
      boolean rateLimited, Handler handler) {}

  /** Limits and switches from the builder. */
  record Settings(@Nullable RateLimiter limiter, long uploadLimit, Duration maxSyncTimeout) {}

  private final MatrixState state;
  private final SyncBuilder sync;
  private final FaultPlan faults;
  private final Scheduler scheduler;
  private final Settings settings;
  private final AppserviceClient appservices;
  private final List<Route> routes = new ArrayList<>();

  ClientApi(MatrixState state, FaultPlan faults, Scheduler scheduler, Settings settings, AppserviceClient appservices) {
    this.state = state;
    this.sync = new SyncBuilder(state);
    this.faults = faults;
    this.scheduler = scheduler;
    this.settings = settings;
    this.appservices = appservices;
    String v3 = "/_matrix/client/v3";
    route("GET", "/_matrix/client/versions", "getVersions", Auth.OPTIONAL, false, this::versions);
    route("GET", v3 + "/account/whoami", "getTokenOwner", Auth.REQUIRED, false, this::whoami);
    route("GET", v3 + "/capabilities", "getCapabilities", Auth.REQUIRED, false, this::capabilities);
    route("POST", v3 + "/register", "register", Auth.NONE, false, this::register);
    route("GET", v3 + "/login", "getLoginFlows", Auth.NONE, false, c -> ok(obj().set("flows",
        array().add(obj().put("type", "m.login.application_service")))));
    route("POST", v3 + "/login", "login", Auth.NONE, false, this::login);
    route("POST", v3 + "/logout", "logout", Auth.REQUIRED, false, this::logout);
    route("GET", v3 + "/sync", "sync", Auth.REQUIRED, false, this::sync);
    route("POST", v3 + "/user/{userId}/filter", "defineFilter", Auth.REQUIRED, false, this::defineFilter);
    route("GET", v3 + "/user/{userId}/filter/{filterId}", "getFilter", Auth.REQUIRED, false, this::getFilter);
    route("POST", v3 + "/createRoom", "createRoom", Auth.REQUIRED, true, this::createRoom);
    route("POST", v3 + "/join/{roomIdOrAlias}", "joinRoom", Auth.REQUIRED, true, this::join);
    route("POST", v3 + "/rooms/{roomId}/join", "joinRoomById", Auth.REQUIRED, true, this::join);
    route("POST", v3 + "/rooms/{roomId}/invite", "inviteUser", Auth.REQUIRED, true, this::invite);
    route("POST", v3 + "/rooms/{roomId}/leave", "leaveRoom", Auth.REQUIRED, true, this::leave);
    route("GET", v3 + "/joined_rooms", "getJoinedRooms", Auth.REQUIRED, false, this::joinedRooms);
    route("GET", v3 + "/rooms/{roomId}/joined_members", "getJoinedMembersByRoom", Auth.REQUIRED, false, this::joinedMembers);
    route("GET", v3 + "/rooms/{roomId}/members", "getMembersByRoom", Auth.REQUIRED, false, this::members);
    route("GET", v3 + "/rooms/{roomId}/state", "getRoomState", Auth.REQUIRED, false, this::roomState);
    route("GET", v3 + "/rooms/{roomId}/state/{eventType}", "getRoomStateWithKey", Auth.REQUIRED, false, this::stateEvent);
    route("GET", v3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", "getRoomStateWithKey", Auth.REQUIRED, false, this::stateEvent);
    route("PUT", v3 + "/rooms/{roomId}/state/{eventType}", "setRoomStateWithKey", Auth.REQUIRED, true, this::putState);
    route("PUT", v3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", "setRoomStateWithKey", Auth.REQUIRED, true, this::putState);
    route("PUT", v3 + "/rooms/{roomId}/send/{eventType}/{txnId}", "sendMessage", Auth.REQUIRED, true, this::send);
    route("PUT", v3 + "/rooms/{roomId}/redact/{eventId}/{txnId}", "redactEvent", Auth.REQUIRED, true, this::redact);
    route("GET", v3 + "/rooms/{roomId}/messages", "getRoomEvents", Auth.REQUIRED, false, this::messages);
    route("GET", v3 + "/rooms/{roomId}/event/{eventId}", "getOneRoomEvent", Auth.REQUIRED, false, this::event);
    route("GET", v3 + "/profile/{userId}", "getUserProfile", Auth.OPTIONAL, false, this::profile);
    route("GET", v3 + "/profile/{userId}/{keyName}", "getProfileField", Auth.OPTIONAL, false, this::profileField);
    route("PUT", v3 + "/profile/{userId}/{keyName}", "setProfileField", Auth.REQUIRED, false, this::setProfileField);
    route("GET", v3 + "/directory/room/{roomAlias}", "getRoomIdByAlias", Auth.OPTIONAL, false, this::alias);
    route("PUT", v3 + "/directory/room/{roomAlias}", "setRoomAlias", Auth.REQUIRED, false, this::setAlias);
    route("DELETE", v3 + "/directory/room/{roomAlias}", "deleteRoomAlias", Auth.REQUIRED, false, this::deleteAlias);
    route("POST", "/_matrix/media/v3/upload", "uploadContent", Auth.REQUIRED, true, this::upload);
    route("GET", "/_matrix/client/v1/media/config", "getConfigAuthed", Auth.REQUIRED, false,
        c -> ok(obj().put("m.upload.size", settings.uploadLimit())));
    route("GET", "/_matrix/client/v1/media/download/{serverName}/{mediaId}", "getContentAuthed", Auth.REQUIRED, false,
        c -> download(c, null));
    route("GET", "/_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}", "getContentOverrideNameAuthed",
        Auth.REQUIRED, false, c -> download(c, c.param("fileName")));
    // Unauthenticated media is frozen, as the spec asks of servers since v1.12: nothing new is served there.
    route("GET", "/_matrix/media/v3/download/{serverName}/{mediaId}", "getContent", Auth.NONE, false,
        c -> Mono.error(MatrixError.notFound("Not found")));
    route("GET", "/_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}", "getContentOverrideName", Auth.NONE, false,
        c -> Mono.error(MatrixError.notFound("Not found")));
    route("POST", "/_matrix/client/v1/appservice/{appserviceId}/ping", "pingAppservice", Auth.REQUIRED, false, this::ping);
  }

  private void route(String method, String template, String operationId, Auth auth, boolean rateLimited, Handler handler) {
    routes.add(new Route(method, template, template.substring(1).split("/"), operationId, auth, rateLimited, handler));
  }

  void mount(HttpServerRoutes r) {
    r.route(req -> rawPath(req).startsWith("/_matrix/"), this::serve);
  }

  private static String rawPath(HttpServerRequest req) {
    String uri = req.uri();
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  // ---------------------------------------------------------------- dispatch

  private Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res) {
    String method = req.method().name();
    if (method.equals("OPTIONS")) {
      cors(res);
      return res.status(204).send();
    }
    String raw = rawPath(req);
    String[] have = raw.substring(1).split("/", -1);
    String[] decoded = new String[have.length];
    for (int i = 0; i < have.length; i++) {
      decoded[i] = QueryStringDecoder.decodeComponent(have[i]);
    }
    Route route = null;
    Map<String, String> params = null;
    boolean pathKnown = false;
    for (Route candidate : routes) {
      Map<String, String> p = match(candidate.segments(), decoded);
      if (p != null) {
        pathKnown = true;
        if (candidate.method().equals(method)) {
          route = candidate;
          params = p;
          break;
        }
      }
    }
    if (route == null) {
      return error(res, pathKnown
          ? MatrixError.unrecognized(405, "Unrecognized request")
          : MatrixError.unrecognized(404, "Unrecognized request"));
    }
    Fault fault = faults.take(route.operationId());
    if (fault == null) {
      fault = faults.take(route.method() + " " + route.template());
    }
    if (fault != null) {
      return fault(res, fault);
    }
    Route chosen = route;
    Map<String, String> pathParams = params;
    Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
    return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
        .flatMap(body -> {
          if (chosen.operationId().equals("uploadContent") && body.length > settings.uploadLimit()) {
            return Mono.error(new MatrixError(413, "M_TOO_LARGE", "Cannot upload files larger than " + settings.uploadLimit() + " bytes"));
          }
          Requester who = authenticate(chosen, req, query);
          if (chosen.rateLimited() && who != null && who.rateLimited() && settings.limiter() != null) {
            long wait = settings.limiter().tryAcquire(who.userId(), state.now());
            if (wait > 0) {
              return Mono.error(MatrixError.limitExceeded(wait));
            }
          }
          Call call = new Call(chosen.method(), raw, pathParams, query, req.requestHeaders(), body, who);
          return chosen.handler().handle(call);
        })
        .flatMap(reply -> send(res, reply))
        .onErrorResume(MatrixError.class, e -> error(res, e))
        .onErrorResume(e -> {
          log.warn("{} failed inside the Matrix emulator", chosen.operationId(), e);
          return error(res, MatrixError.unknown(500, "Internal server error"));
        });
  }

  private static @Nullable Map<String, String> match(String[] template, String[] have) {
    if (template.length != have.length) {
      return null;
    }
    Map<String, String> out = null;
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (out == null) {
          out = new HashMap<>();
        }
        out.put(t.substring(1, t.length() - 1), have[i]);
      } else if (!t.equals(have[i])) {
        return null;
      }
    }
    return out == null ? Map.of() : out;
  }

  private @Nullable Requester authenticate(Route route, HttpServerRequest req, Map<String, List<String>> query) {
    if (route.auth() == Auth.NONE) {
      return null;
    }
    String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    String token = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    }
    if (token == null && route.auth() == Auth.OPTIONAL) {
      return null;
    }
    return state.authenticate(token, first(query, "user_id"), first(query, "device_id"));
  }

  private static @Nullable String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private Mono<Void> fault(HttpServerResponse res, Fault fault) {
    return switch (fault.kind()) {
      case RATE_LIMITED -> error(res, MatrixError.limitExceeded(Math.max(1, fault.retryAfter().toMillis())));
      case SERVER_ERROR -> {
        if (fault.status() == 500) {
          yield error(res, MatrixError.unknown(500, "Internal server error"));
        }
        // A reverse proxy in front of the homeserver answers gateway errors with its own HTML page.
        String reason = HttpResponseStatus.valueOf(fault.status()).reasonPhrase();
        String html = "<html>\r\n<head><title>" + fault.status() + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
            + fault.status() + " " + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        yield res.status(fault.status()).header(HttpHeaderNames.CONTENT_TYPE, "text/html").sendString(Mono.just(html)).then();
      }
      case DROP_CONNECTION -> FaultPlan.dropConnection(res);
    };
  }

  private static void cors(HttpServerResponse res) {
    res.header("Access-Control-Allow-Origin", "*");
    res.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    res.header("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");
  }

  private static Mono<Void> send(HttpServerResponse res, Reply reply) {
    cors(res);
    reply.headers().forEach(res::header);
    if (reply.bytes() != null) {
      return res.status(reply.status())
          .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(reply.bytes().length))
          .sendByteArray(Mono.just(reply.bytes())).then();
    }
    return res.status(reply.status())
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(String.valueOf(reply.json())), StandardCharsets.UTF_8).then();
  }

  private static Mono<Void> error(HttpServerResponse res, MatrixError e) {
    ObjectNode body = obj();
    body.put("errcode", e.errcode);
    body.put("error", e.getMessage());
    e.extra.forEach((k, v) -> body.set(k, SandboxJson.mapper().valueToTree(v)));
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.retryAfterMs != null) {
      body.put("retry_after_ms", e.retryAfterMs);
      headers.put("Retry-After", Long.toString(Math.max(1, (e.retryAfterMs + 999) / 1000)));
    }
    return send(res, new Reply(e.status, body, null, headers));
  }

  private static Mono<Reply> ok(JsonNode body) {
    return Mono.just(Reply.json(body));
  }

  private static Mono<Reply> sync(java.util.function.Supplier<JsonNode> body) {
    return Mono.fromSupplier(() -> Reply.json(body.get()));
  }

  static ObjectNode obj() {
    return SandboxJson.mapper().createObjectNode();
  }

  static ArrayNode array() {
    return SandboxJson.mapper().createArrayNode();
  }

  // ---------------------------------------------------------------- accounts

  private Mono<Reply> versions(Call c) {
    ObjectNode out = obj();
    ArrayNode versions = out.putArray("versions");
    VERSIONS.forEach(versions::add);
    out.putObject("unstable_features");
    return ok(out);
  }

  private Mono<Reply> whoami(Call c) {
    Requester who = c.who();
    ObjectNode out = obj().put("user_id", who.userId());
    if (who.deviceId() != null) {
      out.put("device_id", who.deviceId());
    }
    out.put("is_guest", false);
    return ok(out);
  }

  private Mono<Reply> capabilities(Call c) {
    ObjectNode out = obj();
    ObjectNode caps = out.putObject("capabilities");
    ObjectNode versions = caps.putObject("m.room_versions");
    versions.put("default", MatrixState.DEFAULT_ROOM_VERSION);
    versions.putObject("available").put("10", "stable").put("11", "stable");
    caps.putObject("m.change_password").put("enabled", false);
    caps.putObject("m.set_displayname").put("enabled", true);
    caps.putObject("m.set_avatar_url").put("enabled", true);
    caps.putObject("m.3pid_changes").put("enabled", false);
    return ok(out);
  }

  private Mono<Reply> register(Call c) {
    return sync(() -> {
      ObjectNode body = c.json();
      String type = Call.string(body, "type");
      if (type == null && body.path("auth").isObject()) {
        type = body.get("auth").path("type").asString(null);
      }
      if (!"m.login.application_service".equals(type)) {
        throw MatrixError.forbidden("Registration has been disabled. Only m.login.application_service registrations are allowed.");
      }
      String header = c.headers.get(HttpHeaderNames.AUTHORIZATION);
      // A 401 of /register is also a User-Interactive Authentication answer, so it lists the flow.
      List<Map<String, List<String>>> flows = List.of(Map.of("stages", List.of("m.login.application_service")));
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw MatrixError.missingToken().with("flows", flows).with("params", Map.of());
      }
      AppserviceAccount as = state.appserviceByToken(header.substring(7).trim());
      if (as == null) {
        throw MatrixError.unknownToken().with("flows", flows).with("params", Map.of());
      }
      String username = Call.required(body, "username");
      MxUser user = state.registerForAppservice(as, username);
      ObjectNode out = obj().put("user_id", user.id);
      if (!body.path("inhibit_login").asBoolean(false)) {
        String token = state.login(user.id, Call.string(body, "device_id"));
        out.put("access_token", token);
        out.put("device_id", state.deviceOf(token));
      }
      return out;
    });
  }

  private Mono<Reply> login(Call c) {
    return sync(() -> {
      ObjectNode body = c.json();
      String type = Call.required(body, "type");
      if (!type.equals("m.login.application_service")) {
        throw new MatrixError(400, "M_UNKNOWN", "Unknown login type " + type);
      }
      String header = c.headers.get(HttpHeaderNames.AUTHORIZATION);
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw MatrixError.missingToken();
      }
      AppserviceAccount as = state.appserviceByToken(header.substring(7).trim());
      if (as == null) {
        throw MatrixError.unknownToken();
      }
      String user = body.path("identifier").path("user").asString(body.path("user").asString(""));
      String userId = user.startsWith("@") ? user : state.userId(user);
      if (!as.ownsUser(userId)) {
        throw new MatrixError(400, "M_EXCLUSIVE", "User " + userId + " is not in the namespaces of the application service");
      }
      if (state.user(userId) == null) {
        throw MatrixError.forbidden("Invalid username or password");
      }
      String token = state.login(userId, Call.string(body, "device_id"));
      return obj().put("user_id", userId).put("access_token", token).put("device_id", state.deviceOf(token));
    });
  }

  private Mono<Reply> logout(Call c) {
    return sync(() -> {
      String header = c.headers.get(HttpHeaderNames.AUTHORIZATION);
      if (c.who().appservice() == null && header != null) {
        state.logout(header.substring(7).trim());
      }
      return obj();
    });
  }

  // ---------------------------------------------------------------- sync and filters

  private Mono<Reply> sync(Call c) {
    Requester who = c.who();
    return Mono.defer(() -> {
      String sinceToken = c.query("since");
      Long since = sinceToken == null || sinceToken.isEmpty() ? null : SyncBuilder.position(sinceToken);
      boolean fullState = "true".equals(c.query("full_state"));
      long timeout = 0;
      String t = c.query("timeout");
      if (t != null) {
        try {
          timeout = Math.max(0, Long.parseLong(t));
        } catch (NumberFormatException e) {
          throw MatrixError.invalidParam("timeout must be an integer number of milliseconds");
        }
      }
      timeout = Math.min(timeout, settings.maxSyncTimeout().toMillis());
      SyncFilter filter = resolveFilter(who, c.query("filter"));
      if (since == null || fullState || timeout == 0) {
        return Mono.fromCallable(() -> Reply.json(sync.sync(who, since, filter, fullState, true)));
      }
      Mono<ObjectNode> look = Mono.fromCallable(() -> sync.sync(who, since, filter, false, false));
      // Subscribe to wake-ups before looking, so an event that arrives in between is not missed.
      return Flux.merge(state.wakeUps(), Mono.just(-1L))
          .concatMap(tick -> look)
          .next()
          .timeout(Duration.ofMillis(timeout), Mono.fromCallable(() -> sync.sync(who, since, filter, false, true)), scheduler)
          .map(Reply::json);
    });
  }

  private SyncFilter resolveFilter(Requester who, @Nullable String filter) {
    if (filter == null || filter.isEmpty()) {
      return SyncFilter.DEFAULT;
    }
    if (filter.startsWith("{")) {
      JsonNode node;
      try {
        node = SandboxJson.mapper().readTree(filter);
      } catch (RuntimeException e) {
        throw MatrixError.notJson("filter is not valid JSON");
      }
      return SyncFilter.parse(node);
    }
    ObjectNode stored = state.filter(who.userId(), filter);
    if (stored == null) {
      throw MatrixError.notFound("No such filter: " + filter);
    }
    return SyncFilter.parse(stored);
  }

  private Mono<Reply> defineFilter(Call c) {
    return sync(() -> {
      Requester who = c.who();
      String userId = c.param("userId");
      if (!userId.equals(who.userId())) {
        throw MatrixError.forbidden("Cannot create filters for other users");
      }
      return obj().put("filter_id", state.addFilter(userId, c.json()));
    });
  }

  private Mono<Reply> getFilter(Call c) {
    return sync(() -> {
      Requester who = c.who();
      String userId = c.param("userId");
      if (!userId.equals(who.userId())) {
        throw MatrixError.forbidden("Cannot get filters for other users");
      }
      ObjectNode filter = state.filter(userId, c.param("filterId"));
      if (filter == null) {
        throw MatrixError.notFound("No such filter");
      }
      return filter;
    });
  }

  // ---------------------------------------------------------------- rooms

  private Mono<Reply> createRoom(Call c) {
    return sync(() -> {
      Requester who = c.who();
      ObjectNode body = c.json();
      String visibility = Call.string(body, "visibility");
      String preset = Call.string(body, "preset");
      if (preset == null) {
        preset = "public".equals(visibility) ? "public_chat" : "private_chat";
      }
      if (!Set.of("private_chat", "public_chat", "trusted_private_chat").contains(preset)) {
        throw MatrixError.badJson("preset must be private_chat, public_chat or trusted_private_chat");
      }
      List<String> invite = new ArrayList<>();
      JsonNode inviteNode = body.get("invite");
      if (inviteNode != null) {
        if (!inviteNode.isArray()) {
          throw MatrixError.badJson("invite must be a list of user ids");
        }
        inviteNode.forEach(n -> invite.add(n.asString()));
      }
      List<ObjectNode> initial = new ArrayList<>();
      JsonNode initialNode = body.get("initial_state");
      if (initialNode != null) {
        if (!initialNode.isArray()) {
          throw MatrixError.badJson("initial_state must be a list of state events");
        }
        for (JsonNode n : initialNode) {
          if (!n.isObject() || !n.path("type").isString()) {
            throw MatrixError.badJson("every initial_state event needs a type");
          }
          initial.add((ObjectNode) n);
        }
      }
      JsonNode plOverride = body.get("power_level_content_override");
      JsonNode creation = body.get("creation_content");
      String version = Call.string(body, "room_version");
      MxUser creator = state.user(who.userId());
      MxRoom room = state.createRoom(creator, new MatrixState.RoomSpec(
          Call.string(body, "name"), Call.string(body, "topic"), Call.string(body, "room_alias_name"), preset, invite,
          body.path("is_direct").asBoolean(false), initial,
          plOverride instanceof ObjectNode o ? o : null, creation instanceof ObjectNode o2 ? o2 : null,
          version == null ? MatrixState.DEFAULT_ROOM_VERSION : version), who.appservice());
      return obj().put("room_id", room.id);
    });
  }

  private Mono<Reply> join(Call c) {
    Requester who = c.who();
    String target = c.params.containsKey("roomIdOrAlias") ? c.param("roomIdOrAlias") : c.param("roomId");
    ObjectNode body = c.json();
    return resolveRoom(target).map(roomId -> Reply.json(
        obj().put("room_id", state.join(who.userId(), roomId, Call.string(body, "reason")))));
  }

  /** Resolves an alias, asking an application service whose namespace has it when it is unknown. */
  private Mono<String> resolveRoom(String roomIdOrAlias) {
    if (!roomIdOrAlias.startsWith("#")) {
      return Mono.fromCallable(() -> state.resolveRoom(roomIdOrAlias));
    }
    return Mono.defer(() -> {
      synchronized (state) {
        if (state.aliases.containsKey(roomIdOrAlias)) {
          return Mono.just(state.aliases.get(roomIdOrAlias));
        }
      }
      AppserviceAccount owner = null;
      synchronized (state) {
        for (AppserviceAccount as : state.appservices.values()) {
          if (as.ownsAlias(roomIdOrAlias) && as.registration.url() != null) {
            owner = as;
            break;
          }
        }
      }
      if (owner == null) {
        return Mono.fromCallable(() -> state.resolveRoom(roomIdOrAlias));
      }
      return appservices.queryAlias(owner, roomIdOrAlias)
          .onErrorResume(e -> Mono.empty())
          .then(Mono.fromCallable(() -> state.resolveRoom(roomIdOrAlias)));
    });
  }

  private Mono<Reply> invite(Call c) {
    Requester who = c.who();
    ObjectNode body = c.json();
    String target = Call.required(body, "user_id");
    String roomId = c.param("roomId");
    return ensureUser(target).then(Mono.fromCallable(() -> {
      state.invite(who.userId(), roomId, target, Call.string(body, "reason"));
      return Reply.json(obj());
    }));
  }

  /**
   * Makes sure a local user exists before an invite: for an unknown user in an application
   * service's namespace, the homeserver asks the service ({@code GET /_matrix/app/v1/users/{userId}}),
   * which creates the user if it wants to.
   */
  private Mono<Void> ensureUser(String userId) {
    return Mono.defer(() -> {
      AppserviceAccount owner = null;
      synchronized (state) {
        if (state.users.containsKey(userId)) {
          return Mono.empty();
        }
        for (AppserviceAccount as : state.appservices.values()) {
          if (as.ownsUser(userId) && as.registration.url() != null) {
            owner = as;
            break;
          }
        }
      }
      if (owner == null) {
        return Mono.empty();
      }
      return appservices.queryUser(owner, userId).onErrorResume(e -> Mono.empty()).then();
    });
  }

  private Mono<Reply> leave(Call c) {
    return sync(() -> {
      state.leave(c.who().userId(), c.param("roomId"), Call.string(c.json(), "reason"));
      return obj();
    });
  }

  private Mono<Reply> joinedRooms(Call c) {
    return sync(() -> {
      ObjectNode out = obj();
      ArrayNode list = out.putArray("joined_rooms");
      state.joinedRooms(c.who().userId()).forEach(list::add);
      return out;
    });
  }

  private MxRoom memberRoom(Requester who, String roomId) {
    MxRoom room;
    synchronized (state) {
      room = state.rooms.get(roomId);
      if (room == null || SyncBuilder.visibleUpTo(room, who.userId(), state.position()) < 0) {
        boolean appserviceMember = room != null && who.appservice() != null
            && room.joinedMembers().stream().anyMatch(who.appservice()::ownsUser);
        if (!appserviceMember) {
          throw MatrixError.forbidden("User " + who.userId() + " not in room " + roomId);
        }
      }
    }
    return room;
  }

  private Mono<Reply> joinedMembers(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxRoom room = memberRoom(c.who(), c.param("roomId"));
        ObjectNode out = obj();
        ObjectNode joined = out.putObject("joined");
        for (String member : room.joinedMembers()) {
          MxEvent e = room.state("m.room.member", member);
          ObjectNode m = joined.putObject(member);
          if (e.content.path("displayname").isString()) {
            m.put("display_name", e.content.get("displayname").asString());
          }
          if (e.content.path("avatar_url").isString()) {
            m.put("avatar_url", e.content.get("avatar_url").asString());
          }
        }
        return out;
      }
    });
  }

  private Mono<Reply> members(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxRoom room = memberRoom(c.who(), c.param("roomId"));
        String membership = c.query("membership");
        String notMembership = c.query("not_membership");
        ObjectNode out = obj();
        ArrayNode chunk = out.putArray("chunk");
        long now = state.now();
        room.state.forEach((key, e) -> {
          if (!key.type().equals("m.room.member")) {
            return;
          }
          String m = e.membership();
          boolean include = membership == null && notMembership == null
              || (membership != null && membership.equals(m))
              || (notMembership != null && !notMembership.equals(m));
          if (include) {
            chunk.add(EventFormat.client(e, true, c.who().txnScope(), now, null));
          }
        });
        return out;
      }
    });
  }

  private Mono<Reply> roomState(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxRoom room = memberRoom(c.who(), c.param("roomId"));
        ArrayNode out = array();
        long now = state.now();
        room.state.values().forEach(e -> out.add(EventFormat.client(e, true, c.who().txnScope(), now, null)));
        return out;
      }
    });
  }

  private Mono<Reply> stateEvent(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxRoom room = memberRoom(c.who(), c.param("roomId"));
        String key = c.params.getOrDefault("stateKey", "");
        MxEvent e = room.state(c.param("eventType"), key);
        if (e == null) {
          throw MatrixError.notFound("Event not found.");
        }
        if ("event".equals(c.query("format"))) {
          return EventFormat.client(e, true, c.who().txnScope(), state.now(), null);
        }
        return e.content.deepCopy();
      }
    });
  }

  private static @Nullable Long ts(Call c) {
    String ts = c.query("ts");
    if (ts == null || c.who().appservice() == null) {
      return null;
    }
    try {
      return Long.parseLong(ts);
    } catch (NumberFormatException e) {
      throw MatrixError.invalidParam("ts must be a timestamp in milliseconds");
    }
  }

  private Mono<Reply> putState(Call c) {
    return sync(() -> state.sendState(c.who(), c.param("roomId"), c.param("eventType"),
        c.params.getOrDefault("stateKey", ""), c.json(), ts(c)));
  }

  private Mono<Reply> send(Call c) {
    return sync(() -> {
      String type = c.param("eventType");
      if (type.length() > 255) {
        throw MatrixError.badJson("event type is longer than 255 bytes");
      }
      ObjectNode content = c.json();
      if (content.toString().getBytes(StandardCharsets.UTF_8).length > 60_000) {
        throw new MatrixError(413, "M_TOO_LARGE", "event too large");
      }
      return state.send(c.who(), c.path, c.param("roomId"), type, content, c.param("txnId"), ts(c));
    });
  }

  private Mono<Reply> redact(Call c) {
    return sync(() -> {
      ObjectNode body = c.json();
      return state.redact(c.who(), c.path, c.param("roomId"), c.param("eventId"), Call.string(body, "reason"), c.param("txnId"));
    });
  }

  private Mono<Reply> messages(Call c) {
    return sync(() -> {
      String dir = c.query("dir");
      if (dir == null) {
        throw MatrixError.missingParam("Missing dir parameter");
      }
      if (!dir.equals("b") && !dir.equals("f")) {
        throw MatrixError.invalidParam("dir must be b or f");
      }
      int limit = 10;
      String l = c.query("limit");
      if (l != null) {
        try {
          limit = (int) Math.max(1, Math.min(1000, Long.parseLong(l)));
        } catch (NumberFormatException e) {
          throw MatrixError.invalidParam("limit must be an integer");
        }
      }
      EventFilter filter = EventFilter.ALL;
      String f = c.query("filter");
      if (f != null && !f.isEmpty()) {
        try {
          filter = EventFilter.parse(SandboxJson.mapper().readTree(f));
        } catch (MatrixError e) {
          throw e;
        } catch (RuntimeException e) {
          throw MatrixError.notJson("filter is not valid JSON");
        }
      }
      return sync.messages(c.who(), c.param("roomId"), c.query("from"), c.query("to"), dir, limit, filter);
    });
  }

  private Mono<Reply> event(Call c) {
    return sync(() -> sync.event(c.who(), c.param("roomId"), c.param("eventId")));
  }

  // ---------------------------------------------------------------- profiles and aliases

  private Mono<Reply> profile(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxUser user = state.user(c.param("userId"));
        if (user == null) {
          throw MatrixError.notFound("Profile was not found");
        }
        ObjectNode out = obj();
        if (user.displayName != null) {
          out.put("displayname", user.displayName);
        }
        if (user.avatarUrl != null) {
          out.put("avatar_url", user.avatarUrl);
        }
        return out;
      }
    });
  }

  private Mono<Reply> profileField(Call c) {
    return sync(() -> {
      synchronized (state) {
        MxUser user = state.user(c.param("userId"));
        String key = c.param("keyName");
        String value = user == null ? null : key.equals("displayname") ? user.displayName
            : key.equals("avatar_url") ? user.avatarUrl : null;
        if (value == null) {
          throw MatrixError.notFound("Profile field was not found");
        }
        return obj().put(key, value);
      }
    });
  }

  private Mono<Reply> setProfileField(Call c) {
    return sync(() -> {
      Requester who = c.who();
      String userId = c.param("userId");
      String key = c.param("keyName");
      if (!userId.equals(who.userId())) {
        throw MatrixError.forbidden("You may only change your own profile");
      }
      if (!key.matches("avatar_url|displayname|m\\.tz|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
        throw MatrixError.invalidParam("Invalid profile key.");
      }
      ObjectNode body = c.json();
      JsonNode value = body.get(key);
      if (value == null) {
        throw MatrixError.missingParam("Missing key '" + key + "'");
      }
      if ((key.equals("displayname") || key.equals("avatar_url")) && !value.isString() && !value.isNull()) {
        throw MatrixError.badJson(key + " must be a string");
      }
      if (key.equals("avatar_url") && value.isString() && !value.asString().startsWith("mxc://") && !value.asString().isEmpty()) {
        throw MatrixError.invalidParam("avatar_url must be an mxc:// URI");
      }
      if (key.equals("displayname") && value.isString() && value.asString().length() > 256) {
        throw MatrixError.badJson("displayname is too long");
      }
      state.setProfile(userId, key, value.isString() && value.asString().isEmpty() ? tools.jackson.databind.node.NullNode.getInstance() : value);
      return obj();
    });
  }

  private Mono<Reply> alias(Call c) {
    String alias = c.param("roomAlias");
    return resolveRoom(alias).map(roomId -> {
      ObjectNode out = obj().put("room_id", roomId);
      out.putArray("servers").add(state.serverName);
      return Reply.json(out);
    });
  }

  private Mono<Reply> setAlias(Call c) {
    return sync(() -> {
      state.setAlias(c.who(), c.param("roomAlias"), Call.required(c.json(), "room_id"));
      return obj();
    });
  }

  private Mono<Reply> deleteAlias(Call c) {
    return sync(() -> {
      state.deleteAlias(c.who(), c.param("roomAlias"));
      return obj();
    });
  }

  // ---------------------------------------------------------------- media

  private Mono<Reply> upload(Call c) {
    return sync(() -> {
      String type = c.headers.get(HttpHeaderNames.CONTENT_TYPE);
      if (type == null || type.isBlank()) {
        type = "application/octet-stream";
      }
      MediaItem item = state.storeMedia(c.who().userId(), type, c.query("filename"), c.body);
      return obj().put("content_uri", item.mxc(state.serverName));
    });
  }

  private Mono<Reply> download(Call c, @Nullable String overrideName) {
    return Mono.fromCallable(() -> {
      c.who();
      MediaItem item = state.media(c.param("serverName"), c.param("mediaId"));
      if (item == null) {
        throw MatrixError.notFound("Not found");
      }
      String type = item.contentType();
      String bare = type.toLowerCase(Locale.ROOT);
      int semi = bare.indexOf(';');
      bare = (semi < 0 ? bare : bare.substring(0, semi)).trim();
      String name = overrideName != null ? overrideName : item.fileName();
      String disposition = (INLINE_TYPES.contains(bare) ? "inline" : "attachment")
          + (name == null ? "" : "; filename=\"" + name.replace("\"", "") + "\"");
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", type);
      headers.put("Content-Disposition", disposition);
      headers.put("Content-Security-Policy",
          "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; object-src 'self';");
      headers.put("Cross-Origin-Resource-Policy", "cross-origin");
      return Reply.bytes(item.data().clone(), headers);
    });
  }

  // ---------------------------------------------------------------- application services

  private Mono<Reply> ping(Call c) {
    Requester who = c.who();
    AppserviceAccount as = who.appservice();
    String id = c.param("appserviceId");
    if (as == null || !as.id().equals(id)) {
      return Mono.error(MatrixError.forbidden("Provided access token is not for the application service " + id));
    }
    if (as.registration.url() == null) {
      return Mono.error(new MatrixError(400, "M_URL_NOT_SET", "Application service URL is not set"));
    }
    ObjectNode body = c.json();
    ObjectNode forward = obj();
    if (body.has("transaction_id")) {
      forward.set("transaction_id", body.get("transaction_id"));
    }
    long started = state.now();
    return appservices.ping(as, forward.toString())
        .onErrorMap(e -> !(e instanceof MatrixError), e -> e instanceof java.util.concurrent.TimeoutException
            ? new MatrixError(504, "M_CONNECTION_TIMEOUT", "Connection to application service timed out")
            : new MatrixError(502, "M_CONNECTION_FAILED", "Connection to application service failed"))
        .map(answer -> {
          if (!answer.ok()) {
            throw new MatrixError(502, "M_BAD_STATUS", "Application service returned HTTP " + answer.status())
                .with("status", answer.status()).with("body", answer.body());
          }
          return Reply.json(obj().put("duration_ms", Math.max(0, state.now() - started)));
        });
  }
}
