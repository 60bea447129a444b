package coop.relay.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Capabilities;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.PuppetingMode;
import coop.relay.api.text.RichText;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builders fail fast with messages that say what to fix, and never show a secret. */
class TelegramConnectorTest {
  private static final String TOKEN = "4242:AAE-secret_part";

  @Test
  void capabilitiesAreTelegramsAndItCannotPuppet() {
    TelegramConnector connector = TelegramConnector.builder().id("tg").token(TOKEN).maxUploadBytes(1234).build();

    Capabilities capabilities = connector.capabilities();
    assertThat(capabilities.puppeting()).isEqualTo(PuppetingMode.NONE);
    assertThat(capabilities.maxTextLength()).isEqualTo(4096);
    assertThat(capabilities.maxAttachmentBytes()).isEqualTo(1234);
    assertThat(capabilities.edits() && capabilities.deletes() && capabilities.reactions() && capabilities.replies()
        && capabilities.threads() && capabilities.attachments()).isTrue();
    assertThat(connector.platform()).isEqualTo("telegram");
    assertThat(connector.id()).isEqualTo("tg");
  }

  @Test
  void missingOrMalformedOptionsFailFastSayingWhatToDo() {
    assertThatThrownBy(() -> TelegramConnector.builder().token(TOKEN).build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("id(");
    assertThatThrownBy(() -> TelegramConnector.builder().id("tg").build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("@BotFather");
    assertThatThrownBy(() -> TelegramConnector.builder().token("not a token but a secret"))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("@BotFather")
        .hasMessageNotContaining("not a token but a secret");
    assertThatThrownBy(() -> TelegramConnector.builder().baseUrl("ftp:/nowhere"))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https://api.telegram.org");
    assertThatThrownBy(() -> TelegramConnector.builder().pollTimeout(Duration.ZERO))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("pollTimeout");
    assertThatThrownBy(() -> TelegramConnector.builder().id(" "))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  void theTokenAndTheWebhookSecretNeverShow() {
    TelegramWebhook webhook = TelegramWebhook.builder().url("https://bridge.example.org/tg").secretToken("hook_secret-1").build();
    TelegramConnector connector = TelegramConnector.builder().id("tg").token(TOKEN).webhook(webhook).build();

    assertThat(connector.toString()).doesNotContain("secret_part").contains("webhook");
    assertThat(webhook.toString()).doesNotContain("hook_secret-1");
    assertThat(webhook.secretToken().toString()).doesNotContain("hook_secret-1");
    assertThat(connector.render(RichText.of("x")).toString()).doesNotContain("secret_part");
  }

  @Test
  void webhookOptionsAreCheckedAndASecretIsMadeUpWhenNoneIsGiven() {
    assertThatThrownBy(() -> TelegramWebhook.builder().build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("url(");
    assertThatThrownBy(() -> TelegramWebhook.builder().url("bridge.example.org/tg"))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https://");
    assertThatThrownBy(() -> TelegramWebhook.builder().secretToken("spaces are not allowed"))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("A-Z");
    assertThatThrownBy(() -> TelegramWebhook.builder().maxConnections(0))
        .isInstanceOf(InvalidConfigurationException.class);

    TelegramWebhook first = TelegramWebhook.builder().url("https://bridge.example.org/tg").build();
    TelegramWebhook second = TelegramWebhook.builder().url("https://bridge.example.org/tg").build();
    assertThat(first.secretToken().reveal()).matches("[A-Za-z0-9_-]{64}");
    assertThat(first.secretToken()).isNotEqualTo(second.secretToken());
    assertThat(first.maxConnections()).as("in order by default").isEqualTo(1);
  }

  @Test
  void aLongPollingConnectorHasNoWebhookHandler() {
    TelegramConnector connector = TelegramConnector.builder().id("tg").token(TOKEN).build();

    assertThatThrownBy(connector::webhookHandler).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("webhook(");
  }
}
