package coop.relay.sandbox.slack.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An app installed in the emulated workspace: its bot user and tokens, and how Slack delivers its
 * events (Socket Mode or an Events API request URL). The delivery settings are volatile: the
 * state changes them under its lock, the pushers read them without it.
 */
final class SlackApp {
  final String name;
  final String appId;
  final String botId;
  final String botUserId;
  final String botToken;
  final @Nullable String appToken;
  final @Nullable String signingSecret;
  final String verificationToken;
  final boolean customize;
  final boolean allMetadata;
  volatile boolean socketMode;
  volatile @Nullable String requestUrl;
  volatile boolean active = true;
  final long created;

  SlackApp(
      String name,
      String appId,
      String botId,
      String botUserId,
      String botToken,
      @Nullable String appToken,
      @Nullable String signingSecret,
      String verificationToken,
      boolean customize,
      boolean allMetadata,
      long created) {
    this.name = Objects.requireNonNull(name);
    this.appId = appId;
    this.botId = botId;
    this.botUserId = botUserId;
    this.botToken = botToken;
    this.appToken = appToken;
    this.signingSecret = signingSecret;
    this.verificationToken = verificationToken;
    this.customize = customize;
    this.allMetadata = allMetadata;
    this.socketMode = appToken != null;
    this.created = created;
  }

  @Override
  public String toString() {
    // Tokens and the signing secret are secrets, even sandbox ones.
    return "SlackApp[" + name + " " + appId + "]";
  }
}
