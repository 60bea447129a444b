package coop.relay.sandbox.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP+JSON form of {@link SandboxControl}, mounted under {@code /_sandbox} on every emulator's
 * server. See {@link SandboxControl} for the routes.
 */
public final class ControlRoutes {
  private static final Logger log = LoggerFactory.getLogger(ControlRoutes.class);
  private static final String P = SandboxControl.HTTP_PREFIX;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final SandboxControl control;
  private final Supplier<@Nullable String> baseUrl;
  private final JsonMapper json = SandboxJson.mapper();

  /** @param baseUrl the server's base URL once bound, for links in answers */
  public ControlRoutes(SandboxControl control, Supplier<@Nullable String> baseUrl) {
    this.control = control;
    this.baseUrl = baseUrl;
  }


  private static final String ALLOW_HEADERS = "Content-Type, Last-Event-ID";
  private static final String ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";

  /**
   * The sandbox page may be served from another origin than the emulators, so every control answer
   * allows any origin: the control API guards nothing secret.
   */
  private static BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> cors(
      BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
    return (req, res) -> handler.apply(req, res.header("Access-Control-Allow-Origin", "*"));
  }

  private static void get(HttpServerRoutes r, String path, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> h) {
    r.get(path, cors(h));
  }

  private static void post(HttpServerRoutes r, String path, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> h) {
    r.post(path, cors(h));
  }

  private static void delete(HttpServerRoutes r, String path, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> h) {
    r.delete(path, cors(h));
  }

  private static void route(
      HttpServerRoutes r, java.util.function.Predicate<HttpServerRequest> when,
      BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> h) {
    r.route(when, cors(h));
  }

  /** Registers the control routes; call before the emulator's own routes. */
  public void mount(HttpServerRoutes r) {
    r.route(
        req -> req.method().name().equals("OPTIONS") && (req.uri().equals(P) || req.uri().startsWith(P + "/")),
        (req, res) -> res.status(HttpResponseStatus.NO_CONTENT)
            .header("Access-Control-Allow-Origin", "*")
            .header("Access-Control-Allow-Methods", ALLOW_METHODS)
            .header("Access-Control-Allow-Headers", ALLOW_HEADERS)
            .header("Access-Control-Max-Age", "600")
            .send());
    get(r, P, (req, res) -> handle(res, () -> Mono.just(info())));
    get(r, P + "/", (req, res) -> handle(res, () -> Mono.just(info())));
    get(r, P + "/users", (req, res) -> handle(res, () -> control.users().collectList()));
    post(r, P + "/users", (req, res) -> handle(res, () -> body(req, NewUser.class).flatMap(control::createUser)));
    get(r, P + "/channels", (req, res) -> handle(res, () -> control.channels().collectList()));
    post(r,
        P + "/channels",
        (req, res) -> handle(res, () -> body(req, NewChannel.class).flatMap(control::createChannel)));
    get(r,
        P + "/channels/{c}/messages",
        (req, res) -> handle(res, () -> control.history(param(req, "c")).collectList()));
    post(r,
        P + "/channels/{c}/messages",
        (req, res) ->
            handle(
                res,
                () ->
                    tree(req)
                        .map(node -> {
                          node.put("channelId", param(req, "c"));
                          return convert(node, Post.class);
                        })
                        .flatMap(control::post)));
    post(r,
        P + "/channels/{c}/threads",
        (req, res) ->
            handle(
                res,
                () ->
                    tree(req)
                        .flatMap(node ->
                            control.createThread(
                                param(req, "c"), required(node, "userId"), required(node, "title")))));
    route(r,
        req -> req.method().name().equals("PATCH") && matches(req, "/channels/{c}/messages/{m}"),
        (req, res) -> handle(res, () -> tree(req).flatMap(node -> {
          Map<String, String> p = params(req, "/channels/{c}/messages/{m}");
          return control.edit(p.get("c"), p.get("m"), required(node, "userId"), required(node, "text"));
        })));
    delete(r,
        P + "/channels/{c}/messages/{m}",
        (req, res) ->
            handle(res, () -> control.delete(param(req, "c"), param(req, "m"), query(req, "userId"))));
    post(r,
        P + "/channels/{c}/messages/{m}/reactions",
        (req, res) ->
            handle(
                res,
                () ->
                    tree(req)
                        .flatMap(node ->
                            control.react(
                                param(req, "c"), param(req, "m"), required(node, "userId"), required(node, "emoji")))));
    delete(r,
        P + "/channels/{c}/messages/{m}/reactions",
        (req, res) ->
            handle(
                res,
                () ->
                    control.unreact(
                        param(req, "c"), param(req, "m"), query(req, "userId"), query(req, "emoji"))));
    get(r, P + "/files/{id}", (req, res) -> file(res, param(req, "id")));
    post(r, P + "/faults", (req, res) -> handle(res, () -> body(req, Fault.class).flatMap(control::injectFault)));
    delete(r, P + "/faults", (req, res) -> handle(res, control::clearFaults));
    get(r, P + "/events", this::events);
  }

  /** Registers the answer to unknown control paths; call after the emulator's own routes. */
  public void mountFallback(HttpServerRoutes r) {
    route(r,
        req -> req.fullPath().equals(P.substring(1)) || req.uri().startsWith(P + "/"),
        (req, res) ->
            error(res, 404, "NOT_FOUND", "no control route " + req.method() + " " + req.fullPath()
                + "; see the javadoc of coop.relay.sandbox.SandboxControl for the routes"));
  }

