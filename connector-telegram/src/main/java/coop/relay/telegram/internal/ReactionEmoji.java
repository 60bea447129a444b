package coop.relay.telegram.internal;

import coop.relay.api.text.Emoji;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Telegram's reaction emoji and the short names other platforms know them by. Bots can react only
 * with the emoji Telegram lists (ReactionTypeEmoji), spelled without the emoji presentation selector
 * U+FE0F that clients often add.
 */
final class ReactionEmoji {
  private ReactionEmoji() {}

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("❤", "heart"), Map.entry("👍", "thumbsup"), Map.entry("👎", "thumbsdown"),
      Map.entry("🔥", "fire"), Map.entry("🥰", "smiling_face_with_3_hearts"), Map.entry("👏", "clap"),
      Map.entry("😁", "grin"), Map.entry("🤔", "thinking_face"), Map.entry("🤯", "exploding_head"),
      Map.entry("😱", "scream"), Map.entry("🤬", "face_with_symbols_on_mouth"), Map.entry("😢", "cry"),
      Map.entry("🎉", "tada"), Map.entry("🤩", "star-struck"), Map.entry("🤮", "face_vomiting"),
      Map.entry("💩", "hankey"), Map.entry("🙏", "pray"), Map.entry("👌", "ok_hand"),
      Map.entry("🕊", "dove_of_peace"), Map.entry("🤡", "clown_face"), Map.entry("🥱", "yawning_face"),
      Map.entry("🥴", "woozy_face"), Map.entry("😍", "heart_eyes"), Map.entry("🐳", "whale"),
      Map.entry("❤‍🔥", "heart_on_fire"), Map.entry("🌚", "new_moon_with_face"), Map.entry("🌭", "hotdog"),
      Map.entry("💯", "100"), Map.entry("🤣", "rolling_on_the_floor_laughing"), Map.entry("⚡", "zap"),
      Map.entry("🍌", "banana"), Map.entry("🏆", "trophy"), Map.entry("💔", "broken_heart"),
      Map.entry("🤨", "face_with_raised_eyebrow"), Map.entry("😐", "neutral_face"), Map.entry("🍓", "strawberry"),
      Map.entry("🍾", "champagne"), Map.entry("💋", "kiss"), Map.entry("🖕", "middle_finger"),
      Map.entry("😈", "smiling_imp"), Map.entry("😴", "sleeping"), Map.entry("😭", "sob"),
      Map.entry("🤓", "nerd_face"), Map.entry("👻", "ghost"), Map.entry("👨‍💻", "male-technologist"),
      Map.entry("👀", "eyes"), Map.entry("🎃", "jack_o_lantern"), Map.entry("🙈", "see_no_evil"),
      Map.entry("😇", "innocent"), Map.entry("😨", "fearful"), Map.entry("🤝", "handshake"),
      Map.entry("✍", "writing_hand"), Map.entry("🤗", "hugging_face"), Map.entry("🫡", "saluting_face"),
      Map.entry("🎅", "santa"), Map.entry("🎄", "christmas_tree"), Map.entry("☃", "snowman"),
      Map.entry("💅", "nail_care"), Map.entry("🤪", "zany_face"), Map.entry("🗿", "moyai"),
      Map.entry("🆒", "cool"), Map.entry("💘", "cupid"), Map.entry("🙉", "hear_no_evil"),
      Map.entry("🦄", "unicorn_face"), Map.entry("😘", "kissing_heart"), Map.entry("💊", "pill"),
      Map.entry("🙊", "speak_no_evil"), Map.entry("😎", "sunglasses"), Map.entry("👾", "space_invader"),
      Map.entry("🤷‍♂", "man-shrugging"), Map.entry("🤷", "shrug"), Map.entry("🤷‍♀", "woman-shrugging"),
      Map.entry("😡", "rage"));

  /** The reaction as Telegram spells it: {@code emoji} without presentation selectors. */
  static String canonical(String emoji) {
    return emoji.indexOf('\uFE0F') < 0 ? emoji : emoji.replace("\uFE0F", "");
  }

  /** Whether Telegram accepts {@code emoji} as a reaction. */
  static boolean isAllowed(String emoji) {
    return NAMES.containsKey(canonical(emoji));
  }

  /** The portable emoji of a Telegram reaction. */
  static Emoji of(String unicode) {
    String name = NAMES.get(canonical(unicode));
    return Emoji.unicode(name == null ? "" : name, unicode);
  }

  /** The Telegram reaction for a portable emoji, or {@code null} when it has no Unicode form. */
  static @Nullable String toTelegram(Emoji emoji) {
    String unicode = emoji.unicode();
    return unicode == null ? null : canonical(unicode);
  }
}
