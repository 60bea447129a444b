package coop.relay.samples.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.SandboxUser;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What each platform shows, for the end-to-end matrix: the markup a person types there, and how a
 * message relayed there must look in the platform's own history. One constant per platform, so the
 * expectations of a destination are read in one place, fallbacks included.
 *
 * <p>Text comparisons drop U+2060 WORD JOINER: Relay puts one after the first letter of bridged
 * names, so that a name in the text never pings the person it names; the tests that care check it
 * separately.
 */
enum PlatformView {
  /** Bot API HTML in, entities out; no puppeting: the name template goes in front, in bold. */
  TELEGRAM(null, true, false) {
    @Override
    String formatted(SandboxUser mentioned) {
      return "Formatting: <b>bold</b>, <i>italic</i> and <code>code</code>, for "
          + "<a href=\"tg://user?id=" + mentioned.id() + "\">" + mentioned.displayName() + "</a>";
    }

    @Override
    void assertFormattedCopy(HistoryEntry copy, String author, String source, String mentioned, String tail) {
      assertThat(plain(copy.text()))
          .isEqualTo(author + " (" + source + "): Formatting: bold, italic and code, for @" + mentioned + tail);
      assertThat(plain(copy.formatted()))
          .isEqualTo("<b>" + author + "</b> (" + source + "): Formatting: <b>bold</b>, <i>italic</i> and "
              + "<code>code</code>, for @" + mentioned + tail);
      assertThat(copy.formatted()).as("the mention does not ping on Telegram").doesNotContain("tg://user");
    }
  },

  /**
   * Discord markdown; puppeted through the channel's webhook (name and avatar per message). Webhooks
   * cannot reply: an answer is the bot's own message with the author's name in front, replying to
   * the copy (or, when the source marked it as part of a thread, in the thread started from the
   * copy), or a webhook message in that thread.
   */
  DISCORD(Author.Kind.WEBHOOK, false, true) {
    @Override
    String formatted(SandboxUser mentioned) {
      return "Formatting: **bold**, *italic* and `code`, for <@" + mentioned.id() + ">";
    }

    @Override
    void assertFormattedCopy(HistoryEntry copy, String author, String source, String mentioned, String tail) {
      assertThat(plain(copy.text())).isEqualTo("Formatting: **bold**, _italic_ and `code`, for @" + mentioned + tail);
      assertThat(copy.text()).as("the mention does not ping on Discord").doesNotContain("<@");
    }

    @Override
    void assertAnswer(HistoryEntry answer, HistoryEntry target, String author, String source, String text) {
      if (answer.author().kind() == Author.Kind.WEBHOOK) {
        assertThat(answer.author().shownName()).isEqualTo(author);
        assertThat(plain(answer.text())).isEqualTo(text);
        assertThat(answer.threadId()).as("a puppeted answer sits in the thread of its target").isEqualTo(target.messageId());
      } else {
        assertThat(answer.author().kind()).isEqualTo(Author.Kind.BOT);
        assertThat(plain(answer.text())).isEqualTo("**" + author + "**: " + text);
        assertThat(answer.replyTo() != null ? answer.replyTo() : answer.threadId())
            .as("the bot's answer replies to its target, or sits in its thread").isEqualTo(target.messageId());
      }
    }
  },

  /**
   * Slack mrkdwn; puppeted ({@code username} and {@code icon_url}). Slack has no reply-to: an answer
   * goes into the thread of its target. Files are shared by the app itself, in a message of their own
   * after the puppeted text.
   */
  SLACK(Author.Kind.WEBHOOK, true, true) {
    @Override
    String formatted(SandboxUser mentioned) {
      return "Formatting: *bold*, _italic_ and `code`, for <@" + mentioned.id() + ">";
    }

    @Override
    void assertFormattedCopy(HistoryEntry copy, String author, String source, String mentioned, String tail) {
      assertThat(plain(copy.text())).isEqualTo("Formatting: *bold*, _italic_ and `code`, for @" + mentioned + tail);
      assertThat(copy.text()).as("the mention does not ping on Slack").doesNotContain("<@").doesNotContain("<!");
    }

    @Override
    void assertAnswer(HistoryEntry answer, HistoryEntry target, String author, String source, String text) {
      assertThat(answer.author().kind()).isEqualTo(Author.Kind.WEBHOOK);
      assertThat(answer.author().shownName()).isEqualTo(author);
      assertThat(plain(answer.text())).isEqualTo(text);
      assertThat(answer.threadId()).as("Slack answers in the thread of the target").isEqualTo(target.messageId());
    }
  },

