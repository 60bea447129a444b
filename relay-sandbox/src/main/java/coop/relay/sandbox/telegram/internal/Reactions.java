package coop.relay.sandbox.telegram.internal;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The emoji Telegram accepts as reactions (Bot API {@code ReactionTypeEmoji}). */
final class Reactions {
  private Reactions() {}

  static final Set<String> ALLOWED =
      Set.of(
          "❤", "👍", "👎", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢", "🎉", "🤩", "🤮", "💩",
          "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳", "❤‍🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌", "🏆",
          "💔", "🤨", "😐", "🍓", "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨‍💻", "👀", "🎃", "🙈",
          "😇", "😨", "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿", "🆒", "💘", "🙉", "🦄",
          "😘", "💊", "🙊", "😎", "👾", "🤷‍♂", "🤷", "🤷‍♀", "😡");

  /**
   * The reaction as Telegram spells it, or {@code null} if it is no allowed reaction. Clients often
   * add the emoji presentation selector (U+FE0F, as in "❤️"); Telegram's list has none.
   */
  static @Nullable String canonical(String emoji) {
    if (ALLOWED.contains(emoji)) {
      return emoji;
    }
    String bare = emoji.replace("\uFE0F", "");
    return ALLOWED.contains(bare) ? bare : null;
  }
}
