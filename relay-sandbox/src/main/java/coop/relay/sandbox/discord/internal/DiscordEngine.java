package coop.relay.sandbox.discord.internal;

import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.discord.GatewayStatus;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Wires the Discord emulator's parts together: state, REST API, gateway, control API and the
 * Discord-only control routes. {@code coop.relay.sandbox.discord.DiscordEmulator} is its face.
 */
public final class DiscordEngine {

  /** A bot application as configured on the builder. */
  public record BotSpec(String token, String username, boolean messageContent, boolean members, boolean presences) {
    @Override
    public String toString() {
      // The token is a secret, even a sandbox one.
      return "BotSpec[" + username + "]";
    }
  }

  /** The builder's options. */
  public record Options(
      Scheduler scheduler,
      String guildName,
      List<String> customEmojis,
      int contentLimit,
      long uploadLimit,
      Duration heartbeatInterval,
      Duration resumeWindow,
      int replayBuffer,
      RouteLimits limits) {}

  private final DiscordState state;
  private final FaultPlan faults = new FaultPlan();
  private final DiscordControl control;
  private final Gateway gateway;
  private final RestApi api;
  private final JsonMapper json = SandboxJson.mapper();

  public DiscordEngine(List<BotSpec> bots, Options options) {
    Map<String, Long> emojis = new java.util.LinkedHashMap<>();
    options.customEmojis().forEach(name -> emojis.put(name, 0L));
    this.state = new DiscordState(
        new DiscordState.Settings(options.guildName(), options.contentLimit(), options.uploadLimit(), emojis),
        options.scheduler());
    for (BotSpec b : bots) {
      long privileged = (b.messageContent() ? Intents.MESSAGE_CONTENT : 0)
          | (b.members() ? Intents.GUILD_MEMBERS : 0)
          | (b.presences() ? Intents.GUILD_PRESENCES : 0);
      state.addBot(b.token(), b.username(), privileged, 1000);
    }
    this.gateway = new Gateway(
        state, options.scheduler(),
        new Gateway.Options(options.heartbeatInterval(), options.resumeWindow(), options.replayBuffer()), json);
    this.control = new DiscordControl(state, faults);
    this.api = new RestApi(state, gateway, faults, json, options.limits());
  }

  public SandboxControl control() {
    return control;
  }

  public void routes(HttpServerRoutes routes) {
    String p = SandboxControl.HTTP_PREFIX + "/discord";
    routes.post(p + "/gateway/reconnect", (req, res) -> answer(res, body -> count(gateway.reconnect())));
    routes.post(p + "/gateway/invalid-session", (req, res) -> req.receive().aggregate().asString().defaultIfEmpty("{}")
        .flatMap(text -> answer(res, x -> count(gateway.invalidateSessions(read(text).path("resumable").asBoolean(false))))));
    routes.post(p + "/gateway/heartbeat", (req, res) -> answer(res, body -> count(gateway.requestHeartbeat())));
    routes.post(p + "/gateway/drop", (req, res) -> answer(res, body -> count(gateway.drop())));
    routes.post(p + "/gateway/close", (req, res) -> req.receive().aggregate().asString().defaultIfEmpty("{}")
        .flatMap(text -> answer(res, x -> {
          JsonNode node = read(text);
          return count(closeGateway(node.path("code").asInt(4000), node.path("reason").asString("")));
        })));
    routes.post(p + "/gateway/acks", (req, res) -> req.receive().aggregate().asString().defaultIfEmpty("{}")
        .flatMap(text -> answer(res, x -> {
          gateway.heartbeatAcks(read(text).path("enabled").asBoolean(true));
          return json.createObjectNode();
        })));
    routes.get(p + "/gateway", (req, res) -> answer(res, x -> json.valueToTree(gatewayStatus())));
    routes.post(p + "/channels/{c}/permissions", (req, res) -> req.receive().aggregate().asString().defaultIfEmpty("{}")
        .flatMap(text -> answer(res, x -> {
          JsonNode node = read(text);
          if (!node.path("manageWebhooks").isBoolean()) {
            throw SandboxException.invalid("the body needs {\"manageWebhooks\": true|false}");
          }
          String channel = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(String.valueOf(req.param("c")));
          state.setManageWebhooks(channel, node.get("manageWebhooks").asBoolean());
          return json.createObjectNode();
        })));
    routes.post(p + "/channels/{c}/malformed-dispatch", (req, res) -> answer(res, x -> {
      String channel = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(String.valueOf(req.param("c")));
      ObjectNode o = json.createObjectNode();
      o.put("sessions", gateway.malformedDispatch(channel));
      return o;
    }));
    routes.route(Gateway::matches, gateway::handle);
    api.mount(routes);
  }

