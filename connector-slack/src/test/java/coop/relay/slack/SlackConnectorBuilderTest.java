package coop.relay.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.PuppetingMode;
import coop.relay.support.WebhookListener;
import org.junit.jupiter.api.Test;

class SlackConnectorBuilderTest {

  @Test
  void socketModeNeedsIdBotTokenAndAppToken() {
    SlackConnector connector = SlackConnector.builder().id("sl").botToken("xoxb-1").appToken("xapp-1").build();

    assertThat(connector.id()).isEqualTo("sl");
    assertThat(connector.platform()).isEqualTo("slack");
    assertThat(connector.capabilities().puppeting()).isEqualTo(PuppetingMode.PER_MESSAGE);
    assertThat(connector.capabilities().maxTextLength()).isEqualTo(4000);
    assertThat(connector.toString()).contains("sl", "Socket Mode").doesNotContain("xoxb-1", "xapp-1");
  }

  @Test
  void eventsApiNeedsASigningSecretAndOffersItsHandler() {
    SlackConnector connector = SlackConnector.builder().id("sl").botToken("xoxb-1").signingSecret("s3cret").build();

    assertThat(connector.eventsHandler()).isNotNull();
    assertThat(connector.toString()).contains("Events API").doesNotContain("s3cret");
  }

  @Test
  void socketModeHasNoEventsHandler() {
    SlackConnector connector = SlackConnector.builder().id("sl").botToken("xoxb-1").appToken("xapp-1").build();

    assertThatThrownBy(connector::eventsHandler).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signingSecret");
  }

  @Test
  void missingOptionsSayWhatToSet() {
    assertThatThrownBy(() -> SlackConnector.builder().botToken("xoxb-1").appToken("xapp-1").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("id(");
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").appToken("xapp-1").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("botToken");
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("appToken").hasMessageContaining("signingSecret");
    assertThatThrownBy(() -> SlackConnector.builder().id(" "))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void conflictingOptionsAreRefused() {
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1").appToken("xapp-1")
        .signingSecret("s").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1").appToken("xapp-1").webhookPort(3000)
        .build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("Events API");
    WebhookListener listener = WebhookListener.builder().port(0).build();
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1").signingSecret("s").webhookPort(3000)
        .webhookListener(listener).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not both");
  }

  @Test
  void swappedTokensAreCaughtWithoutShowingThem() {
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xapp-1-secret").appToken("xoxb-2-secret").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("xoxb-...")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1-secret").appToken("xoxb-2-secret").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("app-level token")
        .hasMessageNotContaining("secret");
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> SlackConnector.builder().id("sl").botToken("xoxb-1").appToken("xapp-1")
        .baseUrl("not a url").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> SlackConnector.builder().webhookPort(70_000)).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> SlackConnector.builder().webhookPath("events")).isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(() -> SlackConnector.builder().maxAttachmentBytes(-1)).isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void theDefaultBaseUrlIsSlacks() {
    assertThat(SlackConnector.DEFAULT_BASE_URL).isEqualTo("https://slack.com/api");
  }
}
