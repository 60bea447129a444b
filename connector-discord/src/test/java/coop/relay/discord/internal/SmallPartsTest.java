package coop.relay.discord.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.OriginMarker;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Webhook names, nonces, routes and Gateway URLs. */
class SmallPartsTest {

  @Test
  void webhookNamesDropWhatDiscordRefuses() {
    assertThat(WebhookNames.username("Clyde from Discord")).isEqualTo("from");
    assertThat(WebhookNames.username("disclydecord fan")).isEqualTo("fan");
    assertThat(WebhookNames.username("alice@home #1: ```hi```")).isEqualTo("alice＠home ＃1꞉ hi");
    assertThat(WebhookNames.username("everyone")).isEqualTo("everyone (bridged)");
    assertThat(WebhookNames.username("discord")).isEqualTo("Someone");
    assertThat(WebhookNames.username("x".repeat(100)).codePointCount(0, 80)).isEqualTo(80);
  }

  @Test
  void noncesFitDiscordsLimitAndAreRecognisedByTheirRelay() {
    OriginMarker shortMarker = new OriginMarker("relay-1", "d7");
    OriginMarker longMarker = new OriginMarker("9f3c2a5e-0d4b-4c8e-9a77-1234567890ab", "delivery-123456789");

    assertThat(Nonces.encode(shortMarker)).isEqualTo("relay-1.d7");
    assertThat(Nonces.decode("relay-1.d7", "other")).isEqualTo(shortMarker);
    String compact = Nonces.encode(longMarker);
    assertThat(compact).hasSize(25);
    assertThat(Nonces.decode(compact, longMarker.relayId()).relayId()).isEqualTo(longMarker.relayId());
    assertThat(Nonces.decode(compact, "another-relay").relayId()).isNotEqualTo("another-relay");
    assertThat(Nonces.decode("1234567890", "relay-1")).isNull();
  }

  @Test
  void routeKeysKeepTheMajorParameterAndNeverTheToken() {
    assertThat(Route.CREATE_MESSAGE.key("42")).isEqualTo("POST /channels/42/messages");
    assertThat(Route.ADD_REACTION.key("42", "7", "x")).isEqualTo("PUT /channels/42/messages/{message_id}/reactions/{emoji}/@me");
    assertThat(Route.EXECUTE_WEBHOOK.key("9")).isEqualTo("POST /webhooks/9/{webhook_token}");
    assertThat(Route.EXECUTE_WEBHOOK.major("9")).isEqualTo("9");
    assertThat(Route.ADD_REACTION.url(HttpUrl.get("https://discord.com/api/v10"), "1", "2", "\uD83D\uDC4D").encodedPath())
        .isEqualTo("/api/v10/channels/1/messages/2/reactions/%F0%9F%91%8D/@me");
  }

  @Test
  void gatewayUrlsGetVersionAndEncoding() {
    assertThat(Gateway.gatewayUrl("wss://gateway.discord.gg").toString())
        .isEqualTo("https://gateway.discord.gg/?v=10&encoding=json");
    assertThat(Gateway.gatewayUrl("wss://gateway-us-east1-b.discord.gg/?v=9").toString())
        .isEqualTo("https://gateway-us-east1-b.discord.gg/?v=10&encoding=json");
  }
}
