package coop.relay.sandbox.discord.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.RequestForm;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Discord's HTTP API v10 under {@code /api/v10} (also {@code /api/v9} and unversioned {@code /api},
 * which webhook URLs use), plus the CDN paths for attachments and avatars. Every answer carries the
 * rate-limit headers of its route's bucket; errors use Discord's JSON error shape.
 */
final class RestApi {
  private static final Logger log = LoggerFactory.getLogger(RestApi.class);
  private static final long INVALID_WINDOW_MILLIS = 10 * 60 * 1000;

  /** One request, with its path parameters and the bot that made it (null for webhook-token routes). */
  private record Call(
      HttpServerRequest req, Map<String, String> params, @Nullable BotApp bot, @Nullable String contentType,
      byte[] body) {
    @Nullable String query(String name) {
      List<String> values = new QueryStringDecoder(req.uri()).parameters().get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    BotApp botOrFail() {
      if (bot == null) {
        throw ApiError.unauthorized();
      }
      return bot;
    }
  }

  /** An answer: status and JSON body (null for 204). */
  private record Answer(int status, @Nullable JsonNode body) {}

  private interface Handler {
    Answer handle(Call call);
  }

  /** A route: method, path template segments, rate-limit bucket and handler. */
  private record Route(String method, String template, String[] segments, String bucket, Handler handler) {
    boolean webhookToken() {
      return template.contains("{webhook_token}");
    }

    String key() {
      return method + " " + RestApi.normalize(template);
    }
  }

  private final DiscordState state;
  private final Gateway gateway;
  private final FaultPlan faults;
  private final JsonMapper json;
  private final RateLimits limits;
  private final List<Route> routes = new ArrayList<>();
  private final Deque<Long> invalidRequests = new ArrayDeque<>();

  RestApi(DiscordState state, Gateway gateway, FaultPlan faults, JsonMapper json, RouteLimits routeLimits) {
    this.state = state;
    this.gateway = gateway;
    this.faults = faults;
    this.json = json;
    register();
    Map<String, String> buckets = new HashMap<>();
    routes.forEach(r -> buckets.put(r.key(), r.bucket()));
    this.limits = routeLimits.build(buckets, state::nowMillis);
  }

  /** {@code POST /channels/{channel_id}/messages} → {@code POST /channels/{}/messages}. */
  static String normalize(String route) {
    String r = route.strip();
    int space = r.indexOf(' ');
    String method = space < 0 ? "" : r.substring(0, space + 1).toUpperCase(Locale.ROOT);
    String path = space < 0 ? r : r.substring(space + 1).strip();
    path = path.replaceFirst("^/api(/v[0-9]+)?", "");
    return method + path.replaceAll("\\{[^}]*}", "{}");
  }

  // ---------------------------------------------------------------- route table

  private void route(String method, String template, String bucket, Handler handler) {
    routes.add(new Route(method, template, template.substring(1).split("/"), bucket, handler));
  }

  private void register() {
    route("GET", "/gateway", "gateway", c -> ok(gatewayUrl()));
    route("GET", "/gateway/bot", "gateway", this::gatewayBot);
    route("GET", "/users/@me", "users", c -> ok(state.me(c.botOrFail())));
    route("GET", "/channels/{channel_id}", "channels", c -> ok(state.getChannel(snowflake(c, "channel_id"))));
    route("GET", "/channels/{channel_id}/messages", "messages.list", this::listMessages);
    route("POST", "/channels/{channel_id}/messages", "messages.create", this::createMessage);
    route("POST", "/channels/{channel_id}/messages/bulk-delete", "messages.bulk-delete", this::bulkDelete);
    route("GET", "/channels/{channel_id}/messages/{message_id}", "messages.get", c ->
        ok(state.getMessage(c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"))));
    route("PATCH", "/channels/{channel_id}/messages/{message_id}", "messages.edit", this::editMessage);
    route("DELETE", "/channels/{channel_id}/messages/{message_id}", "messages.delete", c -> {
      state.deleteMessage(c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"));
      return noContent();
    });
    route("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", "reactions", c -> {
      state.addReaction(c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"), emoji(c));
      return noContent();
    });
    route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me", "reactions", c -> {
      BotApp bot = c.botOrFail();
      state.removeReaction(bot, snowflake(c, "channel_id"), snowflake(c, "message_id"), emoji(c), bot.user.id());
      return noContent();
    });
    route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/{user_id}", "reactions", c -> {
      state.removeReaction(
          c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"), emoji(c), snowflake(c, "user_id"));
      return noContent();
    });
    route("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}", "reactions.list", c -> {
      c.botOrFail();
      int limit = intQuery(c, "limit", 25, 1, 100);
      return ok(state.reactionUsers(
          snowflake(c, "channel_id"), snowflake(c, "message_id"), emoji(c), snowflakeQuery(c, "after"), limit));
    });
    route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}", "reactions", c -> {
      state.removeAllReactions(c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"), emoji(c));
      return noContent();
    });
    route("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions", "reactions", c -> {
      state.removeAllReactions(c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"), null);
      return noContent();
    });
    route("POST", "/channels/{channel_id}/messages/{message_id}/threads", "threads", c -> {
      JsonNode body = jsonBody(c);
      return new Answer(201, state.startThreadFromMessage(
          c.botOrFail(), snowflake(c, "channel_id"), snowflake(c, "message_id"), string(body, "name")));
    });
    route("POST", "/channels/{channel_id}/threads", "threads", c -> {
      JsonNode body = jsonBody(c);
      JsonNode type = body.get("type");
      if (type != null && !type.isNull() && type.asInt() != DcChannel.PUBLIC_THREAD) {
        throw ApiError.invalidField("type", "BASE_TYPE_CHOICES", "The sandbox supports public threads (type 11) only.");
      }
      return new Answer(201, state.startThread(c.botOrFail(), snowflake(c, "channel_id"), string(body, "name")));
    });
    route("POST", "/channels/{channel_id}/webhooks", "webhooks.manage", c -> {
      JsonNode body = jsonBody(c);
      String avatar = string(body, "avatar");
      // Discord takes the avatar as image data; the sandbox keeps the data URI as the picture.
      return ok(state.createWebhook(c.botOrFail(), snowflake(c, "channel_id"), string(body, "name"), avatar));
    });
    route("GET", "/channels/{channel_id}/webhooks", "webhooks.manage", c ->
        ok(state.listWebhooks(c.botOrFail(), snowflake(c, "channel_id"))));
    route("GET", "/webhooks/{webhook_id}", "webhooks.manage", c ->
        ok(state.getWebhook(snowflake(c, "webhook_id"), null, c.botOrFail())));
    route("DELETE", "/webhooks/{webhook_id}", "webhooks.manage", c -> {
      state.deleteWebhook(snowflake(c, "webhook_id"), null, c.botOrFail());
      return noContent();
    });
    route("GET", "/webhooks/{webhook_id}/{webhook_token}", "webhooks.manage", c ->
        ok(state.getWebhook(snowflake(c, "webhook_id"), c.params().get("webhook_token"), null)));
    route("DELETE", "/webhooks/{webhook_id}/{webhook_token}", "webhooks.manage", c -> {
      state.deleteWebhook(snowflake(c, "webhook_id"), c.params().get("webhook_token"), null);
      return noContent();
    });
    route("POST", "/webhooks/{webhook_id}/{webhook_token}", "webhooks.execute", this::executeWebhook);
    route("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhooks.messages", c ->
        ok(state.getWebhookMessage(webhook(c), snowflakeQuery(c, "thread_id"), snowflake(c, "message_id"))));
    route("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhooks.messages", c -> {
      DcWebhook w = webhook(c);
      DiscordState.Outgoing out = outgoing(c, true);
      return ok(state.editWebhookMessage(w, snowflakeQuery(c, "thread_id"), snowflake(c, "message_id"), out));
    });
    route("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhooks.messages", c -> {
      state.deleteWebhookMessage(webhook(c), snowflakeQuery(c, "thread_id"), snowflake(c, "message_id"));
      return noContent();
    });
  }

  // ---------------------------------------------------------------- mounting and dispatch

  void mount(HttpServerRoutes r) {
    r.route(req -> req.method().name().equals("GET") && path(req).startsWith("/attachments/"), this::attachment);
    r.route(req -> req.method().name().equals("GET") && path(req).startsWith("/media/attachments/"), this::attachment);
    r.route(req -> req.method().name().equals("GET") && path(req).startsWith("/avatars/"), this::avatar);
    r.route(req -> path(req).startsWith("/api/") || path(req).equals("/api"), this::api);
    // Anything else answers as discord.com's API does for unknown paths.
    r.route(
        req -> !path(req).startsWith(SandboxControl.HTTP_PREFIX),
        (req, res) -> send(res, new Answer(404, ApiError.notFound().body()), null));
  }

  private static String path(HttpServerRequest req) {
    return new QueryStringDecoder(req.uri()).rawPath();
  }

  private Publisher<Void> api(HttpServerRequest req, HttpServerResponse res) {
    String raw = path(req).substring("/api".length());
    if (raw.matches("^/v[0-9]+(/.*)?$")) {
      String version = raw.substring(2, raw.indexOf('/', 1) < 0 ? raw.length() : raw.indexOf('/', 1));
      if (!version.equals("10") && !version.equals("9")) {
        return send(res, new Answer(404, ApiError.notFound().body()), null);
      }
      raw = raw.substring(2 + version.length());
    }
    String[] have = raw.startsWith("/") ? raw.substring(1).split("/", -1) : new String[0];
    Route route = null;
    Map<String, String> params = null;
    boolean pathKnown = false;
    for (Route r : routes) {
      Map<String, String> p = match(r.segments(), have);
      if (p != null) {
        pathKnown = true;
        if (r.method().equals(req.method().name())) {
          route = r;
          params = p;
          break;
        }
      }
    }
    if (route == null || params == null) {
      return send(res, new Answer(pathKnown ? 405 : 404, (pathKnown ? ApiError.methodNotAllowed() : ApiError.notFound()).body()), null);
    }
    BotApp bot = null;
    String authorization = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.startsWith("Bot ")) {
      bot = state.bot(authorization.substring(4).strip());
    }
    boolean needsBot = !route.webhookToken() && !route.template().equals("/gateway");
    if (needsBot && bot == null) {
      return send(res, new Answer(401, ApiError.unauthorized().body()), null);
    }
    Route chosen = route;
    Map<String, String> chosenParams = params;
    BotApp caller = bot;
    Fault fault = faults.take(route.key());
    if (fault != null) {
      return fault(res, chosen, chosenParams, fault);
    }
    String major = major(chosenParams);
    // Webhook-token requests are exempt from the bot's global limit, as Discord documents.
    RateLimits.Decision decision = limits.acquire(chosen.bucket(), major, chosen.webhookToken() ? null : caller == null ? null : caller.token);
    if (!decision.allowed()) {
      return rateLimited(res, decision);
    }
    String contentType = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    return req.receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .map(body -> {
          try {
            return chosen.handler().handle(new Call(req, chosenParams, caller, contentType, body));
          } catch (ApiError e) {
            return new Answer(e.status, e.body());
          }
        })
        .onErrorResume(e -> {
          log.warn("Discord route {} failed inside the emulator", chosen.key(), e);
          return Mono.just(new Answer(500, new ApiError(500, 0, "500: Internal Server Error", null).body()));
        })
        .flatMap(answer -> send(res, answer, decision));
  }

  private static @Nullable Map<String, String> match(String[] want, String[] have) {
    if (want.length != have.length) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{")) {
        if (have[i].isEmpty()) {
          return null;
        }
        out.put(want[i].substring(1, want[i].length() - 1), percentDecode(have[i]));
      } else if (!want[i].equals(have[i])) {
        return null;
      }
    }
    return out;
  }

