package coop.relay.sandbox.discord.internal;

import coop.relay.sandbox.SandboxException;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gateway v10 over WebSocket with JSON encoding: Hello, heartbeats and their ACKs, Identify and
 * Ready (then GUILD_CREATE), dispatches numbered per session, Resume with replay of what a session
 * missed, Reconnect (op 7), Invalid Session (op 9), and the documented close codes. Every method
 * that touches sessions or connections holds the state's lock, which also orders the dispatches.
 */
final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  static final String PATH = "/gateway";
  static final String RESUME_PATH = "/gateway-resume";
  private static final Set<Integer> ENDS_SESSION = Set.of(4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014);
  private static final int PAYLOADS_PER_MINUTE = 120;

  /** The builder's gateway options. */
  record Options(Duration heartbeatInterval, Duration resumeWindow, int replayBuffer) {}

  private final DiscordState state;
  private final Scheduler scheduler;
  private final Options options;
  private final JsonMapper json;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, GatewaySession> sessions = new LinkedHashMap<>();
  private final List<GatewayConnection> connections = new ArrayList<>();
  private boolean acks = true;

  Gateway(DiscordState state, Scheduler scheduler, Options options, JsonMapper json) {
    this.state = state;
    this.scheduler = scheduler;
    this.options = options;
    this.json = json;
    state.onDispatch(this::dispatch);
  }

  String url() {
    return state.baseUrl().replaceFirst("^http", "ws") + PATH;
  }

  String resumeUrl() {
    return state.baseUrl().replaceFirst("^http", "ws") + RESUME_PATH;
  }

  static boolean matches(HttpServerRequest req) {
    String path = new QueryStringDecoder(req.uri()).path();
    return path.equals(PATH) || path.equals(PATH + "/") || path.equals(RESUME_PATH) || path.equals(RESUME_PATH + "/");
  }

  // ---------------------------------------------------------------- connections

  Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    QueryStringDecoder query = new QueryStringDecoder(req.uri());
    boolean resumeUrl = query.path().startsWith(RESUME_PATH);
    String version = first(query, "v");
    String encoding = first(query, "encoding");
    String compress = first(query, "compress");
    return res.sendWebsocket(
        (in, out) -> serve(in, out, resumeUrl, version, encoding, compress),
        WebsocketServerSpec.builder().maxFramePayloadLength(1 << 20).build());
  }

  private static @Nullable String first(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Publisher<Void> serve(
      WebsocketInbound in, WebsocketOutbound out, boolean resumeUrl, @Nullable String version,
      @Nullable String encoding, @Nullable String compress) {
    GatewayConnection c = new GatewayConnection(resumeUrl);
    in.withConnection(connection -> c.netty = connection);
    synchronized (state) {
      connections.add(c);
      if (!"10".equals(version) && !"9".equals(version)) {
        c.close(4012, "Invalid API version");
      } else if (encoding != null && !encoding.equals("json")) {
        c.close(4002, "Error while decoding payload (the sandbox speaks encoding=json only)");
      } else if (compress != null) {
        c.close(4000, "Unknown error (the sandbox does not compress; leave out compress)");
      } else {
        ObjectNode hello = json.createObjectNode();
        hello.put("heartbeat_interval", options.heartbeatInterval().toMillis());
        c.send(frame(10, hello, null, null));
        armHeartbeatTimeout(c);
      }
    }
    in.receiveCloseStatus().subscribe(status -> clientClosed(c, status.code()));
    Mono<Void> inbound = in.aggregateFrames(1 << 20)
        .receive()
        .asString()
        .doOnNext(text -> received(c, text))
        .then()
        .onErrorResume(e -> Mono.empty())
        .doFinally(signal -> ended(c));
    Mono<Void> outbound = out.sendString(c.frames())
        .then()
        .then(Mono.defer(() -> {
          Integer code = c.closeCode;
          return code == null ? Mono.<Void>empty() : out.sendClose(code, c.closeReason);
        }))
        .onErrorResume(e -> Mono.empty());
    return Mono.when(inbound, outbound);
  }

  private String frame(int op, @Nullable JsonNode d, @Nullable Long seq, @Nullable String type) {
    ObjectNode o = json.createObjectNode();
    o.put("op", op);
    if (d == null) {
      o.putNull("d");
    } else {
      o.set("d", d);
    }
    if (seq == null) {
      o.putNull("s");
    } else {
      o.put("s", seq);
    }
    if (type == null) {
      o.putNull("t");
    } else {
      o.put("t", type);
    }
    return json.writeValueAsString(o);
  }

  private void armHeartbeatTimeout(GatewayConnection c) {
    if (c.heartbeatTimeout != null) {
      c.heartbeatTimeout.dispose();
    }
    // Discord allows some slack past the interval before it gives up on a silent client.
    Duration allowed = options.heartbeatInterval().plus(options.heartbeatInterval().dividedBy(2));
    c.heartbeatTimeout = Mono.delay(allowed, scheduler).subscribe(tick -> {
      synchronized (state) {
        if (!c.closed && c.closeCode == null) {
          endSession(c);
          c.close(4009, "Session timed out.");
        }
      }
    });
  }

  private void clientClosed(GatewayConnection c, int code) {
    synchronized (state) {
      // Closing with 1000 or 1001 ends the session: the bot goes offline and cannot resume.
      if ((code == 1000 || code == 1001) && c.session != null) {
        endSession(c);
      }
    }
  }

  private void ended(GatewayConnection c) {
    synchronized (state) {
      c.ended();
      connections.remove(c);
      GatewaySession s = c.session;
      if (s != null && s.connection == c) {
        s.connection = null;
        s.detachedAt = state.nowMillis();
      }
    }
  }

  private void endSession(GatewayConnection c) {
    GatewaySession s = c.session;
    if (s != null) {
      sessions.remove(s.id);
      s.connection = null;
      c.session = null;
    }
  }

  // ---------------------------------------------------------------- client payloads

  private void received(GatewayConnection c, String text) {
    synchronized (state) {
      if (c.closed || c.closeCode != null) {
        return;
      }
      long now = state.nowMillis();
      if (now - c.windowStart >= 60_000) {
        c.windowStart = now;
        c.receivedInWindow = 0;
      }
      if (++c.receivedInWindow > PAYLOADS_PER_MINUTE) {
        c.close(4008, "Rate limited.");
        return;
      }
      JsonNode payload;
      try {
        payload = json.readTree(text);
      } catch (JacksonException e) {
        c.close(4002, "Error while decoding payload.");
        return;
      }
      if (payload == null || !payload.isObject() || !payload.path("op").isIntegralNumber()) {
        c.close(4002, "Error while decoding payload.");
        return;
      }
      int op = payload.get("op").asInt();
      JsonNode d = payload.get("d");
      switch (op) {
        case 1 -> heartbeat(c);
        case 2 -> {
          if (c.session != null) {
            c.close(4005, "Already authenticated.");
          } else {
            identify(c, d);
          }
        }
        case 6 -> {
          if (c.session != null) {
            c.close(4005, "Already authenticated.");
          } else {
            resume(c, d);
          }
        }
        case 3, 4, 8, 31 -> {
          if (c.session == null) {
            c.close(4003, "Not authenticated.");
          }
          // Presence, voice and member requests are accepted and have no effect in the sandbox.
        }
        default -> c.close(4001, "Unknown opcode.");
      }
    }
  }

  private void heartbeat(GatewayConnection c) {
    armHeartbeatTimeout(c);
    if (acks) {
      c.send(frame(11, null, null, null));
    }
  }

  private @Nullable BotApp authenticate(@Nullable JsonNode token) {
    if (token == null || !token.isString()) {
      return null;
    }
    String t = token.asString();
    return state.bot(t.startsWith("Bot ") ? t.substring(4) : t);
  }

  private void identify(GatewayConnection c, @Nullable JsonNode d) {
    if (d == null || !d.isObject() || !d.path("token").isString() || !d.path("properties").isObject()) {
      c.close(4002, "Error while decoding payload.");
      return;
    }
    BotApp bot = authenticate(d.get("token"));
    if (bot == null) {
      c.close(4004, "Authentication failed.");
      return;
    }
    JsonNode intentsNode = d.get("intents");
    if (intentsNode == null || !intentsNode.isIntegralNumber()) {
      c.close(4013, "Invalid intent(s).");
      return;
    }
    long intents = intentsNode.asLong();
    if (intents < 0 || (intents & ~Intents.KNOWN) != 0) {
      c.close(4013, "Invalid intent(s).");
      return;
    }
    long disallowed = intents & Intents.PRIVILEGED & ~bot.privilegedAllowed;
    if (disallowed != 0) {
      c.close(4014, "Disallowed intent(s).");
      log.info(
          "gateway refused {} for intents that are not enabled for the application: {}", bot,
          Intents.privilegedNames(disallowed));
      return;
    }
    boolean hasGuild = true;
    JsonNode shard = d.get("shard");
    if (shard != null && !shard.isNull()) {
      if (!shard.isArray() || shard.size() != 2 || !shard.get(0).isIntegralNumber() || !shard.get(1).isIntegralNumber()
          || shard.get(1).asInt() < 1 || shard.get(0).asInt() < 0 || shard.get(0).asInt() >= shard.get(1).asInt()) {
        c.close(4010, "Invalid shard.");
        return;
      }
      hasGuild = (state.guildId >> 22) % shard.get(1).asInt() == shard.get(0).asInt();
    }
    bot.sessionStartsRemaining = Math.max(0, bot.sessionStartsRemaining - 1);
    byte[] id = new byte[16];
    random.nextBytes(id);
    GatewaySession s = new GatewaySession(HexFormat.of().formatHex(id), bot, intents, hasGuild);
    sessions.put(s.id, s);
    s.connection = c;
    c.session = s;
    ObjectNode ready = json.createObjectNode();
    ready.put("v", 10);
    ready.putObject("user_settings");
    ObjectNode user = state.wire.user(bot.user);
    user.put("verified", true);
    user.put("mfa_enabled", false);
    user.putNull("email");
    ready.set("user", user);
    ready.put("session_type", "normal");
    ready.put("session_id", s.id);
    ready.put("resume_gateway_url", resumeUrl());
    ready.putArray("relationships");
    ready.putArray("private_channels");
    ready.putArray("presences");
    ArrayNode guilds = ready.putArray("guilds");
    if (hasGuild) {
      ObjectNode g = guilds.addObject();
      g.put("id", Wire.id(state.guildId));
      g.put("unavailable", true);
    }
    ready.putArray("guild_join_requests");
    ready.putArray("geo_ordered_rtc_regions").add("sandbox");
    ready.putObject("auth");
    ObjectNode application = ready.putObject("application");
    application.put("id", Wire.id(bot.applicationId));
    application.put("flags", flags(bot));
    if (shard != null && !shard.isNull()) {
      ready.set("shard", shard);
    }
    send(s, "READY", ready);
    if (hasGuild && s.wants(Intents.GUILDS)) {
      send(s, "GUILD_CREATE", state.wire.guildCreate(bot.user.id()));
    }
  }

  private static int flags(BotApp bot) {
    int flags = 0;
    // GATEWAY_PRESENCE_LIMITED, GATEWAY_GUILD_MEMBERS_LIMITED, GATEWAY_MESSAGE_CONTENT_LIMITED: the
    // application flags that say a privileged intent is enabled for an unverified app.
    if ((bot.privilegedAllowed & Intents.GUILD_PRESENCES) != 0) {
      flags |= 1 << 13;
    }
    if ((bot.privilegedAllowed & Intents.GUILD_MEMBERS) != 0) {
      flags |= 1 << 15;
    }
    if ((bot.privilegedAllowed & Intents.MESSAGE_CONTENT) != 0) {
      flags |= 1 << 19;
    }
    return flags;
  }

  private void resume(GatewayConnection c, @Nullable JsonNode d) {
    if (d == null || !d.isObject() || !d.path("token").isString() || !d.path("session_id").isString()) {
      c.close(4002, "Error while decoding payload.");
      return;
    }
    BotApp bot = authenticate(d.get("token"));
    if (bot == null) {
      c.close(4004, "Authentication failed.");
      return;
    }
    expireSessions();
    GatewaySession s = sessions.get(d.get("session_id").asString());
    if (s == null || s.bot != bot) {
      c.send(frame(9, json.getNodeFactory().booleanNode(false), null, null));
      return;
    }
    JsonNode seqNode = d.get("seq");
    long seq = seqNode == null || seqNode.isNull() ? 0 : seqNode.asLong(-1);
    if (seq < 0 || seq > s.seq) {
      sessions.remove(s.id);
      c.close(4007, "Invalid seq.");
      return;
    }
    if (seq + 1 < s.oldestBuffered()) {
      // The events after seq are no longer kept: the session cannot be resumed.
      sessions.remove(s.id);
      c.send(frame(9, json.getNodeFactory().booleanNode(false), null, null));
      return;
    }
    GatewayConnection previous = s.connection;
    if (previous != null && previous != c) {
      previous.session = null;
      previous.close(4000, "Unknown error (the session was resumed on another connection).");
    }
    s.connection = c;
    c.session = s;
    for (GatewaySession.Frame f : s.buffer) {
      if (f.seq() > seq) {
        c.send(f.text());
      }
    }
    send(s, "RESUMED", json.createObjectNode());
  }

  private void expireSessions() {
    long now = state.nowMillis();
    for (Iterator<GatewaySession> it = sessions.values().iterator(); it.hasNext(); ) {
      GatewaySession s = it.next();
      if (s.connection == null && now - s.detachedAt > options.resumeWindow().toMillis()) {
        it.remove();
      }
    }
  }

  // ---------------------------------------------------------------- dispatches

  /** Numbers, buffers and sends one event to a session. */
  private void send(GatewaySession s, String type, ObjectNode payload) {
    long seq = ++s.seq;
    String text = frame(0, payload, seq, type);
    s.buffer.addLast(new GatewaySession.Frame(seq, text));
    while (s.buffer.size() > options.replayBuffer()) {
      s.buffer.removeFirst();
    }
    GatewayConnection c = s.connection;
    if (c != null) {
      c.send(text);
    }
  }

  /** Called by the state, under its lock, for every change bots may hear about. */
  void dispatch(Dispatch d) {
    expireSessions();
    for (GatewaySession s : sessions.values()) {
      if (!s.hasGuild || !s.wants(d.intent())) {
        continue;
      }
      ObjectNode payload = d.payload();
      if (d.messageAuthorId() != null && !s.wants(Intents.MESSAGE_CONTENT)
          && d.messageAuthorId() != s.bot.user.id() && !d.mentionIds().contains(s.bot.user.id())) {
        // Without the Message Content intent, bots get messages they neither wrote nor are
        // mentioned in with their content left empty.
        payload = payload.deepCopy();
        payload.put("content", "");
        payload.putArray("embeds");
        payload.putArray("attachments");
        payload.putArray("components");
        payload.remove("poll");
      }
      send(s, d.type(), payload);
    }
  }

  // ---------------------------------------------------------------- control

  /**
   * Numbers and sends a MESSAGE_CREATE whose {@code d} has the wrong shape ({@code id} a number,
   * {@code channel_id} an array, {@code content} an object) to every session that hears the
   * guild's messages, as Discord might after an API change. It counts in the sequence and is
   * replayed on Resume like any dispatch. Returns how many sessions numbered it.
   *
   * @throws SandboxException if {@code channelId} names no channel
   */
  int malformedDispatch(String channelId) {
    synchronized (state) {
      long id;
      try {
        id = Long.parseLong(channelId.strip());
      } catch (NumberFormatException e) {
        id = -1;
      }
      if (state.channelOrNull(id) == null) {
        throw SandboxException.notFound("no Discord channel " + channelId + "; create one with createChannel");
      }
      expireSessions();
      int numbered = 0;
      for (GatewaySession s : sessions.values()) {
        if (s.hasGuild && s.wants(Intents.GUILD_MESSAGES)) {
          ObjectNode broken = json.createObjectNode();
          broken.put("id", 12);
          broken.putArray("channel_id");
          broken.putObject("content");
          broken.put("guild_id", Wire.id(state.guildId));
          send(s, "MESSAGE_CREATE", broken);
          numbered++;
        }
      }
      return numbered;
    }
  }

  int reconnect() {
    synchronized (state) {
      List<GatewayConnection> live = live();
      live.forEach(c -> c.send(frame(7, null, null, null)));
      return live.size();
    }
  }

  int invalidateSessions(boolean resumable) {
    synchronized (state) {
      List<GatewayConnection> live = live();
      for (GatewayConnection c : live) {
        c.send(frame(9, json.getNodeFactory().booleanNode(resumable), null, null));
        GatewaySession s = c.session;
        if (s != null) {
          if (!resumable) {
            sessions.remove(s.id);
          }
          s.connection = null;
          s.detachedAt = state.nowMillis();
          c.session = null;
        }
      }
      return live.size();
    }
  }

  int requestHeartbeat() {
    synchronized (state) {
      List<GatewayConnection> live = live();
      live.forEach(c -> c.send(frame(1, null, null, null)));
      return live.size();
    }
  }

  void heartbeatAcks(boolean enabled) {
    synchronized (state) {
      acks = enabled;
    }
  }

  int close(int code, String reason) {
    synchronized (state) {
      List<GatewayConnection> live = live();
      for (GatewayConnection c : live) {
        if (ENDS_SESSION.contains(code)) {
          endSession(c);
        }
        c.close(code, reason);
      }
      return live.size();
    }
  }

  int drop() {
    List<GatewayConnection> live;
    synchronized (state) {
      live = live();
    }
    live.forEach(GatewayConnection::drop);
    return live.size();
  }

  private List<GatewayConnection> live() {
    return connections.stream().filter(c -> !c.closed && c.closeCode == null).toList();
  }

  /** What the sandbox page and tests may want to know about the gateway. */
  record Status(int connections, int sessions, int resumableSessions) {}

  Status status() {
    synchronized (state) {
      expireSessions();
      int detached = (int) sessions.values().stream().filter(s -> s.connection == null).count();
      return new Status(live().size(), sessions.size(), detached);
    }
  }
}
