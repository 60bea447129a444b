package coop.relay.slack.internal;

import coop.relay.api.text.Emoji;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Slack's emoji short names and Unicode emoji, both ways. Slack names reactions and {@code :emoji:}
 * codes by short name ({@code +1}, {@code tada}); other platforms use the Unicode character. The
 * built-in table covers the emoji people react with most; other names pass through as custom emoji,
 * which a workspace may define.
 */
final class EmojiNames {
  /** Slack's skin-tone suffix on names ({@code +1::skin-tone-3}) and the matching Fitzpatrick modifiers. */
  private static final String SKIN_TONE = "::skin-tone-";
  private static final int FIRST_MODIFIER = 0x1F3FB;
  private static final char VARIATION_SELECTOR = '\uFE0F';
  private static final Pattern NAME = Pattern.compile("[a-z0-9_+'\\-]+");

  /**
   * Name, Unicode; the first name listed for a character is the one used to react with it. Only the
   * names Slack itself uses, so that a reaction sent with one of them is accepted.
   */
  private static final String[] TABLE = {
      "+1", "👍", "thumbsup", "👍", "-1", "👎", "thumbsdown", "👎",
      "heart", "❤️", "orange_heart", "🧡", "yellow_heart", "💛", "green_heart", "💚", "blue_heart", "💙",
      "purple_heart", "💜", "black_heart", "🖤", "broken_heart", "💔", "sparkling_heart", "💖", "two_hearts", "💕",
      "smile", "😄", "smiley", "😃", "grinning", "😀", "grin", "😁", "laughing", "😆", "satisfied", "😆",
      "sweat_smile", "😅", "joy", "😂", "rolling_on_the_floor_laughing", "🤣", "slightly_smiling_face", "🙂",
      "upside_down_face", "🙃", "wink", "😉", "blush", "😊", "innocent", "😇", "heart_eyes", "😍",
      "star-struck", "🤩", "kissing_heart", "😘", "yum", "😋", "stuck_out_tongue", "😛",
      "stuck_out_tongue_winking_eye", "😜", "zany_face", "🤪", "hugging_face", "🤗", "thinking_face", "🤔",
      "shushing_face", "🤫", "neutral_face", "😐", "expressionless", "😑", "no_mouth", "😶", "smirk", "😏",
      "unamused", "😒", "face_with_rolling_eyes", "🙄", "grimacing", "😬", "relieved", "😌", "pensive", "😔",
      "sleepy", "😪", "sleeping", "😴", "mask", "😷", "nerd_face", "🤓", "sunglasses", "😎",
      "partying_face", "🥳", "confused", "😕", "worried", "😟", "slightly_frowning_face", "🙁",
      "open_mouth", "😮", "astonished", "😲", "flushed", "😳", "pleading_face", "🥺", "cry", "😢",
      "sob", "😭", "scream", "😱", "disappointed", "😞", "sweat", "😓", "weary", "😩", "tired_face", "😫",
      "yawning_face", "🥱", "triumph", "😤", "rage", "😡", "angry", "😠", "exploding_head", "🤯",
      "skull", "💀", "hankey", "💩", "poop", "💩", "clown_face", "🤡", "ghost", "👻", "alien", "👽",
      "robot_face", "🤖", "see_no_evil", "🙈", "hear_no_evil", "🙉", "speak_no_evil", "🙊",
      "wave", "👋", "raised_hand", "✋", "hand", "✋", "ok_hand", "👌", "v", "✌️", "crossed_fingers", "🤞",
      "metal", "🤘", "call_me_hand", "🤙", "point_left", "👈", "point_right", "👉", "point_up_2", "👆",
      "point_down", "👇", "point_up", "☝️", "facepunch", "👊", "punch", "👊", "fist", "✊",
      "clap", "👏", "raised_hands", "🙌", "open_hands", "👐", "handshake", "🤝", "pray", "🙏",
      "muscle", "💪", "writing_hand", "✍️", "eyes", "👀", "brain", "🧠", "bow", "🙇",
      "shrug", "🤷", "facepalm", "🤦", "tada", "🎉", "confetti_ball", "🎊", "balloon", "🎈", "gift", "🎁",
      "trophy", "🏆", "medal", "🏅", "fire", "🔥", "sparkles", "✨", "star", "⭐", "star2", "🌟",
      "zap", "⚡", "boom", "💥", "collision", "💥", "100", "💯", "rocket", "🚀", "sunny", "☀️",
      "rainbow", "🌈", "snowflake", "❄️", "umbrella", "☔", "coffee", "☕", "tea", "🍵", "beer", "🍺",
      "beers", "🍻", "wine_glass", "🍷", "pizza", "🍕", "hamburger", "🍔", "cake", "🍰", "birthday", "🎂",
      "cookie", "🍪", "apple", "🍎", "seedling", "🌱", "evergreen_tree", "🌲", "sunflower", "🌻",
      "rose", "🌹", "dog", "🐶", "cat", "🐱", "unicorn_face", "🦄", "bee", "🐝", "bug", "🐛", "turtle", "🐢",
      "white_check_mark", "✅", "heavy_check_mark", "✔️", "ballot_box_with_check", "☑️", "x", "❌",
      "negative_squared_cross_mark", "❎", "heavy_plus_sign", "➕", "heavy_minus_sign", "➖",
      "question", "❓", "grey_question", "❔", "exclamation", "❗", "heavy_exclamation_mark", "❗",
      "bangbang", "‼️", "warning", "⚠️", "no_entry", "⛔", "no_entry_sign", "🚫", "stop_sign", "🛑",
      "red_circle", "🔴", "large_green_circle", "🟢", "large_blue_circle", "🔵", "white_circle", "⚪",
      "black_circle", "⚫", "bulb", "💡", "memo", "📝", "pencil", "📝", "pencil2", "✏️", "book", "📖",
      "books", "📚", "bookmark", "🔖", "link", "🔗", "paperclip", "📎", "pushpin", "📌", "round_pushpin", "📍",
      "calendar", "📆", "date", "📅", "clock1", "🕐", "hourglass", "⌛", "alarm_clock", "⏰", "bell", "🔔",
      "mega", "📣", "loudspeaker", "📢", "speech_balloon", "💬", "thought_balloon", "💭", "email", "📧",
      "envelope", "✉️", "inbox_tray", "📥", "outbox_tray", "📤", "package", "📦", "lock", "🔒", "unlock", "🔓",
      "key", "🔑", "hammer", "🔨", "wrench", "🔧", "gear", "⚙️", "computer", "💻", "iphone", "📱",
      "moneybag", "💰", "dollar", "💵", "chart_with_upwards_trend", "📈", "chart_with_downwards_trend", "📉",
      "bar_chart", "📊", "mag", "🔍", "house", "🏠", "office", "🏢", "earth_africa", "🌍",
      "earth_americas", "🌎", "globe_with_meridians", "🌐", "airplane", "✈️", "car", "🚗", "bike", "🚲",
      "musical_note", "🎵", "notes", "🎶", "art", "🎨", "camera", "📷", "movie_camera", "🎥", "video_game", "🎮",
      "soccer", "⚽", "basketball", "🏀", "checkered_flag", "🏁", "triangular_flag_on_post", "🚩",
      "arrow_up", "⬆️", "arrow_down", "⬇️", "arrow_left", "⬅️", "arrow_right", "➡️", "arrows_counterclockwise", "🔄",
      "repeat", "🔁", "new", "🆕", "free", "🆓", "up", "🆙", "cool", "🆒", "ok", "🆗", "sos", "🆘",
      "zero", "0️⃣", "one", "1️⃣", "two", "2️⃣", "three", "3️⃣", "four", "4️⃣", "five", "5️⃣",
      "six", "6️⃣", "seven", "7️⃣", "eight", "8️⃣", "nine", "9️⃣", "keycap_ten", "🔟",
  };

