package coop.relay.support;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An inbound webhook request as a plain value, independent of any HTTP server: what a
 * {@link WebhookHandler} receives. Signatures are computed over {@link #body()} exactly as received.
 *
 * <p>The body array is shared, not copied; treat it as read-only. {@link #toString()} shows neither
 * the path nor the body: both may carry secrets (a token in the webhook path, a signature).
 *
 * @param method the HTTP method in upper case, e.g. {@code POST}
 * @param path the path as sent, percent-encoding kept (so {@code %2F} inside an id stays one segment)
 * @param rawQuery the query string as sent, without {@code ?}, or {@code null} when there was none
 * @param headers the request headers, case-insensitive
 * @param body the raw body bytes
 * @param remoteAddress the peer's address when the server knows it
 */
public record WebhookRequest(
    String method,
    String path,
    @Nullable String rawQuery,
    HttpHeaders headers,
    byte[] body,
    @Nullable InetSocketAddress remoteAddress) {

  public WebhookRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a request path starts with '/'");
    }
  }

  /** A request without query or remote address, e.g. for tests. */
  public static WebhookRequest of(String method, String path, HttpHeaders headers, byte[] body) {
    return new WebhookRequest(method, path, null, headers, body, null);
  }

  /** The first value of header {@code name} (any case), or {@code null}. */
  public @Nullable String header(String name) {
    return headers.first(name);
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The decoded query parameters, in order; empty when there is no query. */
  public Map<String, List<String>> queryParameters() {
    String query = rawQuery;
    if (query == null || query.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
    parameters.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(parameters);
  }

  /** The first decoded value of query parameter {@code name}, or {@code null}. */
  public @Nullable String queryParameter(String name) {
    List<String> values = queryParameters().get(name);
    return values == null ? null : values.get(0);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WebhookRequest request
        && method.equals(request.method)
        && path.equals(request.path)
        && Objects.equals(rawQuery, request.rawQuery)
        && headers.equals(request.headers)
        && Arrays.equals(body, request.body)
        && Objects.equals(remoteAddress, request.remoteAddress);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, rawQuery, headers, Arrays.hashCode(body), remoteAddress);
  }

  @Override
  public String toString() {
    return "WebhookRequest[" + method + ", headers=" + headers + ", body=" + body.length + " bytes]";
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }
}
