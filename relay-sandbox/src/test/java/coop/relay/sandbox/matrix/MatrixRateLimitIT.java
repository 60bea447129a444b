package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms} and {@code Retry-After}. The emulator's
 * clock is virtual, so the test decides exactly how much time passes between requests.
 */
class MatrixRateLimitIT {
  static final String TOKEN = "syt_limited";

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private RelaySandbox sandbox;
  private SandboxControl control;
  private MatrixClient bot;
  private SandboxChannel room;
  private int txn;

  @BeforeEach
  void start() {
    sandbox = RelaySandbox.builder()
        .emulator(MatrixEmulator.builder().bot("limited", TOKEN).scheduler(clock).rateLimit(0.5, 3).build())
        .build();
    sandbox.start().block();
    control = sandbox.control("matrix");
    bot = new MatrixClient(sandbox.baseUrl("matrix"), TOKEN);
    room = control.createChannel(NewChannel.named("Busy")).block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
    clock.dispose();
  }

  private MatrixClient.Response send() {
    return bot.put("/_matrix/client/v3/rooms/" + MatrixClient.seg(room.id()) + "/send/m.room.message/t" + (txn++),
        Map.of("msgtype", "m.text", "body", "x"));
  }

  @Test
  void aBurstThenOneEventEveryTwoSeconds() {
    for (int i = 0; i < 3; i++) {
      assertThat(send().status()).isEqualTo(200);
    }
    MatrixClient.Response limited = send();
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
    assertThat(limited.body().get("retry_after_ms").asLong()).isEqualTo(2000);
    assertThat(limited.header("Retry-After")).isEqualTo("2");
    assertThat(bot.get("/_matrix/client/v3/account/whoami").status()).as("reads are not limited").isEqualTo(200);

    clock.advanceTimeBy(Duration.ofMillis(1999));
    assertThat(send().status()).isEqualTo(429);
    clock.advanceTimeBy(Duration.ofMillis(1));
    assertThat(send().status()).isEqualTo(200);
    assertThat(send().status()).isEqualTo(429);
    assertThat(control.history(room.id()).collectList().block()).as("refused sends post nothing").hasSize(4);
  }

  @Test
  void injectedFaultsAnswerInTheHomeserversWay() {
    control.injectFault(Fault.rateLimited("sendMessage", 1, Duration.ofMillis(2500))).block();
    MatrixClient.Response limited = send();
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body().get("retry_after_ms").asLong()).isEqualTo(2500);
    assertThat(limited.header("Retry-After")).isEqualTo("3");
    assertThat(send().status()).isEqualTo(200);

    control.injectFault(Fault.serverError("PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}", 1, 500)).block();
    MatrixClient.Response failed = send();
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.errcode()).isEqualTo("M_UNKNOWN");

    // A POST, which the JDK client does not silently retry on a dropped connection as it does a GET.
    control.injectFault(Fault.dropConnection("createRoom", 1)).block();
    assertThat(bot.async("POST", "/_matrix/client/v3/createRoom", Map.of())).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().isInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(bot.post("/_matrix/client/v3/createRoom", Map.of()).status()).isEqualTo(200);
  }
}
