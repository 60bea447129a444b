package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.text.Emoji;
import org.junit.jupiter.api.Test;

class EmojiNamesTest {

  @Test
  void knownNamesBecomeUnicode() {
    assertThat(EmojiNames.fromSlackName("+1")).isEqualTo(Emoji.unicode("+1", "👍"));
    assertThat(EmojiNames.fromSlackName("heart").unicode()).isEqualTo("❤️");
  }

  @Test
  void unknownNamesAreCustomEmoji() {
    assertThat(EmojiNames.fromSlackName("partyparrot")).isEqualTo(Emoji.custom("partyparrot", null));
  }

  @Test
  void skinTonesBecomeModifiers() {
    assertThat(EmojiNames.fromSlackName("wave::skin-tone-6").unicode()).isEqualTo("👋🏿");
  }

  @Test
  void unicodeFindsItsSlackName() {
    assertThat(EmojiNames.toSlackName(Emoji.unicode("", "🎉"))).isEqualTo("tada");
    assertThat(EmojiNames.toSlackName(Emoji.unicode("red heart", "❤️"))).isEqualTo("heart");
    assertThat(EmojiNames.toSlackName(Emoji.unicode("", "❤"))).isEqualTo("heart");
    assertThat(EmojiNames.toSlackName(Emoji.unicode("", "👍🏽"))).isEqualTo("+1::skin-tone-4");
  }

  @Test
  void aNameSlackKnowsForTheSameCharacterIsKept() {
    assertThat(EmojiNames.toSlackName(Emoji.unicode("thumbsup", "👍"))).isEqualTo("thumbsup");
    assertThat(EmojiNames.toSlackName(Emoji.unicode("smile", "👍"))).isEqualTo("+1");
  }

  @Test
  void customAndUnknownEmojiPassTheirNameThroughWhenSlackCouldKnowIt() {
    assertThat(EmojiNames.toSlackName(Emoji.custom("partyparrot", "https://example.org/p.gif"))).isEqualTo("partyparrot");
    assertThat(EmojiNames.toSlackName(Emoji.unicode("flag_nz", "🇳🇿"))).isEqualTo("flag_nz");
    assertThat(EmojiNames.toSlackName(Emoji.custom("Party Parrot", null))).isNull();
    assertThat(EmojiNames.toSlackName(Emoji.unicode("", "🦩"))).isNull();
  }

  @Test
  void everyNameOfTheTableRoundTrips() {
    for (String name : new String[] {"+1", "tada", "eyes", "white_check_mark", "100", "rocket", "pray", "one"}) {
      Emoji emoji = EmojiNames.fromSlackName(name);
      assertThat(EmojiNames.toSlackName(emoji)).as(name).isEqualTo(name);
    }
  }
}
