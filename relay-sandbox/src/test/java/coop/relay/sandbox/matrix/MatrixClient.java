package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plain HTTP client of the emulated homeserver for tests. Every JSON answer is checked against
 * the client-server API's OpenAPI response schema for its operation and status, and every room
 * event in it against the event schemas, so every test that uses it is also a conformance test.
 */
final class MatrixClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final MatrixSpec SPEC = MatrixSpec.load();

  /** One answer: status, parsed body (null for non-JSON), raw bytes and the response. */
  record Response(int status, @Nullable JsonNode body, byte[] bytes, HttpResponse<byte[]> raw) {
    JsonNode ok() {
      assertThat(status).as("status of %s", body).isEqualTo(200);
      return body;
    }

    String errcode() {
      return body == null ? "" : body.path("errcode").asString("");
    }

    @Nullable String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final @Nullable String token;
  private final @Nullable String asUser;

  MatrixClient(String baseUrl, @Nullable String token) {
    this(baseUrl, token, null);
  }

  private MatrixClient(String baseUrl, @Nullable String token, @Nullable String asUser) {
    this.base = baseUrl;
    this.token = token;
    this.asUser = asUser;
  }

  /** The same client asserting {@code userId} with {@code ?user_id=} (application services). */
  MatrixClient as(String userId) {
    return new MatrixClient(base, token, userId);
  }

  MatrixClient withToken(@Nullable String other) {
    return new MatrixClient(base, other, asUser);
  }

  static String seg(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Response get(String path) {
    return join(async("GET", path, null));
  }

  Response put(String path, Object body) {
    return join(async("PUT", path, body));
  }

  Response post(String path, Object body) {
    return join(async("POST", path, body));
  }

  Response delete(String path) {
    return join(async("DELETE", path, null));
  }

  /** Sends raw bytes (uploads, malformed JSON). */
  Response raw(String method, String path, byte[] body, @Nullable String contentType) {
    HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return join(send(method, path, b.build()));
  }

  CompletableFuture<Response> async(String method, String path, @Nullable Object body) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    HttpRequest.Builder b = request(path).method(method, publisher);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return send(method, path, b.build());
  }

  private HttpRequest.Builder request(String path) {
    String full = path;
    if (asUser != null) {
      full += (path.contains("?") ? "&" : "?") + "user_id=" + seg(asUser);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + full)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private CompletableFuture<Response> send(String method, String path, HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> conform(method, path, r));
  }

  private static Response conform(String method, String path, HttpResponse<byte[]> r) {
    String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String type = r.headers().firstValue("Content-Type").orElse("");
    boolean media = r.statusCode() == 200 && rawPath.contains("/media/download/");
    if (media) {
      return new Response(r.statusCode(), null, r.body(), r);
    }
    assertThat(type).as("Content-Type of %s %s", method, path).startsWith("application/json");
    JsonNode body = JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
    if (r.statusCode() >= 400) {
      assertThat(body.path("errcode").isString()).as("errcode in %s", body).isTrue();
      assertThat(body.path("error").isString()).as("error in %s", body).isTrue();
    }
    if (SPEC.operation(method, rawPath) != null) {
      assertThat(SPEC.checkResponse(method, rawPath, r.statusCode(), body)).as("%s %s -> %s", method, path, body).isEmpty();
    }
    if (r.statusCode() == 200) {
      List<String> violations = new ArrayList<>();
      for (JsonNode event : events(rawPath, body)) {
        violations.addAll(SPEC.checkEvent(event));
      }
      assertThat(violations).as("events of %s %s", method, path).isEmpty();
    }
    return new Response(r.statusCode(), body, r.body(), r);
  }

  /** The room events of a response, with the room id put back on /sync's events. */
  static List<JsonNode> events(String rawPath, JsonNode body) {
    List<JsonNode> out = new ArrayList<>();
    if (rawPath.endsWith("/sync")) {
      for (String section : List.of("join", "leave")) {
        JsonNode rooms = body.path("rooms").path(section);
        for (String roomId : rooms.propertyNames()) {
          JsonNode room = rooms.get(roomId);
          for (String part : List.of("timeline", "state")) {
            for (JsonNode e : room.path(part).path("events")) {
              ObjectNode copy = (ObjectNode) e.deepCopy();
              copy.put("room_id", roomId);
              out.add(copy);
            }
          }
        }
      }
    } else if (rawPath.endsWith("/messages")) {
      body.path("chunk").forEach(out::add);
      body.path("state").forEach(out::add);
    } else if (rawPath.contains("/event/")) {
      out.add(body);
    }
    return out;
  }

  private static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(90, TimeUnit.SECONDS).join();
  }

  /** Silences the checked exception of a blocking read in tests. */
  static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