  /** Decodes %XX escapes as UTF-8; unlike form decoding, '+' stays '+'. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      byte[] bytes = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String major(Map<String, String> params) {
    if (params.containsKey("channel_id")) {
      return "channel:" + params.get("channel_id");
    }
    if (params.containsKey("webhook_id")) {
      return "webhook:" + params.get("webhook_id") + "/" + params.getOrDefault("webhook_token", "");
    }
    return "";
  }

  // ---------------------------------------------------------------- answers

  private Mono<Void> send(HttpServerResponse res, Answer answer, RateLimits.@Nullable Decision decision) {
    if (decision != null) {
      headers(res, decision);
    }
    if (answer.status() == 401 || answer.status() == 403 || answer.status() == 429) {
      countInvalid();
    }
    res.status(answer.status());
    if (answer.body() == null) {
      return res.send().then();
    }
    return res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(json.writeValueAsString(answer.body())), StandardCharsets.UTF_8)
        .then();
  }

  private static void headers(HttpServerResponse res, RateLimits.Decision d) {
    res.header("X-RateLimit-Limit", Integer.toString(d.limit()));
    res.header("X-RateLimit-Remaining", Integer.toString(d.remaining()));
    res.header("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", d.resetAt()));
    res.header("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", d.resetAfter()));
    res.header("X-RateLimit-Bucket", d.bucket());
  }

  private Mono<Void> rateLimited(HttpServerResponse res, RateLimits.Decision d) {
    ObjectNode body = json.createObjectNode();
    body.put("message", "You are being rate limited.");
    body.put("retry_after", Math.round(d.retryAfter() * 1000) / 1000.0);
    body.put("global", d.global());
    body.put("code", 0);
    res.header(HttpHeaderNames.RETRY_AFTER, Long.toString((long) Math.ceil(d.retryAfter())));
    if (d.global()) {
      // A global 429 says nothing about the route's bucket.
      res.header("X-RateLimit-Global", "true");
      res.header("X-RateLimit-Scope", "global");
      return send(res, new Answer(429, body), null);
    }
    res.header("X-RateLimit-Scope", "user");
    return send(res, new Answer(429, body), d);
  }

  private Mono<Void> fault(HttpServerResponse res, Route route, Map<String, String> params, Fault fault) {
    switch (fault.kind()) {
      case RATE_LIMITED -> {
        double retry = Math.max(0.001, fault.retryAfter().toMillis() / 1000.0);
        boolean global = fault.method().equals(Fault.ANY_METHOD);
        long now = state.nowMillis();
        RateLimits.Decision d = new RateLimits.Decision(
            false, global, RateLimits.hash(route.bucket()), 5, 0, (now + (long) (retry * 1000)) / 1000.0, retry, retry);
        return rateLimited(res, d);
      }
      case SERVER_ERROR -> {
        if (fault.status() == 500) {
          return send(res, new Answer(500, new ApiError(500, 0, "500: Internal Server Error", null).body()), null);
        }
        // Discord's edge (Cloudflare) answers its own 5xx with an HTML page, not an API error.
        String reason = HttpResponseStatus.valueOf(fault.status()).reasonPhrase();
        String html = "<html>\r\n<head><title>" + fault.status() + " " + reason + "</title></head>\r\n<body>\r\n"
            + "<center><h1>" + fault.status() + " " + reason + "</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
            + "</body>\r\n</html>\r\n";
        return res.status(fault.status())
            .header(HttpHeaderNames.CONTENT_TYPE, "text/html")
            .sendString(Mono.just(html))
            .then();
      }
      default -> {
        return FaultPlan.dropConnection(res);
      }
    }
  }

  private void countInvalid() {
    synchronized (invalidRequests) {
      long now = state.nowMillis();
      invalidRequests.addLast(now);
      while (!invalidRequests.isEmpty() && invalidRequests.peekFirst() <= now - INVALID_WINDOW_MILLIS) {
        invalidRequests.removeFirst();
      }
    }
  }

  /** How many 401, 403 and 429 answers the API gave in the last ten minutes. */
  int invalidRequests() {
    synchronized (invalidRequests) {
      long now = state.nowMillis();
      while (!invalidRequests.isEmpty() && invalidRequests.peekFirst() <= now - INVALID_WINDOW_MILLIS) {
        invalidRequests.removeFirst();
      }
      return invalidRequests.size();
    }
  }

