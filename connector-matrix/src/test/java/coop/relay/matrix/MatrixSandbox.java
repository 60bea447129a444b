package coop.relay.matrix;

import coop.relay.api.text.RichText;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.matrix.MatrixEmulator;
import coop.relay.spi.Backoff;
import coop.relay.support.WebhookListener;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;

/**
 * A running Matrix emulator with one person, for the connector's integration tests: in client mode
 * with a bot account, or in application-service mode with a registration whose url points at a
 * webhook listener of the test, and connector builders for it with the spec check installed.
 */
final class MatrixSandbox implements AutoCloseable {
  static final String BOT_TOKEN = "syt_relay_bot_token";
  static final String AS_TOKEN = "as_relay_token";
  static final String HS_TOKEN = "hs_relay_token";
  static final String AS_ID = "relay";
  static final Backoff FAST_BACKOFF = new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 2.0, 0.1);
  private static final MatrixConnector RENDERER =
      MatrixConnector.builder().id("mx").accessToken("renderer-only").build();

  final RelaySandbox sandbox;
  final MatrixEmulator emulator;
  final SandboxControl control;
  final SandboxUser person;
  final @Nullable WebhookListener listener;
  final SpecConformance conformance;

  private MatrixSandbox(MatrixEmulator emulator, @Nullable WebhookListener listener) {
    this.emulator = emulator;
    this.listener = listener;
    this.sandbox = RelaySandbox.builder().emulator(emulator).build();
    sandbox.start().block(Duration.ofSeconds(10));
    this.control = sandbox.control("matrix");
    this.person = Objects.requireNonNull(control.createUser(NewUser.named("Alice Person")).block());
    this.conformance = new SpecConformance(listener != null).homeserver(baseUrl());
  }

  /** Client mode: a bot account the connector logs in as. */
  static MatrixSandbox client() {
    return client(MatrixEmulator.builder().bot("relay", BOT_TOKEN, "Relay Bot").rateLimits(false));
  }

  static MatrixSandbox client(MatrixEmulator.Builder emulator) {
    return new MatrixSandbox(emulator.build(), null);
  }

  /** Application-service mode: the test's listener receives the homeserver's pushes. */
  static MatrixSandbox appservice() {
    return appservice(MatrixEmulator.builder().rateLimits(false));
  }

  static MatrixSandbox appservice(MatrixEmulator.Builder emulator) {
    WebhookListener listener = WebhookListener.builder().host("127.0.0.1").port(0).build();
    listener.start().block(Duration.ofSeconds(5));
    coop.relay.sandbox.matrix.AppserviceRegistration registration = coop.relay.sandbox.matrix.AppserviceRegistration
        .builder()
        .id(AS_ID)
        .url("http://127.0.0.1:" + listener.port())
        .asToken(AS_TOKEN)
        .hsToken(HS_TOKEN)
        .senderLocalpart("relaybot")
        .userNamespace("@relay_.*:sandbox\\.local", true)
        .aliasNamespace("#relay_.*:sandbox\\.local", true)
        .build();
    return new MatrixSandbox(emulator.appservice(registration)
        .transactionRetry(Duration.ofMillis(50), Duration.ofMillis(200)).build(), listener);
  }

  /** The connector's registration, matching the emulator's. */
  static AppserviceRegistration registration() {
    return AppserviceRegistration.builder()
        .id(AS_ID)
        .asToken(AS_TOKEN)
        .hsToken(HS_TOKEN)
        .senderLocalpart("relaybot")
        .userNamespace("@relay_.*:sandbox\\.local")
        .aliasNamespace("#relay_.*:sandbox\\.local")
        .build();
  }

  String baseUrl() {
    return sandbox.baseUrl("matrix");
  }

  /** A new room with the connector's account in it. */
  String newRoom(String name) {
    return Objects.requireNonNull(control.createChannel(NewChannel.named(name)).block()).id();
  }

  /** A connector builder for this sandbox's mode: fast backoff, short polls, requests checked against the spec. */
  MatrixConnector.Builder connector(Interceptor... outer) {
    MatrixConnector.Builder builder = MatrixConnector.builder()
        .id("mx")
        .baseUrl(baseUrl())
        .pollTimeout(Duration.ofSeconds(2))
        .backoff(FAST_BACKOFF)
        .healthCheckInterval(Duration.ofMillis(200));
    if (listener != null) {
      builder.appservice(registration()).listener(listener);
    } else {
      builder.accessToken(BOT_TOKEN);
    }
    for (Interceptor interceptor : outer) {
      builder.interceptor(interceptor);
    }
    return builder.interceptor(conformance);
  }

  /** The HTML a person's client would send for {@code text}, as the connector renders it. */
  static String html(RichText text) {
    return RENDERER.render(text).markup();
  }

  @Override
  public void close() {
    try {
      sandbox.close();
    } finally {
      if (listener != null) {
        listener.stop().block(Duration.ofSeconds(5));
      }
    }
  }
}