  private static final Map<String, String> UNICODE_BY_NAME = new HashMap<>();
  private static final Map<String, String> NAME_BY_UNICODE = new HashMap<>();

  static {
    for (int i = 0; i < TABLE.length; i += 2) {
      UNICODE_BY_NAME.put(TABLE[i], TABLE[i + 1]);
      NAME_BY_UNICODE.putIfAbsent(withoutVariationSelector(TABLE[i + 1]), TABLE[i]);
    }
  }

  private EmojiNames() {}

  /**
   * The emoji a Slack short name stands for (without colons, possibly with a skin tone suffix): a
   * Unicode emoji when the table knows the name, else a custom emoji of the workspace (without image,
   * since only {@code emoji.list} would tell its URL).
   */
  static Emoji fromSlackName(String name) {
    String base = name;
    String modifier = "";
    int tone = name.indexOf(SKIN_TONE);
    if (tone > 0) {
      base = name.substring(0, tone);
      modifier = skinToneModifier(name.substring(tone + SKIN_TONE.length()));
    }
    String unicode = UNICODE_BY_NAME.get(base);
    if (unicode == null) {
      return Emoji.custom(name, null);
    }
    return Emoji.unicode(name, modifier.isEmpty() ? unicode : withoutVariationSelector(unicode) + modifier);
  }

  /**
   * The short name to react with on Slack, or {@code null} when the emoji has none Slack would take.
   * A name the emoji already carries wins when Slack knows it for the same character (so "thumbsup"
   * stays "thumbsup"); otherwise the table's name for the character, then the emoji's own name when
   * it is shaped like a Slack name (custom emoji of the workspace).
   */
  static @Nullable String toSlackName(Emoji emoji) {
    String unicode = emoji.unicode();
    String name = emoji.name();
    if (unicode == null) {
      return isSlackName(name) ? name : null;
    }
    String key = withoutVariationSelector(unicode);
    String suffix = "";
    int last = key.codePointBefore(key.length());
    if (key.length() > Character.charCount(last) && last >= FIRST_MODIFIER && last < FIRST_MODIFIER + 5) {
      suffix = SKIN_TONE + (last - FIRST_MODIFIER + 2);
      key = key.substring(0, key.length() - Character.charCount(last));
    }
    String own = UNICODE_BY_NAME.get(name);
    if (own != null && withoutVariationSelector(own).equals(key)) {
      return name + suffix;
    }
    String known = NAME_BY_UNICODE.get(key);
    if (known != null) {
      return known + suffix;
    }
    return isSlackName(name) ? name : null;
  }

  /** Whether {@code name} is a known Slack emoji name (without skin tone). */
  static boolean isKnown(String name) {
    return UNICODE_BY_NAME.containsKey(name);
  }

  /** Whether {@code name} is shaped like a Slack emoji name: lower case letters, digits, {@code _+-'}. */
  static boolean isSlackName(String name) {
    return !name.isEmpty() && name.length() <= 100 && NAME.matcher(name).matches();
  }

  private static String skinToneModifier(String tone) {
    return switch (tone) {
      case "2", "3", "4", "5", "6" -> new String(Character.toChars(FIRST_MODIFIER + tone.charAt(0) - '2'));
      default -> "";
    };
  }

  private static String withoutVariationSelector(String unicode) {
    return unicode.indexOf(VARIATION_SELECTOR) < 0 ? unicode : unicode.replace(String.valueOf(VARIATION_SELECTOR), "");
  }
}
