package coop.relay.sandbox.slack.internal;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Wires the Slack emulator's parts together: workspace state, Web API, Socket Mode hubs, Events API
 * pushers, control API. {@code coop.relay.sandbox.slack.SlackEmulator} is its public face.
 */
public final class SlackEngine {
  /** An app as configured on the builder. */
  public record AppSpec(
      String name,
      String botToken,
      @Nullable String appToken,
      @Nullable String signingSecret,
      @Nullable String requestUrl,
      boolean customize,
      boolean allMetadata,
      @Nullable String iconUrl) {
    @Override
    public String toString() {
      // Tokens and signing secrets are secrets, even sandbox ones.
      return "AppSpec[" + name + "]";
    }
  }

  /** The builder's workspace-wide options. */
  public record Options(
      Scheduler scheduler,
      boolean rateLimits,
      String teamId,
      String teamName,
      int textLimit,
      long uploadLimit,
      Duration ackTimeout,
      int socketRetries,
      List<Duration> httpRetryDelays,
      @Nullable Duration refreshAfter,
      Duration refreshGrace,
      @Nullable Duration unfurlDelay,
      Map<String, String> customEmoji) {}

  /** What the emulator tells about an installed app. */
  public record AppIds(String name, String appId, String botId, String botUserId) {}

  private final SlackState state;
  private final FaultPlan faults = new FaultPlan();
  private final SlackControl control;
  private final WebApi api;
  private final Map<SlackApp, SocketHub> hubs = new LinkedHashMap<>();
  private final Map<SlackApp, EventsPusher> pushers = new LinkedHashMap<>();

  /** Installs {@code apps} in a new workspace; nothing is delivered until {@link #started(String)}. */
  public SlackEngine(List<AppSpec> apps, Options options) {
    this.state = new SlackState(
        new SlackState.Settings(options.teamId(), options.teamName(), options.textLimit(), options.uploadLimit(), options.unfurlDelay()),
        options.scheduler(),
        options.customEmoji());
    DeliverySettings delivery = new DeliverySettings(
        options.ackTimeout(), options.socketRetries(), options.httpRetryDelays(), options.refreshAfter(), options.refreshGrace());
    HttpClient client = HttpClient.create();
    for (AppSpec spec : apps) {
      SlackApp app = state.addApp(spec);
      hubs.put(app, new SocketHub(app, options.scheduler(), delivery));
      pushers.put(app, new EventsPusher(app, state, client, options.scheduler(), delivery));
    }
    state.outbox((app, event) -> {
      if (app.socketMode) {
        hubs.get(app).enqueue(event);
      } else if (app.requestUrl != null) {
        pushers.get(app).enqueue(event);
      }
      // An app with neither gets no events, as on Slack.
    });
    this.control = new SlackControl(state, faults);
    this.api = new WebApi(state, faults, options.rateLimits(), hubs::get);
  }

  /** The in-process control API. */
  public SandboxControl control() {
    return control;
  }

  /** Registers the Slack-only control routes, then the Web API, upload, file and Socket Mode routes. */
  public void routes(HttpServerRoutes routes) {
    String p = SandboxControl.HTTP_PREFIX + "/slack";
    routes.get(p + "/apps", (req, res) -> respond(res, Mono.fromCallable(() -> {
      List<AppIds> out = new ArrayList<>();
      state.apps().forEach(a -> out.add(ids(a)));
      return out;
    })));
    routes.post(p + "/apps/{app}/refresh", (req, res) -> respond(res, refreshSockets(req.param("app")).then(Mono.empty())));
    routes.post(p + "/apps/{app}/drop", (req, res) -> respond(res, dropSockets(req.param("app")).then(Mono.empty())));
    routes.put(p + "/apps/{app}/request-url", (req, res) -> respond(res,
        body(req).flatMap(node -> requestUrl(req.param("app"), node.path("url").asString(null))).then(Mono.empty())));
    routes.post(p + "/broadcast", (req, res) -> respond(res, body(req).flatMap(node -> broadcastReply(
        node.path("channelId").asString(""), node.path("threadTs").asString(""),
        node.path("userId").asString(""), node.path("text").asString("")))));
    routes.post(p + "/apps/{app}/malformed-event", (req, res) -> respond(res, body(req).flatMap(node ->
        injectMalformedEvent(String.valueOf(req.param("app")), node.path("channelId").asString(""))
            .map(eventId -> Map.of("eventId", eventId)))));
    api.mount(routes);
  }

  private static Mono<JsonNode> body(HttpServerRequest req) {
    return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("{}")
        .map(s -> SandboxJson.mapper().readTree(s));
  }

