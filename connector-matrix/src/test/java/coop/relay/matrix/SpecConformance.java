package coop.relay.matrix;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OkHttp interceptor, installed in the connector through its builder's test hook, that checks
 * every request the connector sends to the homeserver against the client-server API definitions,
 * and the content of every event it sends against the event schemas. Requests to other hosts (an
 * avatar download) are not checked. {@link #assertConforms()} fails with every violation seen.
 */
public final class SpecConformance implements Interceptor {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SpecCheck spec = SpecCheck.load();
  private final boolean appservice;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> checked = new CopyOnWriteArrayList<>();
  private volatile @Nullable String host;

  public SpecConformance(boolean appservice) {
    this.appservice = appservice;
  }

  /** Only requests to this host:port are checked (the homeserver's). */
  public SpecConformance homeserver(String baseUrl) {
    HttpUrl url = HttpUrl.get(baseUrl);
    this.host = url.host() + ":" + url.port();
    return this;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    String expected = host;
    if (expected == null || expected.equals(url.host() + ":" + url.port())) {
      inspect(request);
    }
    return chain.proceed(request);
  }

  private void inspect(Request request) throws IOException {
    HttpUrl url = request.url();
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      query.put(name, url.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList());
    }
    JsonNode body = null;
    String contentType = null;
    if (request.body() != null) {
      contentType = request.body().contentType() == null ? null : request.body().contentType().toString();
      if (contentType != null && contentType.startsWith("application/json")) {
        Buffer buffer = new Buffer();
        request.body().writeTo(buffer);
        try {
          body = JSON.readTree(buffer.readByteArray());
        } catch (JacksonException e) {
          violations.add(request.method() + " " + url.encodedPath() + ": the body is not JSON");
        }
      }
    }
    if (request.header("Authorization") != null && !request.header("Authorization").startsWith("Bearer ")) {
      violations.add(request.method() + " " + url.encodedPath() + ": Authorization is not a bearer token");
    }
    violations.addAll(spec.checkRequest(request.method(), url.encodedPath(), query, body, contentType, appservice));
    checked.add(request.method() + " " + url.encodedPath());
    List<String> segments = url.pathSegments();
    int send = segments.indexOf("send");
    if (request.method().equals("PUT") && send > 0 && send + 2 < segments.size() && body != null) {
      List<String> problems = new ArrayList<>(spec.checkEvent(SpecCheck.event(segments.get(send + 1), body)));
      problems.forEach(p -> violations.add("event sent to " + url.encodedPath() + ": " + p));
    }
  }

  /** The requests seen, as "METHOD path". */
  public List<String> checked() {
    return List.copyOf(checked);
  }

  /** The violations seen so far. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Fails with every violation seen. */
  public void assertConforms() {
    if (!violations.isEmpty()) {
      throw new AssertionError("requests of the connector do not conform to the Matrix spec:\n  "
          + String.join("\n  ", violations));
    }
  }
}
