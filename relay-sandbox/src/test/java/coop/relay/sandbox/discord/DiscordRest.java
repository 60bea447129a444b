package coop.relay.sandbox.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client of the emulated REST API for tests. Every answer it receives is checked
 * against the OpenAPI spec (status declared by the operation, body valid against its schema), so
 * every test that uses it is also a conformance test.
 */
final class DiscordRest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DiscordSpec SPEC = DiscordSpec.load();

  /** One answer. */
  record Response(int status, HttpResponse<byte[]> raw, @Nullable JsonNode body) {
    JsonNode json() {
      assertThat(body).as("JSON body of HTTP %s", status).isNotNull();
      return body;
    }

    @Nullable String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    int code() {
      return json().path("code").asInt(-1);
    }
  }

  /** A file part of a multipart request. */
  record FilePart(String name, String filename, String contentType, byte[] data) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String apiBase;
  private final @Nullable String token;

  DiscordRest(String apiBase, @Nullable String token) {
    this.apiBase = apiBase;
    this.token = token;
  }

  DiscordRest withToken(@Nullable String other) {
    return new DiscordRest(apiBase, other);
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response put(String path) {
    return send("PUT", path, null, null);
  }

  Response post(String path, Object body) {
    return send("POST", path, "application/json", JSON.writeValueAsBytes(body));
  }

  Response patch(String path, Object body) {
    return send("PATCH", path, "application/json", JSON.writeValueAsBytes(body));
  }

  /** A multipart request with {@code payload_json} and the files as {@code files[n]}. */
  Response multipart(String method, String path, Object payload, List<FilePart> files) {
    String boundary = "sandbox" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n"
        + "Content-Type: application/json\r\n\r\n");
    out.writeBytes(JSON.writeValueAsBytes(payload));
    write(out, "\r\n");
    for (FilePart f : files) {
      write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.name() + "\"; filename=\""
          + f.filename() + "\"\r\nContent-Type: " + f.contentType() + "\r\n\r\n");
      out.writeBytes(f.data());
      write(out, "\r\n");
    }
    write(out, "--" + boundary + "--\r\n");
    return send(method, path, "multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  Response send(String method, String path, @Nullable String contentType, byte @Nullable [] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiBase + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bot " + token);
    }
    HttpResponse<byte[]> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    JsonNode json = null;
    String type = res.headers().firstValue("Content-Type").orElse("");
    if (res.body().length > 0 && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      json = JSON.readTree(res.body());
    }
    String specPath = URI.create(apiBase + path).getPath().replaceFirst("^/api(/v[0-9]+)?", "");
    if (res.statusCode() < 500) {
      assertThat(SPEC.checkResponse(method, specPath, res.statusCode(), json))
          .as("%s %s answered %s %s, checked against the OpenAPI spec", method, path, res.statusCode(), json)
          .isEmpty();
    }
    return new Response(res.statusCode(), res, json);
  }

  /** GETs an absolute URL (a CDN link) without authorization. */
  HttpResponse<byte[]> fetch(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> content(String text) {
    return Map.of("content", text);
  }
}
