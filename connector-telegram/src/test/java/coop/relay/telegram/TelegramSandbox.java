package coop.relay.telegram;

import coop.relay.api.text.RichText;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.telegram.TelegramEmulator;
import coop.relay.spi.Backoff;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;

/**
 * A running Telegram emulator with one bot and one person, for the connector's integration tests,
 * and connector builders pointed at it with the spec check installed.
 */
final class TelegramSandbox implements AutoCloseable {
  static final String TOKEN = "123456:relay-test-token";
  static final Backoff FAST_BACKOFF = new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 2.0, 0.1);

  final RelaySandbox sandbox;
  final TelegramEmulator emulator;
  final SandboxControl control;
  final SandboxUser person;
  final BotApiConformance conformance = new BotApiConformance();

  TelegramSandbox() {
    this(TelegramEmulator.builder().bot(TOKEN, "relay_test_bot").webhookRetry(Duration.ofMillis(50)).build());
  }

  TelegramSandbox(TelegramEmulator emulator) {
    this.emulator = emulator;
    this.sandbox = RelaySandbox.builder().emulator(emulator).build();
    sandbox.start().block(Duration.ofSeconds(10));
    this.control = sandbox.control("telegram");
    this.person = Objects.requireNonNull(control.createUser(NewUser.named("Tia User")).block());
  }

  String baseUrl() {
    return sandbox.baseUrl("telegram");
  }

  /** A new chat of {@code type} ({@code supergroup}, {@code forum}, {@code group}, {@code channel}). */
  String newChat(String title, String type) {
    return Objects.requireNonNull(control.createChannel(NewChannel.named(title).ofType(type)).block()).id();
  }

  /** A connector builder for the emulator's bot: fast backoff, short polls, requests checked against the spec. */
  TelegramConnector.Builder connector() {
    return connector(chain -> chain.proceed(chain.request()));
  }

  /** Like {@link #connector()}, with {@code outer} seeing requests before and answers after the spec check. */
  TelegramConnector.Builder connector(Interceptor outer) {
    return TelegramConnector.builder()
        .id("tg")
        .token(TOKEN)
        .baseUrl(baseUrl())
        .pollTimeout(Duration.ofSeconds(5))
        .backoff(FAST_BACKOFF)
        .interceptor(outer)
        .interceptor(conformance);
  }

  /** Bot API HTML for a person's post, as the connector renders it. */
  static String html(RichText text) {
    return RENDERER.render(text).markup();
  }

  private static final TelegramConnector RENDERER = TelegramConnector.builder().id("tg").token(TOKEN).build();

  @Override
  public void close() {
    sandbox.close();
  }
}