  private Map<String, String> info() {
    return Map.of("platform", control.platform());
  }

  private Publisher<Void> handle(HttpServerResponse res, Supplier<Mono<?>> action) {
    return Mono.defer(action)
        .<Optional<Object>>map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(result -> result.isPresent()
            ? send(res, 200, result.get())
            : res.status(HttpResponseStatus.NO_CONTENT).send())
        .onErrorResume(e -> failure(res, e));
  }

  private Mono<Void> send(HttpServerResponse res, int status, Object result) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .sendString(Mono.just(json.writeValueAsString(result)), StandardCharsets.UTF_8)
        .then();
  }

  private Mono<Void> failure(HttpServerResponse res, Throwable e) {
    if (e instanceof SandboxException se) {
      return error(res, se.reason().status(), se.reason().name(), se.getMessage());
    }
    if (e instanceof JacksonException || e instanceof IllegalArgumentException || e instanceof NullPointerException) {
      return error(res, 400, "INVALID", "invalid request body: " + e.getMessage());
    }
    log.warn("control request failed", e);
    return error(res, 500, "INTERNAL", String.valueOf(e));
  }

  private Mono<Void> error(HttpServerResponse res, int status, String reason, @Nullable String message) {
    ObjectNode body = json.createObjectNode();
    body.put("error", reason);
    body.put("message", message == null ? reason : message);
    return send(res, status, body);
  }

  private Publisher<Void> file(HttpServerResponse res, String id) {
    return control
        .file(id)
        .flatMap((SandboxFile f) -> res.status(200)
            .header(HttpHeaderNames.CONTENT_TYPE, f.mediaType())
            .header(HttpHeaderNames.CONTENT_DISPOSITION, "inline; filename=\"" + f.fileName().replace("\"", "") + "\"")
            .sendByteArray(Mono.just(f.data()))
            .then())
        .onErrorResume(e -> failure(res, e));
  }

  private Publisher<Void> events(HttpServerRequest req, HttpServerResponse res) {
    long after;
    try {
      String lastId = req.requestHeaders().get("Last-Event-ID");
      String afterParam = queryOrNull(req, "after");
      after = lastId != null ? Long.parseLong(lastId.trim()) : afterParam != null ? Long.parseLong(afterParam) : -1;
    } catch (NumberFormatException e) {
      return error(res, 400, "INVALID", "after and Last-Event-ID must be event sequence numbers");
    }
    Flux<SandboxEvent> events = after < 0 ? control.changes() : control.changesAfter(after);
    Flux<ByteBuf> frames =
        Flux.merge(
            events.map(this::frame),
            Flux.interval(HEARTBEAT).map(i -> ": keep-alive\n\n"))
            .startWith(": " + control.platform() + " changes\n\n")
            .map(s -> Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    return res.status(200)
        .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .send(frames, b -> true);
  }

  private String frame(SandboxEvent e) {
    return "id: " + e.sequence() + "\nevent: " + e.type().wireName() + "\ndata: " + json.writeValueAsString(e) + "\n\n";
  }

  private <T> Mono<T> body(HttpServerRequest req, Class<T> type) {
    return tree(req).map(node -> convert(node, type));
  }

  private <T> T convert(JsonNode node, Class<T> type) {
    return json.treeToValue(node, type);
  }

  private Mono<ObjectNode> tree(HttpServerRequest req) {
    return req.receive()
        .aggregate()
        .asString(StandardCharsets.UTF_8)
        .defaultIfEmpty("{}")
        .map(s -> {
          JsonNode node = json.readTree(s.isBlank() ? "{}" : s);
          if (!(node instanceof ObjectNode obj)) {
            throw SandboxException.invalid("the request body must be a JSON object");
          }
          return obj;
        });
  }

  private static String required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || !value.isValueNode()) {
      throw SandboxException.invalid("the request body needs \"" + field + "\"");
    }
    return value.asString();
  }

  private static String param(HttpServerRequest req, String name) {
    String raw = req.param(name);
    if (raw == null) {
      throw SandboxException.invalid("missing path parameter " + name);
    }
    return QueryStringDecoder.decodeComponent(raw);
  }

  private static boolean matches(HttpServerRequest req, String template) {
    return pathParams(req.fullPath(), template) != null;
  }

  private static Map<String, String> params(HttpServerRequest req, String template) {
    Map<String, String> p = pathParams(req.fullPath(), template);
    if (p == null) {
      throw SandboxException.invalid("unexpected path " + req.fullPath());
    }
    return p;
  }

  // Matches "/_sandbox" + template against the path by segments; used where Reactor Netty has no
  // shorthand for the HTTP method (PATCH).
  private static @Nullable Map<String, String> pathParams(String fullPath, String template) {
    String path = fullPath.startsWith("/") ? fullPath : "/" + fullPath;
    String[] have = path.split("/", -1);
    String[] want = (P + template).split("/", -1);
    if (have.length != want.length) {
      return null;
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        out.put(want[i].substring(1, want[i].length() - 1), QueryStringDecoder.decodeComponent(have[i]));
      } else if (!want[i].equals(have[i])) {
        return null;
      }
    }
    return out;
  }

  private static String query(HttpServerRequest req, String name) {
    String value = queryOrNull(req, name);
    if (value == null || value.isEmpty()) {
      throw SandboxException.invalid("the query needs ?" + name + "=");
    }
    return value;
  }

  private static @Nullable String queryOrNull(HttpServerRequest req, String name) {
    List<String> values = new QueryStringDecoder(req.uri()).parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

}