  private static Answer ok(JsonNode body) {
    return new Answer(200, body);
  }

  private static Answer noContent() {
    return new Answer(204, null);
  }

  // ---------------------------------------------------------------- handlers

  private ObjectNode gatewayUrl() {
    ObjectNode o = json.createObjectNode();
    o.put("url", gateway.url());
    return o;
  }

  private Answer gatewayBot(Call c) {
    BotApp bot = c.botOrFail();
    ObjectNode o = gatewayUrl();
    o.put("shards", 1);
    ObjectNode limit = o.putObject("session_start_limit");
    limit.put("total", 1000);
    synchronized (state) {
      limit.put("remaining", bot.sessionStartsRemaining);
    }
    limit.put("reset_after", 86_400_000);
    limit.put("max_concurrency", 1);
    return ok(o);
  }

  private Answer listMessages(Call c) {
    int limit = intQuery(c, "limit", 50, 1, 100);
    return ok(state.listMessages(
        c.botOrFail(), snowflake(c, "channel_id"), snowflakeQuery(c, "before"), snowflakeQuery(c, "after"),
        snowflakeQuery(c, "around"), limit));
  }

  private Answer createMessage(Call c) {
    BotApp bot = c.botOrFail();
    DiscordState.Outgoing out = outgoing(c, false);
    return ok(state.createMessage(bot, snowflake(c, "channel_id"), out));
  }