  /**
   * org.matrix.custom.html; the connector runs as an application service, so each remote person
   * speaks through a ghost user with their name. An answer replies to its target ({@code
   * m.in_reply_to}) or, when the source marked it as part of a thread, sits in the target's thread
   * ({@code m.thread}).
   */
  MATRIX(Author.Kind.PUPPET, true, true) {
    @Override
    String formatted(SandboxUser mentioned) {
      return "Formatting: <b>bold</b>, <i>italic</i> and <code>code</code>, for "
          + "<a href=\"https://matrix.to/#/" + mentioned.id() + "\">" + mentioned.displayName() + "</a>";
    }

    @Override
    void assertFormattedCopy(HistoryEntry copy, String author, String source, String mentioned, String tail) {
      assertThat(plain(copy.text())).isEqualTo("Formatting: bold, italic and code, for @" + mentioned + tail);
      assertThat(plain(copy.formatted()))
          .isEqualTo("Formatting: <strong>bold</strong>, <em>italic</em> and <code>code</code>, for @" + mentioned + tail);
      assertThat(copy.formatted()).as("the mention is no pill on Matrix").doesNotContain("matrix.to");
    }
  };

  private final Author.@Nullable Kind puppet;
  private final boolean splitsFiles;
  private final boolean reportsDeletes;

  PlatformView(Author.@Nullable Kind puppet, boolean splitsFiles, boolean reportsDeletes) {
    this.puppet = puppet;
    this.splitsFiles = splitsFiles;
    this.reportsDeletes = reportsDeletes;
  }

  static PlatformView of(String platform) {
    return valueOf(platform.toUpperCase(Locale.ROOT));
  }

  String platform() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a relayed message shows its author's name and avatar (else the name template). */
  boolean puppets() {
    return puppet != null;
  }

  /** The kind of account a puppeted copy shows as (webhook, ghost user); null without puppeting. */
  Author.@Nullable Kind puppet() {
    return puppet;
  }

  /**
   * Whether a relayed message with a file becomes two entries, the text then the file: Telegram
   * sends the text and the document separately, Slack shares files as the app, Matrix has one event
   * per file.
   */
  boolean splitsFiles() {
    return splitsFiles;
  }

  /**
   * Whether the platform tells bots about deleted messages. Telegram does not (the Bot API has no
   * such update), so a delete there cannot follow the message: its copies stay.
   */
  boolean reportsDeletes() {
    return reportsDeletes;
  }

  /** The text a person types here: bold, italic, inline code and a mention of {@code mentioned}. */
  abstract String formatted(SandboxUser mentioned);

  /** Asserts the relayed copy of {@link #formatted} in this platform's markup, ending with {@code tail}. */
  abstract void assertFormattedCopy(HistoryEntry copy, String author, String source, String mentioned, String tail);

  /** Asserts who a relayed message shows as its author, and its plain text. */
  void assertPlainCopy(HistoryEntry copy, String author, String source, String text) {
    if (puppet != null) {
      assertThat(copy.author().kind()).isEqualTo(puppet);
      assertThat(copy.author().shownName()).isEqualTo(author);
      assertThat(plain(copy.text())).isEqualTo(text);
    } else {
      assertThat(copy.author().kind()).isEqualTo(Author.Kind.BOT);
      assertThat(plain(copy.text())).isEqualTo(author + " (" + source + "): " + text);
    }
  }

  /** Asserts that {@code answer} shows as an answer to {@code target}, by {@code author}. */
  void assertAnswer(HistoryEntry answer, HistoryEntry target, String author, String source, String text) {
    assertPlainCopy(answer, author, source, text);
    assertThat(answer.replyTo() != null ? answer.replyTo() : answer.threadId())
        .as("the answer replies to (or sits in the thread of) its target")
        .isEqualTo(target.messageId());
  }

  static String plain(String text) {
    return text == null ? null : text.replace("\u2060", "");
  }
}
