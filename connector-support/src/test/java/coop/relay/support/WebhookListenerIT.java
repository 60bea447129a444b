package coop.relay.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import coop.relay.api.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class WebhookListenerIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final List<WebhookRequest> received = new CopyOnWriteArrayList<>();
  private WebhookListener listener;

  @AfterEach
  void stopListener() {
    if (listener != null) {
      listener.stop().block(WAIT);
    }
  }

  private WebhookListener start(WebhookListener.Builder builder) {
    listener = builder.host("127.0.0.1").port(0).build();
    listener.start().block(WAIT);
    return listener;
  }

  private WebhookHandler recording(WebhookResponse response) {
    return request -> {
      received.add(request);
      return Mono.just(response);
    };
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + listener.port() + pathAndQuery);
  }

  private java.net.http.HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
  }

  @Test
  void passesTheRequestAndReturnsTheResponse() throws Exception {
    start(WebhookListener.builder().route("/telegram/", recording(
        WebhookResponse.json(200, "{\"ok\":true}").withHeader("X-Handled-By", "telegram"))));

    java.net.http.HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/telegram/hook?a=1&b=x%20y"))
        .timeout(WAIT)
        .header("X-Telegram-Bot-Api-Secret-Token", "s3cr3t")
        .POST(HttpRequest.BodyPublishers.ofString("{\"update_id\":1}")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
    assertThat(response.headers().firstValue("x-handled-by")).contains("telegram");
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    WebhookRequest request = received.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/telegram/hook");
    assertThat(request.queryParameter("b")).isEqualTo("x y");
    assertThat(request.header("x-telegram-bot-api-secret-token")).isEqualTo("s3cr3t");
    assertThat(request.bodyAsString()).isEqualTo("{\"update_id\":1}");
    assertThat(request.remoteAddress()).isNotNull();
  }

  @Test
  void routesByLongestPrefixOnSegmentBoundaries() throws Exception {
    start(WebhookListener.builder()
        .route("/slack", request -> Mono.just(WebhookResponse.text(200, "slack")))
        .route("/slack/events", request -> Mono.just(WebhookResponse.text(200, "events"))));

    assertThat(post("/slack/events", "").body()).isEqualTo("events");
    assertThat(post("/slack/events/x", "").body()).isEqualTo("events");
    assertThat(post("/slack/commands", "").body()).isEqualTo("slack");
    assertThat(post("/slack", "").body()).isEqualTo("slack");
    assertThat(post("/slackware", "").statusCode()).isEqualTo(404);
    assertThat(post("/", "").statusCode()).isEqualTo(404);
  }

  @Test
  void keepsPercentEncodingInThePath() throws Exception {
    start(WebhookListener.builder().route("/_matrix/app/v1", recording(WebhookResponse.json(200, "{}"))));

    java.net.http.HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(uri("/_matrix/app/v1/transactions/a%2Fb")).timeout(WAIT)
            .PUT(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")).build(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(received.get(0).method()).isEqualTo("PUT");
    assertThat(received.get(0).path()).isEqualTo("/_matrix/app/v1/transactions/a%2Fb");
  }

  @Test
  void rejectsBodiesOverTheLimitWithOrWithoutContentLength() throws Exception {
    start(WebhookListener.builder().maxBodyBytes(16).route("/hook", recording(WebhookResponse.ok())));

    assertThat(post("/hook", "x".repeat(17)).statusCode()).isEqualTo(413);
    java.net.http.HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(uri("/hook")).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("y".repeat(17).getBytes(UTF_8))))
        .build(), BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(post("/hook", "z".repeat(16)).statusCode()).isEqualTo(200);
    assertThat(received).singleElement().extracting(WebhookRequest::bodyAsString).isEqualTo("z".repeat(16));
  }

  @Test
  void handlerFailuresAnswer500WithoutDetails() throws Exception {
    start(WebhookListener.builder()
        .route("/error", request -> Mono.error(new IllegalStateException("secret detail")))
        .route("/throw", request -> {
          throw new IllegalStateException("secret detail");
        }));

    java.net.http.HttpResponse<String> error = post("/error", "");
    java.net.http.HttpResponse<String> thrown = post("/throw", "");

    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.body()).doesNotContain("secret");
    assertThat(thrown.statusCode()).isEqualTo(500);
  }

  @Test
  void emptyAnswerIs200AndSlowHandlersGet503() throws Exception {
    start(WebhookListener.builder()
        .responseTimeout(Duration.ofMillis(200))
        .route("/empty", request -> Mono.empty())
        .route("/never", request -> Mono.never()));

    assertThat(post("/empty", "").statusCode()).isEqualTo(200);
    assertThat(post("/never", "").statusCode()).isEqualTo(503);
  }

  @Test
  void handlersCanBeMountedAndUnmountedWhileRunning() throws Exception {
    start(WebhookListener.builder());
    assertThat(post("/late", "").statusCode()).isEqualTo(404);

    Disposable mounted = listener.mount("/late", recording(WebhookResponse.status(204)));
    assertThat(post("/late", "").statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> listener.mount("/late/", recording(WebhookResponse.ok())))
        .isInstanceOf(IllegalStateException.class);

    mounted.dispose();
    assertThat(post("/late", "").statusCode()).isEqualTo(404);
  }

  @Test
  void stopWaitsForRequestsInFlightThenRefusesConnections() throws Exception {
    Sinks.One<WebhookResponse> answer = Sinks.one();
    start(WebhookListener.builder().route("/slow", request -> {
      received.add(request);
      return answer.asMono();
    }));
    URI slow = uri("/slow");

    CompletableFuture<java.net.http.HttpResponse<String>> inFlight = client.sendAsync(
        HttpRequest.newBuilder(slow).timeout(WAIT).POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString());
    await().atMost(WAIT).until(() -> received.size() == 1);
    CompletableFuture<Void> stopped = listener.stop().toFuture();
    assertThat(stopped).isNotDone();

    answer.tryEmitValue(WebhookResponse.text(200, "late but answered"));

    assertThat(inFlight.get().body()).isEqualTo("late but answered");
    stopped.get();
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(slow).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    listener = null;
  }

  @Test
  void canBeStartedAgainAfterStop() throws Exception {
    start(WebhookListener.builder().route("/hook", recording(WebhookResponse.ok())));
    listener.stop().block(WAIT);

    listener.start().block(WAIT);

    assertThat(post("/hook", "again").statusCode()).isEqualTo(200);
  }

  @Test
  void portIsOnlyKnownWhileStarted() {
    WebhookListener notStarted = WebhookListener.builder().port(0).build();

    assertThatThrownBy(notStarted::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
    StepVerifier.create(notStarted.stop()).verifyComplete();
  }

  @Test
  void aTakenPortFailsStartWithAConfigurationError() {
    start(WebhookListener.builder());
    WebhookListener second = WebhookListener.builder().host("127.0.0.1").port(listener.port()).build();

    StepVerifier.create(second.start())
        .expectErrorSatisfies(error -> assertThat(error)
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining(String.valueOf(listener.port())))
        .verify(WAIT);
  }

  @Test
  void builderFailsFastOnMissingPortAndDuplicateRoutes() {
    assertThatThrownBy(() -> WebhookListener.builder().build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("port(");
    assertThatThrownBy(() -> WebhookListener.builder().route("/a", r -> Mono.empty()).route("/a/", r -> Mono.empty()))
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> WebhookListener.builder().route("a", r -> Mono.empty()))
        .isInstanceOf(InvalidConfigurationException.class);
  }
}