  private Answer editMessage(Call c) {
    BotApp bot = c.botOrFail();
    DiscordState.Outgoing out = outgoing(c, true);
    return ok(state.editMessage(bot, snowflake(c, "channel_id"), snowflake(c, "message_id"), out));
  }

  private Answer bulkDelete(Call c) {
    JsonNode body = jsonBody(c);
    JsonNode ids = body.get("messages");
    if (ids == null || !ids.isArray()) {
      throw ApiError.invalidField("messages", "BASE_TYPE_REQUIRED", "This field is required");
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(snowflakeValue(ids.get(i), "messages." + i));
    }
    state.bulkDelete(c.botOrFail(), snowflake(c, "channel_id"), out);
    return noContent();
  }

  private Answer executeWebhook(Call c) {
    DcWebhook w = webhook(c);
    Parsed parsed = parse(c, false);
    DiscordState.Outgoing out = parsed.out();
    JsonNode payload = parsed.payload();
    String username = string(payload, "username");
    String avatarUrl = string(payload, "avatar_url");
    String waitParam = c.query("wait");
    boolean wait = waitParam != null && (waitParam.equalsIgnoreCase("true") || waitParam.equals("1"));
    if (waitParam != null && !wait && !waitParam.equalsIgnoreCase("false") && !waitParam.equals("0")) {
      throw ApiError.invalidField("wait", "BOOLEAN_TYPE_COERCE", "Value \"" + waitParam + "\" is not a valid boolean.");
    }
    ObjectNode message = state.executeWebhook(w, snowflakeQuery(c, "thread_id"), username, avatarUrl, out);
    return wait ? ok(message) : noContent();
  }

