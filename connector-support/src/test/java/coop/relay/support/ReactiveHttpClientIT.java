package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.DeliveryException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReactiveHttpClientIT {
  private static final Secret TOKEN = Secret.of("4242:SECRET-token", "token");

  private final MockWebServer server = new MockWebServer();
  private final ReactiveHttpClient http = ReactiveHttpClient.builder()
      .redactor(Redactor.of(TOKEN))
      .userAgent("RelayTest/1.0")
      .build();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Request get(String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  @Test
  void emitsStatusHeadersAndBody() throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-RateLimit-Remaining", "4").body("{\"ok\":true}").build());

    StepVerifier.create(http.execute(get("/getMe")))
        .assertNext(response -> {
          assertThat(response.status()).isEqualTo(200);
          assertThat(response.isSuccessful()).isTrue();
          assertThat(response.header("x-ratelimit-remaining")).isEqualTo("4");
          assertThat(response.bodyAsString()).isEqualTo("{\"ok\":true}");
        })
        .verifyComplete();

    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.getHeaders().get("User-Agent")).isEqualTo("RelayTest/1.0");
  }

  @Test
  void errorStatusesAreResponsesNotErrors() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3").body("slow down").build());

    StepVerifier.create(http.execute(get("/x")))
        .assertNext(response -> assertThat(response.status()).isEqualTo(429))
        .verifyComplete();
  }

  @Test
  void isLazyAndSendsOncePerSubscription() {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).body("second").build());
    Mono<HttpResponse> call = http.execute(get("/x"));

    assertThat(server.getRequestCount()).isZero();
    StepVerifier.create(call.filter(HttpResponse::isSuccessful).repeatWhenEmpty(r -> r.take(3)))
        .assertNext(response -> assertThat(response.bodyAsString()).isEqualTo("second"))
        .verifyComplete();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void connectionFailureIsTransientAndRedacted() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + closedPort + "/bot" + TOKEN.reveal() + "/getUpdates")
        .build();

    StepVerifier.create(http.execute(request))
        .expectErrorSatisfies(error -> {
          assertThat(error).isInstanceOf(DeliveryException.class);
          assertThat(((DeliveryException) error).isRetryable()).isTrue();
          assertThat(error.getMessage()).contains("/bot***/getUpdates").doesNotContain("SECRET");
        })
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void disconnectMidResponseIsTransient() {
    server.enqueue(new MockResponse.Builder().body("partial body").onResponseStart(new SocketEffect.CloseSocket()).build());

    StepVerifier.create(http.execute(get("/x")))
        .expectErrorSatisfies(error -> assertThat(error)
            .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue()))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void cancellingCancelsTheCall() {
    server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).build());

    Disposable subscription = http.execute(get("/slow")).subscribe();
    await().atMost(Duration.ofSeconds(5)).until(() -> http.okHttpClient().dispatcher().runningCallsCount() == 1);
    subscription.dispose();

    await().atMost(Duration.ofSeconds(5)).until(() -> http.okHttpClient().dispatcher().runningCallsCount() == 0);
  }

  @Test
  void oversizedBodyFailsPermanently() {
    ReactiveHttpClient small = ReactiveHttpClient.builder().maxResponseBytes(10).build();
    server.enqueue(new MockResponse.Builder().body("01234567890").build());
    server.enqueue(new MockResponse.Builder().body("0123456789").build());

    StepVerifier.create(small.execute(get("/big")))
        .expectErrorSatisfies(error -> assertThat(error)
            .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
            .hasMessageContaining("maxResponseBytes"))
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(small.execute(get("/fits")))
        .assertNext(response -> assertThat(response.body()).hasSize(10))
        .verifyComplete();
  }

  @Test
  void readTimeoutForLongPollsIsSeparate() {
    ReactiveHttpClient impatient = http.withReadTimeout(Duration.ofMillis(200));
    server.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).build());

    StepVerifier.create(impatient.execute(get("/poll")))
        .expectErrorSatisfies(error -> assertThat(error)
            .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue()))
        .verify(Duration.ofSeconds(10));
    assertThat(http.okHttpClient().readTimeoutMillis()).isEqualTo(30_000);
    assertThat(impatient.okHttpClient().connectionPool()).isSameAs(http.okHttpClient().connectionPool());
  }
}
