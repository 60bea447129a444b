package coop.relay.slack.internal;

import coop.relay.support.HmacSha256;
import coop.relay.support.HttpHeaders;
import coop.relay.support.Secret;
import java.nio.charset.StandardCharsets;

/** Signs requests the way Slack does: {@code v0=} HMAC-SHA256 of {@code v0:timestamp:body}. */
final class SlackSigner {
  private final HmacSha256 mac;

  SlackSigner(String signingSecret) {
    this.mac = HmacSha256.keyedWith(Secret.of(signingSecret, "signing secret"));
  }

  String signature(long timestamp, byte[] body) {
    return "v0=" + mac.hex(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII), body);
  }

  HttpHeaders headers(long timestamp, byte[] body) {
    return HttpHeaders.of("Content-Type", "application/json", "X-Slack-Request-Timestamp", Long.toString(timestamp),
        "X-Slack-Signature", signature(timestamp, body));
  }
}
