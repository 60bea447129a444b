package coop.relay.sandbox.telegram.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.internal.FaultPlan;
import coop.relay.sandbox.internal.RequestForm;
import coop.relay.sandbox.internal.SandboxJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
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
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Bot API over HTTP: {@code /bot<token>/<method>} (GET or POST; parameters in the query, a
 * urlencoded or multipart form, or a JSON body; method names case-insensitive) and file downloads at
 * {@code /file/bot<token>/<file_path>}. Answers {@code {"ok":true,"result":...}} or Telegram's error
 * object with the same HTTP status.
 */
final class BotApi {
  private static final Logger log = LoggerFactory.getLogger(BotApi.class);
  private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private interface Method {
    Mono<JsonNode> call(BotAccount bot, Params p);
  }

  private final TelegramState state;
  private final FaultPlan faults;
  private final Scheduler scheduler;
  private final Map<String, Method> methods;
  private final Map<String, String> canonicalNames;

  BotApi(TelegramState state, FaultPlan faults, Scheduler scheduler) {
    this.state = state;
    this.faults = faults;
    this.scheduler = scheduler;
    Map<String, Method> m = new java.util.HashMap<>();
    Map<String, String> names = new java.util.HashMap<>();
    register(m, names, "getMe", (bot, p) -> Mono.just(state.wire.me(bot.user)));
    register(m, names, "getUpdates", this::getUpdates);
    register(m, names, "sendMessage", sync(this::sendMessage));
    register(m, names, "editMessageText", sync(this::editMessageText));
    register(m, names, "editMessageCaption", sync(this::editMessageCaption));
    register(m, names, "deleteMessage", sync(this::deleteMessage));
    register(m, names, "getChat", sync((bot, p) -> state.chatInfo(p.string("chat_id"))));
    register(m, names, "setMessageReaction", sync(this::setMessageReaction));
    register(m, names, "sendPhoto", sync((bot, p) -> sendMedia(bot, p, TgFile.Kind.PHOTO)));
    register(m, names, "sendDocument", sync((bot, p) -> sendMedia(bot, p, TgFile.Kind.DOCUMENT)));
    register(m, names, "getFile", sync((bot, p) -> state.getFile(p.string("file_id"))));
    register(m, names, "setWebhook", sync(this::setWebhook));
    register(m, names, "deleteWebhook", sync((bot, p) -> {
      state.deleteWebhook(bot, p.bool("drop_pending_updates"));
      return BooleanNode.TRUE;
    }));
    register(m, names, "getWebhookInfo", sync((bot, p) -> state.webhookInfo(bot)));
    this.methods = Map.copyOf(m);
    this.canonicalNames = Map.copyOf(names);
  }

  private static void register(Map<String, Method> m, Map<String, String> names, String name, Method method) {
    m.put(name.toLowerCase(Locale.ROOT), method);
    names.put(name.toLowerCase(Locale.ROOT), name);
  }

  private static Method sync(java.util.function.BiFunction<BotAccount, Params, JsonNode> body) {
    return (bot, p) -> Mono.fromCallable(() -> body.apply(bot, p));
  }

  void mount(HttpServerRoutes routes) {
    routes.route(req -> path(req).startsWith("/bot"), this::api);
    routes.route(req -> path(req).startsWith("/file/bot"), this::download);
    // Everything else on the server answers as api.telegram.org does.
    routes.route(
        req -> !path(req).startsWith(coop.relay.sandbox.SandboxControl.HTTP_PREFIX),
        (req, res) -> error(res, BotApiException.notFound()));
  }

  private static String path(HttpServerRequest req) {
    return new QueryStringDecoder(req.uri()).path();
  }

  // ---------------------------------------------------------------- dispatch

