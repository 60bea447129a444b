package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.support.HmacSha256;
import coop.relay.support.HttpHeaders;
import coop.relay.support.Secret;
import coop.relay.support.WebhookRequest;
import coop.relay.support.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

class EventsEndpointTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final long NOW = 1_700_000_000L;

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final EventsEndpoint endpoint = new EventsEndpoint("sl",
      HmacSha256.keyedWith(Secret.of(SECRET, "secret")), clock, Duration.ofMinutes(5));
  private final SlackSigner signer = new SlackSigner(SECRET);
  private final List<Inbound> signals = new CopyOnWriteArrayList<>();
  private final List<Inbound> received = new CopyOnWriteArrayList<>();
  private Disposable subscription;

  @BeforeEach
  void setUp() {
    clock.advanceTimeTo(java.time.Instant.ofEpochSecond(NOW));
    subscription = endpoint.receive().doOnNext(signals::add).ofType(Inbound.Payload.class).subscribe(received::add);
  }

  @Test
  void receivingStartsWithUp() {
    assertThat(signals).singleElement().isInstanceOf(Inbound.Up.class);
  }

  @AfterEach
  void tearDown() {
    subscription.dispose();
  }

  @Test
  void aSignedEventIsAcknowledgedAndPassedOn() {
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "hi").getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = handle(signer.headers(NOW, body), body);

    assertThat(response.status()).isEqualTo(200);
    assertThat(received).singleElement().isInstanceOfSatisfying(Inbound.Payload.class,
        p -> assertThat(p.callback().eventId()).isEqualTo("Ev1"));
  }

  @Test
  void slacksDocumentedExampleSignatureVerifies() {
    // The worked example of Slack's "Verifying requests from Slack" page.
    String secret = "8f742231b10e8888abcd99yyyzzz85a5";
    byte[] body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);

    assertThat(new SlackSigner(secret).signature(1531420618L, body))
        .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  }

  @Test
  void aForgedSignatureIsRefused() {
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "hi").getBytes(StandardCharsets.UTF_8);
    byte[] tampered = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "HI").getBytes(StandardCharsets.UTF_8);

    assertThat(handle(signer.headers(NOW, body), tampered).status()).isEqualTo(401);
    assertThat(handle(new SlackSigner("another secret").headers(NOW, body), body).status()).isEqualTo(401);
    assertThat(handle(HttpHeaders.of("X-Slack-Request-Timestamp", Long.toString(NOW)), body).status()).isEqualTo(401);
    assertThat(handle(HttpHeaders.of("X-Slack-Request-Timestamp", Long.toString(NOW), "X-Slack-Signature",
        signer.signature(NOW, body).replace("v0=", "v1=")), body).status()).isEqualTo(401);
    assertThat(received).isEmpty();
  }

  @Test
  void aStaleOrFutureTimestampIsRefusedEvenWhenSigned() {
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "hi").getBytes(StandardCharsets.UTF_8);
    long stale = NOW - TimeUnit.MINUTES.toSeconds(5) - 1;
    long future = NOW + TimeUnit.MINUTES.toSeconds(5) + 1;
    long edge = NOW - TimeUnit.MINUTES.toSeconds(5);

    assertThat(handle(signer.headers(stale, body), body).status()).isEqualTo(401);
    assertThat(handle(signer.headers(future, body), body).status()).isEqualTo(401);
    assertThat(handle(signer.headers(edge, body), body).status()).isEqualTo(200);
    assertThat(handle(HttpHeaders.of("X-Slack-Request-Timestamp", "soon", "X-Slack-Signature", "v0=00"), body).status())
        .isEqualTo(401);
  }

  @Test
  void aCapturedRequestCannotBeReplayedLater() {
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "hi").getBytes(StandardCharsets.UTF_8);
    HttpHeaders headers = signer.headers(NOW, body);
    assertThat(handle(headers, body).status()).isEqualTo(200);

    clock.advanceTimeBy(Duration.ofMinutes(6));

    assertThat(handle(headers, body).status()).isEqualTo(401);
  }

  @Test
  void urlVerificationAnswersTheChallenge() {
    byte[] body = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}"
        .getBytes(StandardCharsets.UTF_8);

    WebhookResponse response = handle(signer.headers(NOW, body), body);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
    assertThat(received).isEmpty();
  }

  @Test
  void whileNobodyReceivesEventsAreRefusedForSlackToRetry() {
    subscription.dispose();
    byte[] body = Callbacks.message("Ev1", "C1", "U1", "1700000000.000100", "hi").getBytes(StandardCharsets.UTF_8);

    assertThat(handle(signer.headers(NOW, body), body).status()).isEqualTo(503);
  }

  @Test
  void malformedBodiesAndOtherMethodsAreRefused() {
    byte[] broken = "{\"type\":\"event_callback\",".getBytes(StandardCharsets.UTF_8);

    assertThat(handle(signer.headers(NOW, broken), broken).status()).isEqualTo(400);
    assertThat(endpoint.handle(WebhookRequest.of("GET", "/slack/events", HttpHeaders.empty(), new byte[0])).block()
        .status()).isEqualTo(405);
    assertThat(received).isEmpty();
  }

  private WebhookResponse handle(HttpHeaders headers, byte[] body) {
    return endpoint.handle(WebhookRequest.of("POST", "/slack/events", headers, body)).block();
  }
}
