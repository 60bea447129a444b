package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.RequestForm;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Slack's HTTP surface: the Web API at {@code /api/<method>}, upload URLs at {@code /upload/v1/},
 * private file URLs at {@code /files-pri/}, and the Socket Mode WebSocket at {@code /link/}.
 */
final class WebApi {
  private static final Logger log = LoggerFactory.getLogger(WebApi.class);

  private interface Method {
    ObjectNode call(SlackApp app, ApiParams p);
  }

  private final SlackState state;
  private final FaultPlan faults;
  private final RateLimits limits = new RateLimits();
  private final boolean enforceLimits;
  private final Function<SlackApp, SocketHub> hubs;
  private final Map<String, Method> methods;

  WebApi(SlackState state, FaultPlan faults, boolean enforceLimits, Function<SlackApp, SocketHub> hubs) {
    this.state = state;
    this.faults = faults;
    this.enforceLimits = enforceLimits;
    this.hubs = hubs;
    this.methods = Map.ofEntries(
        Map.entry("auth.test", (app, p) -> state.authTest(app)),
        Map.entry("users.info", (app, p) -> state.usersInfo(p.string("user"))),
        Map.entry("conversations.info", (app, p) ->
            state.conversationsInfo(app, p.string("channel"), p.bool("include_num_members", false))),
        Map.entry("conversations.history", (app, p) -> state.history(app, p.string("channel"),
            (int) p.integer("limit", 100), p.string("oldest"), p.string("latest"), p.bool("inclusive", false),
            p.bool("include_all_metadata", false))),
        Map.entry("conversations.replies", (app, p) -> state.replies(app, p.string("channel"), p.string("ts"),
            (int) p.integer("limit", 1000), p.string("oldest"), p.string("latest"), p.bool("inclusive", false),
            p.bool("include_all_metadata", false))),
        Map.entry("chat.postMessage", this::postMessage),
        Map.entry("chat.meMessage", (app, p) -> state.meMessage(app, p.string("channel"), p.string("text", ""))),
        Map.entry("chat.update", (app, p) -> state.update(app, p.string("channel"), p.string("ts"), p.string("text"),
            p.json("blocks", "invalid_blocks_format"), p.json("attachments", "invalid_attachments"),
            SlackState.metadata(p.json("metadata", "invalid_metadata_format")))),
        Map.entry("chat.delete", (app, p) -> state.delete(app, p.string("channel"), p.string("ts"))),
        Map.entry("reactions.add", (app, p) -> reaction(app, p, true)),
        Map.entry("reactions.remove", (app, p) -> reaction(app, p, false)),
        Map.entry("files.getUploadURLExternal", (app, p) ->
            state.uploadUrl(app, p.string("filename"), p.integer("length", 0), p.string("alt_txt"))),
        Map.entry("files.completeUploadExternal", (app, p) -> {
          JsonNode files = p.json("files", "invalid_arguments");
          if (files == null) {
            throw ApiException.of("invalid_arguments");
          }
          return state.completeUpload(app, files, p.string("channel_id"), p.string("initial_comment"), p.string("thread_ts"));
        }),
        Map.entry("apps.connections.open", this::openConnection));
  }

  void mount(HttpServerRoutes routes) {
    routes.route(req -> path(req).startsWith("/api/"), this::api);
    routes.route(req -> path(req).startsWith("/upload/v1/"), this::upload);
    routes.route(req -> path(req).startsWith("/files-pri/"), this::download);
    routes.route(req -> path(req).equals("/link") || path(req).equals("/link/"), this::socket);
    // Everything else on the server answers as slack.com does.
    routes.route(
        req -> !path(req).startsWith(SandboxControl.HTTP_PREFIX),
        (req, res) -> html(res, 404, "<html><body><h1>404 Not Found</h1></body></html>"));
  }

  private static String path(HttpServerRequest req) {
    return new QueryStringDecoder(req.uri()).path();
  }

  // ---------------------------------------------------------------- Web API

