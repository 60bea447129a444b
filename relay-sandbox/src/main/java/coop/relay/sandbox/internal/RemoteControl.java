package coop.relay.sandbox.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A {@link SandboxControl} that talks to an emulator's HTTP control API. */
public final class RemoteControl implements SandboxControl {
  private final String base;
  private final String platform;
  private final HttpClient client;
  private final JsonMapper json = SandboxJson.mapper();

  private RemoteControl(String base, String platform, HttpClient client) {
    this.base = base;
    this.platform = platform;
    this.client = client;
  }

  /** See {@link SandboxControl#remote(String)}. */
  public static Mono<SandboxControl> connect(String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL such as http://127.0.0.1:8081", e);
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL such as http://127.0.0.1:8081, was " + baseUrl);
    }
    String base = (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + HTTP_PREFIX;
    HttpClient client = HttpClient.create();
    return call(client, SandboxJson.mapper(), HttpMethod.GET, base, null)
        .map(node -> {
          JsonNode p = node.get("platform");
          if (p == null || !p.isString()) {
            throw new IllegalStateException(baseUrl + " answered no platform; is it a Relay sandbox emulator?");
          }
          return (SandboxControl) new RemoteControl(base, p.asString(), client);
        });
  }

  @Override
  public String platform() {
    return platform;
  }

  @Override
  public Flux<SandboxUser> users() {
    return list("/users", SandboxUser.class);
  }

  @Override
  public Mono<SandboxUser> createUser(NewUser user) {
    return one(HttpMethod.POST, "/users", user, SandboxUser.class);
  }

  @Override
  public Flux<SandboxChannel> channels() {
    return list("/channels", SandboxChannel.class);
  }

  @Override
  public Mono<SandboxChannel> createChannel(NewChannel channel) {
    return one(HttpMethod.POST, "/channels", channel, SandboxChannel.class);
  }

  @Override
  public Mono<HistoryEntry> post(Post post) {
    return one(HttpMethod.POST, "/channels/" + seg(post.channelId()) + "/messages", post, HistoryEntry.class);
  }

  @Override
  public Mono<HistoryEntry> createThread(String channelId, String userId, String title) {
    return one(
        HttpMethod.POST,
        "/channels/" + seg(channelId) + "/threads",
        Map.of("userId", userId, "title", title),
        HistoryEntry.class);
  }

  @Override
  public Mono<HistoryEntry> edit(String channelId, String messageId, String userId, String text) {
    return one(
        HttpMethod.PATCH,
        "/channels/" + seg(channelId) + "/messages/" + seg(messageId),
        Map.of("userId", userId, "text", text),
        HistoryEntry.class);
  }

  @Override
  public Mono<Void> delete(String channelId, String messageId, String userId) {
    return none(
        HttpMethod.DELETE,
        "/channels/" + seg(channelId) + "/messages/" + seg(messageId) + "?userId=" + seg(userId),
        null);
  }

  @Override
  public Mono<Void> react(String channelId, String messageId, String userId, String emoji) {
    return none(
        HttpMethod.POST,
        "/channels/" + seg(channelId) + "/messages/" + seg(messageId) + "/reactions",
        Map.of("userId", userId, "emoji", emoji));
  }

  @Override
  public Mono<Void> unreact(String channelId, String messageId, String userId, String emoji) {
    return none(
        HttpMethod.DELETE,
        "/channels/" + seg(channelId) + "/messages/" + seg(messageId) + "/reactions?userId=" + seg(userId)
            + "&emoji=" + seg(emoji),
        null);
  }

  @Override
  public Flux<HistoryEntry> history(String channelId) {
    return list("/channels/" + seg(channelId) + "/messages", HistoryEntry.class);
  }