  private DcWebhook webhook(Call c) {
    return state.webhook(snowflake(c, "webhook_id"), c.params().get("webhook_token"));
  }

  // ---------------------------------------------------------------- request parsing

  /** A parsed message body and its JSON payload, for fields outside Outgoing (webhook username). */
  private record Parsed(DiscordState.Outgoing out, JsonNode payload) {}

  private JsonNode jsonBody(Call c) {
    if (c.body().length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(c.body());
      if (node == null || !node.isObject()) {
        throw ApiError.badRequest(50109, "The request body contains invalid JSON.");
      }
      return node;
    } catch (JacksonException e) {
      throw ApiError.badRequest(50109, "The request body contains invalid JSON.");
    }
  }

  /** A message body from JSON or from multipart with {@code payload_json} and {@code files[n]}. */
  private DiscordState.Outgoing outgoing(Call c, boolean edit) {
    return parse(c, edit).out();
  }

  private Parsed parse(Call c, boolean edit) {
    String type = c.contentType() == null ? "" : c.contentType().toLowerCase(Locale.ROOT);
    JsonNode payload;
    List<RequestForm.Part> fileParts = new ArrayList<>();
    if (type.startsWith("multipart/form-data")) {
      List<RequestForm.Part> parts;
      try {
        parts = RequestForm.multipart(c.contentType(), c.body());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(50035, "Invalid Form Body");
      }
      ObjectNode fields = json.createObjectNode();
      payload = null;
      for (RequestForm.Part part : parts) {
        if (part.isFile()) {
          fileParts.add(part);
        } else if (part.name().equals("payload_json")) {
          try {
            payload = json.readTree(part.text());
          } catch (JacksonException e) {
            throw ApiError.invalidField("payload_json", "JSON_TYPE_COERCE", "Could not parse payload_json as JSON.");
          }
        } else {
          fields.put(part.name(), part.text());
        }
      }
      if (payload == null) {
        payload = fields;
      }
      if (!payload.isObject()) {
        throw ApiError.invalidField("payload_json", "JSON_TYPE_COERCE", "payload_json must be a JSON object.");
      }
    } else {
      payload = jsonBody(c);
    }
    String content = string(payload, "content");
    JsonNode nonce = payload.get("nonce");
    if (nonce != null && nonce.isNull()) {
      nonce = null;
    }
    if (nonce != null) {
      if (nonce.isString() && nonce.asString().length() > 25) {
        throw ApiError.invalidField("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      }
      if (!nonce.isString() && !nonce.isIntegralNumber()) {
        throw ApiError.invalidField("nonce", "NONCE_TYPE_INVALID", "Nonce must be an integer or a string.");
      }
    }
    boolean enforceNonce = payload.path("enforce_nonce").asBoolean(false);
    DiscordState.AllowedMentions allowed = allowedMentions(payload.get("allowed_mentions"));
    DiscordState.Reference reference = edit ? null : reference(payload.get("message_reference"));
    Map<Integer, JsonNode> meta = new HashMap<>();
    List<Long> keep = null;
    JsonNode attachments = payload.get("attachments");
    if (attachments != null && attachments.isArray()) {
      keep = new ArrayList<>();
      for (JsonNode a : attachments) {
        JsonNode id = a.get("id");
        if (id == null) {
          continue;
        }
        String text = id.asString();
        if (fileParts.stream().anyMatch(p -> p.name().equals("files[" + text + "]"))) {
          meta.put(Integer.parseInt(text), a);
        } else {
          keep.add(snowflakeValue(id, "attachments"));
        }
      }
    }
    List<DiscordState.Upload> uploads = new ArrayList<>();
    for (RequestForm.Part part : fileParts) {
      int index = indexOf(part.name());
      JsonNode m = index < 0 ? null : meta.get(index);
      String filename = m != null && m.hasNonNull("filename") ? m.get("filename").asString()
          : part.fileName() == null || part.fileName().isBlank() ? part.name() : part.fileName();
      String declared = part.contentType();
      String mediaType = declared == null || declared.isBlank() ? guess(filename) : declared;
      String description = m != null && m.hasNonNull("description") ? m.get("description").asString() : "";
      uploads.add(new DiscordState.Upload(filename, mediaType, part.data(), description));
    }
    return new Parsed(
        new DiscordState.Outgoing(content, nonce, enforceNonce, allowed, reference, uploads, edit ? keep : null),
        payload);
  }

  private static int indexOf(String partName) {
    if (partName.startsWith("files[") && partName.endsWith("]")) {
      try {
        return Integer.parseInt(partName.substring(6, partName.length() - 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static String guess(String name) {
    String guessed = URLConnection.guessContentTypeFromName(name);
    return guessed == null ? "application/octet-stream" : guessed;
  }

  private DiscordState.@Nullable AllowedMentions allowedMentions(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw ApiError.invalidField("allowed_mentions", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    }
    Set<String> parse = null;
    JsonNode p = node.get("parse");
    if (p != null && !p.isNull()) {
      if (!p.isArray()) {
        throw ApiError.invalidField("allowed_mentions.parse", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
      }
      parse = new LinkedHashSet<>();
      for (JsonNode v : p) {
        parse.add(v.asString());
      }
    }
    return new DiscordState.AllowedMentions(
        parse, ids(node.get("users"), "allowed_mentions.users"), ids(node.get("roles"), "allowed_mentions.roles"),
        node.path("replied_user").asBoolean(false));
  }

  private List<Long> ids(@Nullable JsonNode node, String field) {
    List<Long> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode v : node) {
        out.add(snowflakeValue(v, field));
      }
    }
    return out;
  }

  private DiscordState.@Nullable Reference reference(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject() || !node.hasNonNull("message_id")) {
      throw ApiError.invalidField("message_reference.message_id", "BASE_TYPE_REQUIRED", "This field is required");
    }
    int type = node.path("type").asInt(0);
    if (type != 0) {
      throw ApiError.invalidField(
          "message_reference.type", "BASE_TYPE_CHOICES", "The sandbox supports replies (type 0) only.");
    }
    Long channel = node.hasNonNull("channel_id") ? snowflakeValue(node.get("channel_id"), "message_reference.channel_id") : null;
    return new DiscordState.Reference(
        snowflakeValue(node.get("message_id"), "message_reference.message_id"), channel,
        node.path("fail_if_not_exists").asBoolean(true));
  }

  private static @Nullable String string(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw ApiError.invalidField(field, "BASE_TYPE_STRING", "Could not interpret \"" + v + "\" as string.");
    }
    return v.asString();
  }

  private static long snowflake(Call c, String name) {
    String value = c.params().get(name);
    return parseSnowflake(value == null ? "" : value, name);
  }

  private static @Nullable Long snowflakeQuery(Call c, String name) {
    String value = c.query(name);
    return value == null ? null : parseSnowflake(value, name);
  }

  private static long snowflakeValue(@Nullable JsonNode node, String field) {
    if (node == null || !(node.isString() || node.isIntegralNumber())) {
      throw ApiError.invalidField(field, "NUMBER_TYPE_COERCE", "Value \"" + node + "\" is not snowflake.");
    }
    return parseSnowflake(node.asString(), field);
  }

  private static long parseSnowflake(String value, String field) {
    if (!value.matches("[0-9]{1,20}")) {
      throw ApiError.invalidField(field, "NUMBER_TYPE_COERCE", "Value \"" + value + "\" is not snowflake.");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalidField(field, "NUMBER_TYPE_COERCE", "Value \"" + value + "\" is not snowflake.");
    }
  }

  private static int intQuery(Call c, String name, int fallback, int min, int max) {
    String value = c.query(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw ApiError.invalidField(
            name, "NUMBER_TYPE_MAX", "int value should be between " + min + " and " + max + ".");
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.invalidField(name, "NUMBER_TYPE_COERCE", "Value \"" + value + "\" is not int.");
    }
  }

  private static Emoji emoji(Call c) {
    Emoji e = Emoji.parse(c.params().getOrDefault("emoji_name", ""));
    if (e == null) {
      throw ApiError.unknownEmoji();
    }
    return e;
  }

  // ---------------------------------------------------------------- CDN

  private Publisher<Void> attachment(HttpServerRequest req, HttpServerResponse res) {
    String p = path(req);
    String rest = p.substring(p.indexOf("/attachments/") + "/attachments/".length());
    String[] parts = rest.split("/");
    if (parts.length != 3 || !parts[0].matches("[0-9]{1,20}") || !parts[1].matches("[0-9]{1,20}")) {
      return res.status(404).send();
    }
    DcFile f = state.file(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    if (f == null) {
      return res.status(404).header(HttpHeaderNames.CONTENT_TYPE, "text/plain").sendString(Mono.just("This content is no longer available.")).then();
    }
    return res.status(200)
        .header(HttpHeaderNames.CONTENT_TYPE, f.contentType())
        .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(f.data().length))
        .sendByteArray(Mono.just(f.data()))
        .then();
  }

  private Publisher<Void> avatar(HttpServerRequest req, HttpServerResponse res) {
    String[] parts = path(req).substring("/avatars/".length()).split("/");
    if (parts.length == 2 && parts[0].matches("[0-9]{1,20}")) {
      String hash = parts[1].replaceFirst("\\.(png|jpg|jpeg|webp|gif)$", "");
      String url = state.avatarUrl(Long.parseLong(parts[0]), hash);
      if (url != null) {
        // The sandbox has no copy of the picture: it sends the client to where the picture lives.
        return res.status(302).header(HttpHeaderNames.LOCATION, url).send();
      }
    }
    return res.status(404).send();
  }
}