  private Publisher<Void> api(HttpServerRequest req, HttpServerResponse res) {
    String method = path(req).substring("/api/".length());
    Fault fault = faults.take(method);
    if (fault != null) {
      return fault(res, fault);
    }
    Method handler = methods.get(method);
    if (handler == null) {
      return error(res, ApiException.unknownMethod());
    }
    String contentType = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    String authorization = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    return req.receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .map(body -> {
          ApiParams params = ApiParams.parse(req.method().name(), req.uri(), contentType, body);
          SlackApp app = authenticate(method, authorization, params, req.uri());
          if (enforceLimits) {
            long wait = limits.tryAcquire(app.appId, method, params.string("channel", ""), state.nowMillis());
            if (wait > 0) {
              throw ApiException.rateLimited(wait);
            }
          }
          ObjectNode result = handler.call(app, params);
          if (params.jsonWithoutCharset) {
            // Slack reads JSON bodies without a charset, and says so.
            result.put("warning", "missing_charset");
            result.putObject("response_metadata").putArray("warnings").add("missing_charset");
          }
          return result;
        })
        .flatMap(result -> send(res, 200, result))
        .onErrorResume(ApiException.class, e -> error(res, e))
        .onErrorResume(e -> {
          log.warn("Web API method {} failed inside the emulator", method, e);
          return error(res, ApiException.of("internal_error"));
        });
  }

