package coop.relay.sandbox.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoEntitiesTest {

  @Test
  void findsWhatTelegramLinksByItself() {
    FormattedText t = AutoEntities.detect(FormattedText.plain(
        "/start@relay_bot see https://relay.coop/x, mail ann@relay.coop, ping @ann_tg #coop $USD"));
    assertThat(t.entities()).extracting(Entity::type)
        .containsExactly("bot_command", "url", "email", "mention", "hashtag", "cashtag");
    Entity url = t.entities().get(1);
    assertThat(t.text().substring(url.offset(), url.end())).as("trailing punctuation is not part of it")
        .isEqualTo("https://relay.coop/x");
  }

  @Test
  void leavesCodeAndLinksAlone() {
    FormattedText t = AutoEntities.detect(new FormattedText("`@ann_tg` https://a.org", List.of(
        Entity.of("code", 0, 9), Entity.of("text_link", 10, 13).withUrl("https://b.org"))));
    assertThat(t.entities()).extracting(Entity::type).containsExactly("code", "text_link");
  }

  @Test
  void ignoresLookalikes() {
    assertThat(AutoEntities.detect(FormattedText.plain("a@b 1/2 #123 @abc")).entities()).isEmpty();
  }
}