  private JsonNode read(String text) {
    JsonNode node = json.readTree(text.isBlank() ? "{}" : text);
    if (!node.isObject()) {
      throw SandboxException.invalid("the request body must be a JSON object");
    }
    return node;
  }

  private ObjectNode count(int connections) {
    ObjectNode o = json.createObjectNode();
    o.put("connections", connections);
    return o;
  }

  private Mono<Void> answer(reactor.netty.http.server.HttpServerResponse res, Function<Void, JsonNode> action) {
    return Mono.fromCallable(() -> action.apply(null))
        .flatMap(body -> send(res, 200, body))
        .onErrorResume(e -> {
          int status = e instanceof SandboxException se ? se.reason().status() : 400;
          ObjectNode error = json.createObjectNode();
          error.put("error", e instanceof SandboxException se ? se.reason().name() : "INVALID");
          error.put("message", String.valueOf(e.getMessage()));
          return send(res, status, error);
        });
  }

  private Mono<Void> send(reactor.netty.http.server.HttpServerResponse res, int status, JsonNode body) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(json.writeValueAsString(body)), StandardCharsets.UTF_8)
        .then();
  }

  public void started(String baseUrl) {
    state.baseUrl(baseUrl);
  }

  public Mono<Void> stopping() {
    return Mono.empty();
  }

  public String apiBaseUrl() {
    return state.baseUrl() + "/api/v10";
  }

  public String gatewayUrl() {
    return gateway.url();
  }

  public int reconnectGateway() {
    return gateway.reconnect();
  }

  public int invalidateSessions(boolean resumable) {
    return gateway.invalidateSessions(resumable);
  }

  public int requestHeartbeat() {
    return gateway.requestHeartbeat();
  }

  public void heartbeatAcks(boolean enabled) {
    gateway.heartbeatAcks(enabled);
  }

  public int injectMalformedDispatch(String channelId) {
    return gateway.malformedDispatch(channelId);
  }

  public int dropGateway() {
    return gateway.drop();
  }

  public int closeGateway(int code, String reason) {
    if (code < 4000 || code > 4999) {
      if (code != 1000 && code != 1001 && code != 1011 && code != 1012) {
        throw SandboxException.invalid("close with a gateway close code 4000-4999 (or 1000, 1001, 1011, 1012), not " + code);
      }
    }
    return gateway.close(code, reason.isEmpty() ? defaultReason(code) : reason);
  }

  private static String defaultReason(int code) {
    return switch (code) {
      case 4000 -> "Unknown error.";
      case 4001 -> "Unknown opcode.";
      case 4002 -> "Error while decoding payload.";
      case 4003 -> "Not authenticated.";
      case 4004 -> "Authentication failed.";
      case 4005 -> "Already authenticated.";
      case 4007 -> "Invalid seq.";
      case 4008 -> "Rate limited.";
      case 4009 -> "Session timed out.";
      case 4010 -> "Invalid shard.";
      case 4011 -> "Sharding required.";
      case 4012 -> "Invalid API version.";
      case 4013 -> "Invalid intent(s).";
      case 4014 -> "Disallowed intent(s).";
      default -> "";
    };
  }

  public GatewayStatus gatewayStatus() {
    Gateway.Status s = gateway.status();
    return new GatewayStatus(s.connections(), s.sessions(), s.resumableSessions());
  }

  public void manageWebhooks(String channelId, boolean allowed) {
    state.setManageWebhooks(channelId, allowed);
  }

  public String customEmoji(String name) {
    Long id = state.customEmojis().get(name);
    if (id == null) {
      throw new IllegalArgumentException("no custom emoji \"" + name + "\"; add it with the builder's customEmoji");
    }
    return name + ":" + id;
  }

  public String botUserId(String token) {
    BotApp bot = state.bot(token);
    if (bot == null) {
      throw new IllegalArgumentException("no bot with that token; add it with the builder's bot(token, username)");
    }
    return Wire.id(bot.user.id());
  }

  public String guildId() {
    return Wire.id(state.guildId);
  }

  public int invalidRequests() {
    return api.invalidRequests();
  }
}
