package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.api.DeliveryException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class WebSocketIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final MockWebServer server = new MockWebServer();
  private final ReactiveHttpClient http = ReactiveHttpClient.create();
  private final ServerSide serverSide = new ServerSide();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Request gateway() {
    return new Request.Builder().url(server.url("/gateway")).build();
  }

  private void acceptUpgrade() {
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(serverSide).build());
  }

  @Test
  void emitsOpenedThenFramesAndSendsThroughTheSender() {
    acceptUpgrade();

    StepVerifier.create(http.webSocket(gateway()))
        .assertNext(event -> {
          assertThat(event).isInstanceOf(WebSocketEvent.Opened.class);
          ((WebSocketEvent.Opened) event).sender().send("ping").block(WAIT);
        })
        .expectNext(new WebSocketEvent.Text("hello"))
        .expectNext(new WebSocketEvent.Text("echo:ping"))
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void peerCloseEmitsClosingAndClosedThenCompletes() {
    acceptUpgrade();

    StepVerifier.create(http.webSocket(gateway()))
        .assertNext(event -> ((WebSocketEvent.Opened) event).sender().send("close-me").block(WAIT))
        .expectNext(new WebSocketEvent.Text("hello"))
        .expectNext(new WebSocketEvent.Closing(new CloseStatus(4009, "session timed out")))
        .expectNext(new WebSocketEvent.Closed(new CloseStatus(4009, "session timed out")))
        .verifyComplete();
  }

  @Test
  void cancellingSendsTheNormalCloseByDefault() {
    acceptUpgrade();

    Disposable subscription = http.webSocket(gateway()).subscribe();
    await().atMost(WAIT).until(() -> serverSide.events.contains("open"));
    subscription.dispose();

    await().atMost(WAIT).until(() -> serverSide.events.contains("closing:1000"));
  }

  @Test
  void cancellingSendsTheConfiguredClose() {
    acceptUpgrade();

    Disposable subscription = http.webSocket(gateway(), CloseStatus.of(4900)).subscribe();
    await().atMost(WAIT).until(() -> serverSide.events.contains("open"));
    subscription.dispose();

    await().atMost(WAIT).until(() -> serverSide.events.contains("closing:4900"));
  }

  @Test
  void cancellingWithoutCloseStatusDropsTheConnection() {
    acceptUpgrade();

    Disposable subscription = http.webSocket(gateway(), null).subscribe();
    await().atMost(WAIT).until(() -> serverSide.events.contains("open"));
    subscription.dispose();

    await().atMost(WAIT).until(() -> serverSide.events.contains("failure"));
    assertThat(serverSide.events).noneMatch(event -> event.startsWith("closing"));
  }

  @Test
  void refusedUpgradeFailsWithTheStatus() {
    server.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"401: Unauthorized\"}").build());

    StepVerifier.create(http.webSocket(gateway()))
        .expectErrorSatisfies(error -> {
          assertThat(error).isInstanceOf(WebSocketHandshakeException.class);
          assertThat(((WebSocketHandshakeException) error).status()).isEqualTo(401);
          assertThat(((WebSocketHandshakeException) error).isRetryable()).isFalse();
          assertThat(error.getMessage()).contains("credentials");
        })
        .verify(WAIT);
  }

  @Test
  void brokenConnectionFailsTransiently() {
    acceptUpgrade();

    List<WebSocketSender> senders = new CopyOnWriteArrayList<>();

    // Asks for the drop only after the greeting arrived: a dropped server discards what it had queued.
    StepVerifier.create(http.webSocket(gateway()))
        .assertNext(event -> senders.add(((WebSocketEvent.Opened) event).sender()))
        .assertNext(event -> {
          assertThat(event).isEqualTo(new WebSocketEvent.Text("hello"));
          senders.get(0).send("drop-me").block(WAIT);
        })
        .expectErrorSatisfies(error -> assertThat(error)
            .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue()))
        .verify(WAIT);
  }

  @Test
  void sendingAfterCloseFails() {
    acceptUpgrade();
    List<WebSocketSender> senders = new CopyOnWriteArrayList<>();

    Flux<WebSocketEvent> events = http.webSocket(gateway())
        .doOnNext(event -> {
          if (event instanceof WebSocketEvent.Opened opened) {
            senders.add(opened.sender());
            opened.sender().close(CloseStatus.GOING_AWAY).block(WAIT);
          }
        });

    StepVerifier.create(events)
        .expectNextMatches(event -> event instanceof WebSocketEvent.Opened)
        .thenConsumeWhile(event -> !(event instanceof WebSocketEvent.Closed))
        .expectNext(new WebSocketEvent.Closed(CloseStatus.GOING_AWAY))
        .verifyComplete();
    StepVerifier.create(senders.get(0).send("too late"))
        .expectError(DeliveryException.class)
        .verify(WAIT);
    assertThat(serverSide.events).contains("closing:1001");
  }

  /** The server end: greets, echoes, and closes or drops the connection on request. */
  private static final class ServerSide extends WebSocketListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      events.add("open");
      webSocket.send("hello");
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      events.add("message:" + text);
      switch (text) {
        case "close-me" -> webSocket.close(4009, "session timed out");
        case "drop-me" -> webSocket.cancel();
        default -> webSocket.send("echo:" + text);
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      events.add("closing:" + code);
      webSocket.close(code, null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
      events.add("failure");
    }
  }
}
