package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A plain HTTP client of the emulated Web API for tests. Every answer it receives is checked: against
 * the Web API spec for the methods it covers, against the java-slack-sdk response samples for the
 * newer ones, so every test that uses it is also a conformance test.
 */
final class WebApiClient {
  static final SlackSpec SPEC = SlackSpec.load();

  /** One answer: the HTTP status, headers and parsed body. */
  record Response(int status, HttpHeaders headers, JsonNode body) {
    JsonNode ok() {
      assertThat(body.path("ok").asBoolean()).as("ok in %s", body).isTrue();
      return body;
    }

    String error() {
      assertThat(body.path("ok").asBoolean(true)).as("ok in %s", body).isFalse();
      return body.path("error").asString();
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String api;
  private final @Nullable String token;

  /** @param api the Web API base URL, e.g. {@code http://127.0.0.1:1234/api} */
  WebApiClient(String api, @Nullable String token) {
    this.api = api;
    this.token = token;
  }

  WebApiClient withToken(@Nullable String otherToken) {
    return new WebApiClient(api, otherToken);
  }

  /** POSTs {@code params} as {@code application/x-www-form-urlencoded} with a bearer token. */
  Response form(String method, Map<String, String> params) {
    return send(method, request(method).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(params))).build());
  }

  /** POSTs {@code params} as a JSON body ({@code charset=utf-8}) with a bearer token. */
  Response json(String method, Map<String, ?> params) {
    return send(method, request(method).header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(SlackSpec.JSON.writeValueAsString(params))).build());
  }

  /** Sends a prepared request for {@code method} and checks the answer. */
  Response send(String method, HttpRequest request) {
    HttpResponse<String> res;
    try {
      res = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("request to " + method + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(res.headers().firstValue("Content-Type").orElse("")).as("content type of %s", method).startsWith("application/json");
    JsonNode body = SlackSpec.JSON.readTree(res.body());
    Response response = new Response(res.statusCode(), res.headers(), body);
    if (res.statusCode() != 404) {
      conforms(method, body);
    }
    return response;
  }

  /** Asserts that {@code body} is a valid answer of {@code method}. */
  static void conforms(String method, JsonNode body) {
    if (SPEC.covers(method)) {
      assertThat(SPEC.check(method, body)).as("%s answer %s against the Web API spec", method, body).isEmpty();
    } else {
      assertThat(body.path("ok").isBoolean()).as("ok in %s", body).isTrue();
      assertThat(SampleShape.check(SPEC.sample("api/" + method + ".json"), body))
          .as("%s answer %s against the sample", method, body).isEmpty();
    }
  }

  HttpRequest.Builder request(String method) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/" + method)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  static String encode(Map<String, String> params) {
    StringJoiner out = new StringJoiner("&");
    params.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }
}
