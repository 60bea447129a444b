package coop.relay.sandbox.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client of the emulated Bot API for tests. Every answer it receives is checked
 * against the Bot API spec: results against the method's return types, errors against Telegram's
 * error shape, so every test that uses it is also a conformance test.
 */
final class BotClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final BotApiSpec SPEC = BotApiSpec.load();

  /** One answer: the HTTP status and the parsed body. */
  record Response(int status, JsonNode body) {
    JsonNode result() {
      assertThat(body.path("ok").asBoolean()).as("ok in %s", body).isTrue();
      return body.get("result");
    }

    String description() {
      return body.path("description").asString();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  BotClient(String baseUrl, String token) {
    this.base = baseUrl;
    this.token = token;
  }

  BotClient withToken(String otherToken) {
    return new BotClient(base, otherToken);
  }

  String fileUrl(String filePath) {
    return base + "/file/bot" + token + "/" + filePath;
  }

  /** POSTs {@code params} as a JSON body. */
  Response call(String method, Map<String, ?> params) {
    return join(async(method, params));
  }

  CompletableFuture<Response> async(String method, Map<String, ?> params) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params)))
        .build();
    return send(method, request);
  }

  /** POSTs {@code params} as {@code application/x-www-form-urlencoded}. */
  Response form(String method, Map<String, String> params) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(params)))
        .build();
    return join(send(method, request));
  }

  /** GETs with {@code params} in the query string. */
  Response query(String method, Map<String, String> params) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method + "?" + encode(params)))
        .GET()
        .build();
    return join(send(method, request));
  }

  /** POSTs a multipart form with one file part. */
  Response multipart(String method, Map<String, String> fields, String fileField, String fileName, String type, byte[] data) {
    String boundary = "sandbox-boundary-7MA4YWxkTrZu0gW";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
            + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
          + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(data);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
    return join(send(method, request));
  }

  /** A raw GET, for downloads and paths outside /bot. */
  HttpResponse<byte[]> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The raw future of a request, to observe failures such as dropped connections. */
  CompletableFuture<HttpResponse<String>> raw(String method, Map<String, ?> params) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(params)))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<Response> send(String method, HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> conform(method, r));
  }

  private static Response conform(String method, HttpResponse<String> r) {
    JsonNode body = JSON.readTree(r.body());
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    if (body.path("ok").asBoolean(false)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(body.propertyNames()).containsExactlyInAnyOrder("ok", "result");
      if (SPEC.hasMethod(method)) {
        assertThat(SPEC.checkResult(method, body.get("result"))).as("%s result %s", method, body).isEmpty();
      }
    } else {
      assertThat(body.path("ok").isBoolean()).as("ok flag in %s", body).isTrue();
      assertThat(body.path("error_code").isIntegralNumber()).as("error_code in %s", body).isTrue();
      assertThat(body.path("error_code").asInt()).isEqualTo(r.statusCode());
      assertThat(body.path("description").isString()).isTrue();
      assertThat(body.propertyNames()).isSubsetOf("ok", "error_code", "description", "parameters");
      if (body.has("parameters")) {
        assertThat(SPEC.check("ResponseParameters", body.get("parameters"))).isEmpty();
      }
    }
    return new Response(r.statusCode(), body);
  }

  private static <T> T join(CompletableFuture<T> future) {
    return future.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  private static String encode(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&");
    params.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }
}