  private SlackApp authenticate(String method, @Nullable String authorization, ApiParams params, String uri) {
    String token = null;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).trim();
    } else {
      token = params.formToken(uri);
    }
    if (token == null || token.isEmpty()) {
      throw ApiException.of("not_authed");
    }
    boolean appLevel = method.equals("apps.connections.open");
    SlackApp app;
    if (token.startsWith("xapp-")) {
      app = state.appByAppToken(token);
      if (app != null && !appLevel) {
        throw ApiException.of("not_allowed_token_type");
      }
    } else {
      app = state.appByBotToken(token);
      if (app != null && appLevel) {
        throw ApiException.of("not_allowed_token_type");
      }
    }
    if (app == null) {
      throw ApiException.of("invalid_auth");
    }
    if (!app.active) {
      throw ApiException.of("account_inactive");
    }
    return app;
  }

  private ObjectNode postMessage(SlackApp app, ApiParams p) {
    PostRequest request = new PostRequest(
        p.string("channel", ""),
        p.string("text", ""),
        p.json("blocks", "invalid_blocks_format"),
        p.json("attachments", "invalid_attachments"),
        p.string("thread_ts"),
        p.bool("reply_broadcast", false),
        blankToNull(p.string("username")),
        blankToNull(p.string("icon_url")),
        blankToNull(p.string("icon_emoji")),
        SlackState.metadata(p.json("metadata", "invalid_metadata_format")),
        p.bool("unfurl_links", false),
        p.bool("unfurl_media", true));
    return state.postMessage(app, request);
  }

  private ObjectNode reaction(SlackApp app, ApiParams p, boolean add) {
    state.reaction(app, p.string("channel"), p.string("timestamp"), p.string("name"), add);
    ObjectNode ok = state.wire.object();
    ok.put("ok", true);
    return ok;
  }

  private ObjectNode openConnection(SlackApp app, ApiParams p) {
    SocketHub hub = hubs.apply(app);
    if (hub.openConnections() >= SocketHub.MAX_CONNECTIONS) {
      throw ApiException.of("too_many_websockets");
    }
    String base = state.baseUrl().replaceFirst("^http", "ws");
    ObjectNode node = state.wire.object();
    node.put("ok", true);
    node.put("url", base + "/link/?ticket=" + hub.ticket() + "&app_id=" + app.appId);
    return node;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private Mono<Void> fault(HttpServerResponse res, Fault fault) {
    return switch (fault.kind()) {
      case RATE_LIMITED -> error(res, ApiException.rateLimited((fault.retryAfter().toMillis() + 999) / 1000));
      case SERVER_ERROR -> {
        ObjectNode body = SandboxJson.mapper().createObjectNode();
        body.put("ok", false);
        body.put("error", fault.status() == 503 ? "service_unavailable" : "internal_error");
        yield send(res, fault.status(), body);
      }
      case DROP_CONNECTION -> FaultPlan.dropConnection(res);
    };
  }

  private static Mono<Void> error(HttpServerResponse res, ApiException e) {
    ObjectNode body = SandboxJson.mapper().createObjectNode();
    body.put("ok", false);
    body.put("error", e.error);
    if (e.needed != null) {
      body.put("needed", e.needed);
      body.put("provided", "chat:write,reactions:write,channels:read,users:read,files:write");
    }
    if (e.retryAfterSeconds > 0) {
      res.header(HttpHeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
    }
    return send(res, e.status, body);
  }

  private static Mono<Void> send(HttpServerResponse res, int status, ObjectNode body) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .sendString(Mono.just(body.toString()), StandardCharsets.UTF_8)
        .then();
  }

  private static Mono<Void> html(HttpServerResponse res, int status, String page) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .sendString(Mono.just(page), StandardCharsets.UTF_8)
        .then();
  }

  // ---------------------------------------------------------------- uploads and downloads

  private Publisher<Void> upload(HttpServerRequest req, HttpServerResponse res) {
    String key = path(req).substring("/upload/v1/".length());
    String contentType = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    return req.receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> {
          byte[] data = body;
          String type = contentType;
          if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            RequestForm.Part file = null;
            try {
              for (RequestForm.Part part : RequestForm.multipart(contentType, body)) {
                if (file == null || part.isFile()) {
                  file = part;
                }
              }
            } catch (IllegalArgumentException e) {
              return text(res, 400, "Bad Request");
            }
            if (file == null) {
              return text(res, 400, "Bad Request");
            }
            data = file.data();
            type = file.contentType();
          }
          if (!req.method().name().equals("POST") || !state.upload(key, data, type)) {
            return text(res, 404, "Not Found");
          }
          return text(res, 200, "OK - " + data.length);
        });
  }

  private static Mono<Void> text(HttpServerResponse res, int status, String text) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .sendString(Mono.just(text), StandardCharsets.UTF_8)
        .then();
  }

  private Publisher<Void> download(HttpServerRequest req, HttpServerResponse res) {
    // /files-pri/<team>-<file>/<name> or /files-pri/<team>-<file>/download/<name>
    List<String> segments = List.of(path(req).split("/"));
    String owner = segments.size() > 2 ? segments.get(2) : "";
    int dash = owner.indexOf('-');
    String fileId = dash < 0 ? "" : owner.substring(dash + 1);
    String authorization = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
    SlackApp app = state.appByBotToken(token);
    if (app == null || !app.active) {
      // Slack answers unauthenticated file requests with its sign-in page, not an error status.
      return html(res, 200, "<!DOCTYPE html><html><head><title>Slack</title></head><body>"
          + "<h1>Sign in to " + state.settings.teamName() + "</h1></body></html>");
    }
    SlackFile file = state.download(fileId);
    if (file == null || file.data == null) {
      return html(res, 404, "<html><body><h1>404 Not Found</h1></body></html>");
    }
    boolean attachment = segments.size() > 3 && segments.get(3).equals("download");
    return res.status(200)
        .header(HttpHeaderNames.CONTENT_TYPE, file.mimetype)
        .header(HttpHeaderNames.CONTENT_DISPOSITION,
            (attachment ? "attachment" : "inline") + "; filename=\"" + file.name.replace("\"", "") + "\"")
        .sendByteArray(Mono.just(file.data))
        .then();
  }

  // ---------------------------------------------------------------- Socket Mode

  private Publisher<Void> socket(HttpServerRequest req, HttpServerResponse res) {
    Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
    String ticket = first(query, "ticket");
    String appId = first(query, "app_id");
    SlackApp app = state.appById(appId);
    SocketHub hub = app == null ? null : hubs.apply(app);
    if (hub == null || !hub.knows(ticket)) {
      return text(res, 401, "invalid or used ticket; call apps.connections.open for a new URL");
    }
    boolean debugReconnects = "true".equals(first(query, "debug_reconnects"));
    return res.sendWebsocket((in, out) -> hub.serve(ticket, debugReconnects, in, out));
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