  private static Mono<Void> respond(reactor.netty.http.server.HttpServerResponse res, Mono<?> action) {
    // Decide between 200 and 204 before sending: a sent response completes empty, so a
    // switchIfEmpty after it would try to send a second status.
    return action
        .<java.util.Optional<Object>>map(java.util.Optional::of)
        .defaultIfEmpty(java.util.Optional.empty())
        .flatMap(result -> result.isPresent()
            ? res.status(200)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(SandboxJson.mapper().writeValueAsString(result.get())))
                .then()
            : res.status(204).send())
        .onErrorResume(e -> {
          int status = e instanceof SandboxException se ? se.reason().status() : 400;
          ObjectNode error = SandboxJson.mapper().createObjectNode();
          error.put("error", e instanceof SandboxException se ? se.reason().name() : "INVALID");
          error.put("message", String.valueOf(e.getMessage()));
          return res.status(status)
              .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
              .sendString(Mono.just(error.toString()))
              .then();
        });
  }

  /** The server is bound at {@code baseUrl}: URLs point there, and event delivery resumes. */
  public void started(String baseUrl) {
    state.baseUrl(baseUrl);
    hubs.values().forEach(SocketHub::resume);
    pushers.values().forEach(EventsPusher::resume);
  }

  /** Pauses event delivery before the server stops; undelivered events wait. */
  public Mono<Void> stopping() {
    return Mono.fromRunnable(() -> {
      hubs.values().forEach(SocketHub::pause);
      pushers.values().forEach(EventsPusher::pause);
    });
  }

  // ---------------------------------------------------------------- platform controls

  /** Emits the ids of app {@code name}; fails with {@code SandboxException} if there is none. */
  public Mono<AppIds> app(String name) {
    return Mono.fromCallable(() -> ids(state.app(name)));
  }

  /** The ids of every installed app, in the order they were added. */
  public List<AppIds> apps() {
    List<AppIds> out = new ArrayList<>();
    state.apps().forEach(a -> out.add(ids(a)));
    return out;
  }

  private static AppIds ids(SlackApp a) {
    return new AppIds(a.name, a.appId, a.botId, a.botUserId);
  }

  /** See {@code SlackEmulator#requestUrl}: verifies, then saves, the app's Events API request URL. */
  public Mono<Void> requestUrl(String appName, @Nullable String url) {
    return Mono.defer(() -> {
      SlackApp app = state.app(appName);
      if (url == null || url.isBlank()) {
        synchronized (state) {
          app.requestUrl = null;
        }
        return Mono.empty();
      }
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        return Mono.error(SandboxException.invalid("a request URL is an http(s) URL; got " + url));
      }
      return pushers.get(app).verify(url).then(Mono.fromRunnable(() -> {
        synchronized (state) {
          app.requestUrl = url;
          app.socketMode = false;
        }
        hubs.get(app).disconnectAll("link_disabled");
      }));
    });
  }

  /** See {@code SlackEmulator#socketMode}. */
  public Mono<Void> socketMode(String appName, boolean enabled) {
    return Mono.fromRunnable(() -> {
      SlackApp app = state.app(appName);
      if (enabled && app.appToken == null) {
        throw SandboxException.invalid("app " + appName + " has no app-level token; set one on the builder to use Socket Mode");
      }
      synchronized (state) {
        app.socketMode = enabled;
      }
      if (!enabled) {
        hubs.get(app).disconnectAll("link_disabled");
      }
    });
  }

  /** Sends {@code disconnect} {@code refresh_requested} to the app's connections. */
  public Mono<Void> refreshSockets(String appName) {
    return Mono.fromRunnable(() -> hubs.get(state.app(appName)).disconnectAll("refresh_requested"));
  }

  /** Sends {@code disconnect} {@code warning} to the app's connections. */
  public Mono<Void> warnSockets(String appName) {
    return Mono.fromRunnable(() -> hubs.get(state.app(appName)).warnAll());
  }

  /** Cuts the app's connections without a close frame. */
  public Mono<Void> dropSockets(String appName) {
    return Mono.fromRunnable(() -> hubs.get(state.app(appName)).dropAll());
  }

  /** How many Socket Mode connections the app has open. */
  public int openSockets(String appName) {
    return hubs.get(state.app(appName)).openConnections();
  }

  /** How many of the app's events Slack still tries to deliver, over Socket Mode or HTTP. */
  public int undeliveredEvents(String appName) {
    SlackApp app = state.app(appName);
    return hubs.get(app).undelivered() + pushers.get(app).undelivered();
  }

  /** Makes the app's bot user join or leave a channel. */
  public Mono<Void> membership(String appName, String channelId, boolean join) {
    return Mono.fromRunnable(() -> state.membership(appName, channelId, join));
  }

  /** Activates or deactivates the app ({@code account_inactive}). */
  public Mono<Void> active(String appName, boolean active) {
    return Mono.fromRunnable(() -> state.active(appName, active));
  }

  /** See {@code SlackEmulator#injectMalformedEvent}: emits the malformed event's {@code event_id}. */
  public Mono<String> injectMalformedEvent(String appName, String channelId) {
    return Mono.fromCallable(() -> state.malformedEvent(appName, channelId));
  }

  /** Posts a person's thread reply that is also sent to the channel. */
  public Mono<HistoryEntry> broadcastReply(String channelId, String threadTs, String userId, String text) {
    return Mono.fromCallable(() -> state.broadcastReply(channelId, threadTs, userId, text));
  }

  @Override
  public String toString() {
    return "SlackEngine" + apps();
  }
}