  private Publisher<Void> api(HttpServerRequest req, HttpServerResponse res) {
    String rest = path(req).substring("/bot".length());
    int slash = rest.indexOf('/');
    String token = slash < 0 ? rest : rest.substring(0, slash);
    String methodName = slash < 0 ? "" : rest.substring(slash + 1);
    if (!TOKEN.matcher(token).matches() || methodName.isEmpty() || methodName.contains("/")) {
      return error(res, BotApiException.notFound());
    }
    BotAccount bot = state.bot(token);
    if (bot == null) {
      return error(res, BotApiException.unauthorized());
    }
    String key = methodName.toLowerCase(Locale.ROOT);
    Method method = methods.get(key);
    Fault fault = faults.take(canonicalNames.getOrDefault(key, methodName));
    if (fault != null) {
      return fault(res, fault);
    }
    if (method == null) {
      return error(res, BotApiException.notFound());
    }
    String contentType = req.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    // The upload limit is about files, which only multipart requests carry.
    boolean upload = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    long declared = contentLength(req);
    if (upload && declared > state.settings.uploadLimit()) {
      return error(res, BotApiException.tooLarge());
    }
    return req.receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> {
          if (upload && body.length > state.settings.uploadLimit()) {
            return Mono.error(BotApiException.tooLarge());
          }
          Params params = Params.parse(req.uri(), contentType, body);
          return method.call(bot, params);
        })
        .flatMap(result -> ok(res, result))
        .onErrorResume(BotApiException.class, e -> error(res, e))
        .onErrorResume(e -> {
          log.warn("Bot API method {} failed inside the emulator", canonicalNames.get(key), e);
          return error(res, new BotApiException(500, "Internal Server Error", null, null));
        });
  }

  private static long contentLength(HttpServerRequest req) {
    try {
      String value = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private Mono<Void> fault(HttpServerResponse res, Fault fault) {
    switch (fault.kind()) {
      case RATE_LIMITED -> {
        long seconds = Math.max(1, (fault.retryAfter().toMillis() + 999) / 1000);
        return error(res, BotApiException.tooManyRequests(seconds));
      }
      case SERVER_ERROR -> {
        if (fault.status() == 500) {
          return error(res, new BotApiException(500, "Internal Server Error", null, null));
        }
        // Telegram's gateway answers its own 5xx with an nginx HTML page, not a Bot API object.
        String reason = HttpResponseStatus.valueOf(fault.status()).reasonPhrase();
        String html = "<html>\r\n<head><title>" + fault.status() + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
            + fault.status() + " " + reason + "</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
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

  private static Mono<Void> ok(HttpServerResponse res, JsonNode result) {
    ObjectNode body = SandboxJson.mapper().createObjectNode();
    body.put("ok", true);
    body.set("result", result);
    return send(res, 200, body);
  }

  private static Mono<Void> error(HttpServerResponse res, BotApiException e) {
    ObjectNode body = SandboxJson.mapper().createObjectNode();
    body.put("ok", false);
    body.put("error_code", e.code);
    body.put("description", e.description());
    if (e.retryAfter != null || e.migrateToChatId != null) {
      ObjectNode parameters = body.putObject("parameters");
      if (e.migrateToChatId != null) {
        parameters.put("migrate_to_chat_id", e.migrateToChatId);
      }
      if (e.retryAfter != null) {
        parameters.put("retry_after", e.retryAfter);
      }
    }
    return send(res, e.code, body);
  }

  private static Mono<Void> send(HttpServerResponse res, int status, ObjectNode body) {
    return res.status(status)
        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(body.toString()), StandardCharsets.UTF_8)
        .then();
  }

  // ---------------------------------------------------------------- methods

  private Mono<JsonNode> getUpdates(BotAccount bot, Params p) {
    return Mono.defer(() -> {
      long limit = p.integer("limit", 100);
      int max = (int) (limit < 1 || limit > 100 ? 100 : limit);
      long timeout = Math.max(0, p.integer("timeout", 0));
      List<String> allowed = p.strings("allowed_updates", "allowed updates");
      long generation = state.beginPoll(bot, p.integer("offset"), allowed);
      Mono<JsonNode> look = Mono.fromCallable(() -> state.poll(bot, generation, max));
      if (timeout == 0) {
        return look.defaultIfEmpty(state.wire.array());
      }
      // Subscribe to wake-ups before looking, so an update that arrives in between is not missed.
      return Flux.merge(bot.signal.asFlux(), Mono.just(-1L))
          .concatMap(tick -> look)
          .next()
          .timeout(Duration.ofSeconds(timeout), Mono.fromCallable(() -> (JsonNode) state.wire.array()), scheduler);
    });
  }

  private JsonNode sendMessage(BotAccount bot, Params p) {
    FormattedText text = state.prepare(p.string("text"), p.string("parse_mode"), p.json("entities", "entities"), false);
    return state.send(
        bot, p.string("chat_id"), text, null, null, reply(p), thread(p), linkPreview(p));
  }

  private JsonNode sendMedia(BotAccount bot, Params p, TgFile.Kind kind) {
    String field = kind == TgFile.Kind.PHOTO ? "photo" : "document";
    FormattedText caption =
        state.prepare(p.string("caption"), p.string("parse_mode"), p.json("caption_entities", "caption entities"), true);
    TgFile file = inputFile(p, field, kind);
    return state.send(
        bot,
        p.string("chat_id"),
        caption,
        kind == TgFile.Kind.PHOTO ? file : null,
        kind == TgFile.Kind.DOCUMENT ? file : null,
        reply(p),
        thread(p),
        null);
  }

  /** An uploaded file (multipart), or the file_id of a file Telegram already has. */
  private TgFile inputFile(Params p, String field, TgFile.Kind kind) {
    RequestForm.Part part = p.file(field);
    if (part == null) {
      String ref = p.string(field);
      if (ref == null || ref.isBlank()) {
        throw BotApiException.badRequest("there is no " + field + " in the request");
      }
      if (ref.startsWith("attach://")) {
        throw BotApiException.badRequest("there is no " + field + " in the request");
      }
      TgFile known = state.file(ref.trim());
      if (known == null) {
        // Real Telegram would fetch an HTTP URL; the sandbox has no outside network to fetch from.
        throw BotApiException.badRequest(
            ref.startsWith("http") ? "failed to get HTTP URL content" : "wrong file identifier/HTTP URL specified");
      }
      return known;
    }
    byte[] data = part.data();
    if (data.length == 0) {
      throw BotApiException.badRequest("file must be non-empty");
    }
    String name = part.fileName() == null || part.fileName().isBlank() ? field : part.fileName();
    String declared = part.contentType();
    if (kind == TgFile.Kind.PHOTO) {
      if (data.length > state.settings.photoLimit()) {
        throw BotApiException.badRequest("file is too big");
      }
      int[] size = Images.dimensions(data);
      if (size == null) {
        throw BotApiException.badRequest("IMAGE_PROCESS_FAILED");
      }
      return state.storeFile(kind, name, "image/jpeg", data, size[0], size[1]);
    }
    String mime = declared == null || declared.isBlank() || declared.startsWith("application/octet-stream")
        ? guess(name)
        : declared;
    return state.storeFile(kind, name, mime, data, 0, 0);
  }

  private static String guess(String name) {
    String guessed = URLConnection.guessContentTypeFromName(name);
    return guessed == null ? "application/octet-stream" : guessed;
  }

  private JsonNode editMessageText(BotAccount bot, Params p) {
    if (p.has("inline_message_id")) {
      throw BotApiException.badRequest("MESSAGE_ID_INVALID");
    }
    Long messageId = p.integer("message_id");
    if (messageId == null) {
      throw BotApiException.badRequest("message identifier is not specified");
    }
    FormattedText text = state.prepare(p.string("text"), p.string("parse_mode"), p.json("entities", "entities"), false);
    return state.editText(bot, p.string("chat_id"), messageId, text, linkPreview(p));
  }

  private JsonNode editMessageCaption(BotAccount bot, Params p) {
    if (p.has("inline_message_id")) {
      throw BotApiException.badRequest("MESSAGE_ID_INVALID");
    }
    Long messageId = p.integer("message_id");
    if (messageId == null) {
      throw BotApiException.badRequest("message identifier is not specified");
    }
    FormattedText caption =
        state.prepare(p.string("caption"), p.string("parse_mode"), p.json("caption_entities", "caption entities"), true);
    return state.editCaption(bot, p.string("chat_id"), messageId, caption);
  }

  private JsonNode deleteMessage(BotAccount bot, Params p) {
    Long messageId = p.integer("message_id");
    if (messageId == null) {
      throw BotApiException.badRequest("message identifier is not specified");
    }
    state.deleteMessage(bot, p.string("chat_id"), messageId);
    return BooleanNode.TRUE;
  }

  private JsonNode setMessageReaction(BotAccount bot, Params p) {
    Long messageId = p.integer("message_id");
    if (messageId == null) {
      throw BotApiException.badRequest("message identifier is not specified");
    }
    List<String> emoji = new ArrayList<>();
    JsonNode reaction = p.json("reaction", "reaction types");
    if (reaction != null) {
      if (!reaction.isArray()) {
        throw BotApiException.badRequest("can't parse reaction types JSON object");
      }
      for (JsonNode r : reaction) {
        String type = r.path("type").asString("");
        if (type.equals("emoji")) {
          emoji.add(r.path("emoji").asString(""));
        } else {
          // Custom-emoji and paid reactions need Premium or Stars, which emulated bots do not have.
          throw BotApiException.badRequest("REACTION_INVALID");
        }
      }
    }
    state.setBotReaction(bot, p.string("chat_id"), messageId, emoji);
    return BooleanNode.TRUE;
  }

  private JsonNode setWebhook(BotAccount bot, Params p) {
    String url = p.string("url");
    if (url == null) {
      throw BotApiException.badRequest("url is empty");
    }
    if (url.isBlank()) {
      state.deleteWebhook(bot, p.bool("drop_pending_updates"));
      return BooleanNode.TRUE;
    }
    String lower = url.trim().toLowerCase(Locale.ROOT);
    // Real Telegram insists on HTTPS; the sandbox also takes plain HTTP, as its receivers are local.
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      throw BotApiException.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    String secret = p.string("secret_token");
    if (secret != null && !secret.isEmpty() && !SECRET.matcher(secret).matches()) {
      throw BotApiException.badRequest("secret token contains unallowed characters");
    }
    long maxConnections = p.integer("max_connections", 40);
    if (maxConnections < 1 || maxConnections > 100) {
      maxConnections = 40;
    }
    state.setWebhook(
        bot,
        url.trim(),
        secret == null || secret.isEmpty() ? null : secret,
        (int) maxConnections,
        p.strings("allowed_updates", "allowed updates"),
        p.bool("drop_pending_updates"));
    return BooleanNode.TRUE;
  }

  private static TelegramState.@Nullable ReplyRequest reply(Params p) {
    JsonNode parameters = p.json("reply_parameters", "reply parameters");
    if (parameters != null) {
      if (!parameters.isObject() || !parameters.has("message_id")) {
        throw BotApiException.badRequest("can't parse reply parameters JSON object");
      }
      return new TelegramState.ReplyRequest(
          parameters.get("message_id").asLong(0), parameters.path("allow_sending_without_reply").asBoolean(false));
    }
    Long legacy = p.integer("reply_to_message_id");
    return legacy == null ? null : new TelegramState.ReplyRequest(legacy, p.bool("allow_sending_without_reply"));
  }

  private static @Nullable Long thread(Params p) {
    return p.integer("message_thread_id");
  }

  private static @Nullable ObjectNode linkPreview(Params p) {
    JsonNode options = p.json("link_preview_options", "link preview options");
    ObjectNode out = SandboxJson.mapper().createObjectNode();
    if (options != null) {
      if (!options.isObject()) {
        throw BotApiException.badRequest("can't parse link preview options JSON object");
      }
      for (String field : List.of("is_disabled", "url", "prefer_small_media", "prefer_large_media", "show_above_text")) {
        JsonNode v = options.get(field);
        if (v != null && !v.isNull()) {
          out.set(field, v);
        }
      }
    } else if (p.bool("disable_web_page_preview")) {
      out.put("is_disabled", true);
    }
    return out.isEmpty() ? null : out;
  }

  // ---------------------------------------------------------------- downloads

  private Publisher<Void> download(HttpServerRequest req, HttpServerResponse res) {
    String rest = path(req).substring("/file/bot".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return error(res, BotApiException.notFound());
    }
    String token = rest.substring(0, slash);
    String filePath = rest.substring(slash + 1);
    if (state.bot(token) == null) {
      return error(res, BotApiException.unauthorized());
    }
    TgFile file = state.fileByPath(filePath);
    if (file == null || file.size() > state.settings.downloadLimit()) {
      return error(res, BotApiException.notFound());
    }
    return res.status(200)
        .header(HttpHeaderNames.CONTENT_TYPE, file.mimeType())
        .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(file.size()))
        .sendByteArray(Mono.just(file.data()))
        .then();
  }


}