  @Override
  public Mono<SandboxFile> file(String attachmentId) {
    return client
        .get()
        .uri(base + "/files/" + seg(attachmentId))
        .responseSingle((res, bytes) -> bytes.asByteArray().defaultIfEmpty(new byte[0]).map(data -> {
          if (res.status().code() != 200) {
            throw failure(res.status().code(), new String(data, StandardCharsets.UTF_8));
          }
          String type = res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
          String disposition = res.responseHeaders().get(HttpHeaderNames.CONTENT_DISPOSITION, "");
          int at = disposition.indexOf("filename=\"");
          String name = at < 0 ? attachmentId : disposition.substring(at + 10, disposition.lastIndexOf('"'));
          return new SandboxFile(name, type, data);
        }));
  }

  @Override
  public Mono<Void> injectFault(Fault fault) {
    return none(HttpMethod.POST, "/faults", fault);
  }

  @Override
  public Mono<Void> clearFaults() {
    return none(HttpMethod.DELETE, "/faults", null);
  }

  @Override
  public Flux<SandboxEvent> changes() {
    return events(base + "/events");
  }

  @Override
  public Flux<SandboxEvent> changesAfter(long sequence) {
    return events(base + "/events?after=" + sequence);
  }

  private Flux<SandboxEvent> events(String url) {
    return Flux.defer(() -> {
      SseDecoder decoder = new SseDecoder();
      return client
          .get()
          .uri(url)
          .responseContent()
          .asString(StandardCharsets.UTF_8)
          .concatMapIterable(decoder::feed)
          .map(data -> json.readValue(data, SandboxEvent.class));
    });
  }

  private <T> Flux<T> list(String path, Class<T> type) {
    JavaType listType = json.getTypeFactory().constructCollectionType(List.class, type);
    return call(client, json, HttpMethod.GET, base + path, null)
        .flatMapIterable(node -> json.<List<T>>treeToValue(node, listType));
  }

  private <T> Mono<T> one(HttpMethod method, String path, Object body, Class<T> type) {
    return call(client, json, method, base + path, body).map(node -> json.treeToValue(node, type));
  }

  private Mono<Void> none(HttpMethod method, String path, @Nullable Object body) {
    return call(client, json, method, base + path, body).then();
  }

  private static Mono<JsonNode> call(
      HttpClient client, JsonMapper json, HttpMethod method, String url, @Nullable Object body) {
    return Mono.defer(() -> {
      String payload = body == null ? null : json.writeValueAsString(body);
      return client
          .headers(h -> {
            if (payload != null) {
              h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            }
          })
          .request(method)
          .uri(url)
          .send(payload == null ? ByteBufFlux.empty() : ByteBufFlux.fromString(Mono.just(payload)))
          .responseSingle((res, bytes) -> bytes.asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(text -> {
            int status = res.status().code();
            if (status >= 300) {
              return Mono.error(failure(status, text));
            }
            return text.isEmpty() ? Mono.<JsonNode>empty() : Mono.just(json.readTree(text));
          }));
    });
  }

  private static RuntimeException failure(int status, String body) {
    String message = body;
    SandboxException.Reason reason = null;
    try {
      JsonNode node = SandboxJson.mapper().readTree(body);
      if (node.hasNonNull("message")) {
        message = node.get("message").asString();
      }
      if (node.hasNonNull("error")) {
        reason = SandboxException.Reason.valueOf(node.get("error").asString());
      }
    } catch (RuntimeException notJson) {
      // The body is not the control API's error shape; keep it as the message.
    }
    if (reason == null) {
      return new IllegalStateException("sandbox control API answered HTTP " + status + ": " + message);
    }
    return new SandboxException(reason, message);
  }

  private static String seg(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Splits a text/event-stream into the data of its events; chunks may split lines anywhere. */
  static final class SseDecoder {
    private final StringBuilder pending = new StringBuilder();

    List<String> feed(String chunk) {
      pending.append(chunk.replace("\r\n", "\n"));
      List<String> out = new ArrayList<>();
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String block = pending.substring(0, end);
        pending.delete(0, end + 2);
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("data:")) {
            if (data.length() > 0) {
              data.append('\n');
            }
            data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
          }
        }
        if (data.length() > 0) {
          out.add(data.toString());
        }
      }
      return out;
    }
  }

  @Override
  public String toString() {
    return "RemoteControl[" + platform + " @ " + base + "]";
  }
}
