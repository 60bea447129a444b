package coop.relay.testkit.tck;

import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The platform side of the {@link ConnectorTck}: creates the connector under test and acts on its
 * platform as a person would, usually through a local emulator (never through the connector).
 *
 * <p>The TCK creates one fixture per test and {@linkplain #close() closes} it afterwards, so a
 * fixture may start a fresh emulator or use fresh channels on a shared one. Methods that act as a
 * user return once the platform has applied the action; they throw (any exception) when the
 * platform refused, which fails the test.
 */
public interface TckFixture extends AutoCloseable {

  /**
   * A new connector for the platform, not yet connected. Called more than once per test (the
   * restart test builds a second one that must resume from the first one's cursors), so each call
   * returns a new instance with the same configuration and connector id.
   */
  Connector createConnector();

  /** The channel the tests use: the connector's bot is a member and users can post in it. */
  String channelId();

  /** Posts {@code text} as a human user; returns the platform's id of the new message. */
  String postAsUser(String channelId, RichText text);

  /** Posts {@code text} as a human user replying to message {@code targetId}; returns the new message's id. */
  String replyAsUser(String channelId, String targetId, RichText text);

  /** Posts {@code text} as a human user in the thread of message {@code rootId}; returns the new message's id. */
  String postInThreadAsUser(String channelId, String rootId, RichText text);

  /** Replaces the text of a message the user posted. */
  void editAsUser(String channelId, String messageId, RichText text);

  /** Deletes a message the user posted. */
  void deleteAsUser(String channelId, String messageId);

  /** Adds the user's reaction to a message. */
  void reactAsUser(String channelId, String messageId, Emoji emoji);

  /** Removes the user's reaction from a message. */
  void unreactAsUser(String channelId, String messageId, Emoji emoji);

  /** What the channel shows now, oldest first. */
  List<SeenMessage> history(String channelId);

  /**
   * Cuts the connector off: drops its connection (socket, long poll) and keeps the platform
   * unreachable for it until {@link #reconnect()}, while users go on posting. Only called when
   * {@link #features()} has {@link TckFeature#DISCONNECT}.
   */
  default void disconnect() {
    throw new UnsupportedOperationException("this fixture cannot disconnect the connector");
  }

  /** Makes the platform reachable again after {@link #disconnect()}; the connector must reconnect by itself. */
  default void reconnect() {
    throw new UnsupportedOperationException("this fixture cannot disconnect the connector");
  }

  /**
   * Sends the connector a payload in {@code channelId} that it cannot parse (broken JSON, a
   * required field missing). Only called when {@link #features()} has {@link TckFeature#MALFORMED_PAYLOAD}.
   */
  default void injectMalformedPayload(String channelId) {
    throw new UnsupportedOperationException("this fixture cannot inject malformed payloads");
  }

  /**
   * A well-formed id of a channel that does not exist, or {@code null}. Only used when
   * {@link #features()} has {@link TckFeature#UNKNOWN_CHANNEL}.
   */
  default @Nullable String unknownChannelId() {
    return null;
  }

  /** What the fixture can make the platform do; everything by default. */
  default Set<TckFeature> features() {
    return EnumSet.allOf(TckFeature.class);
  }

  /**
   * Formatted text that the platform's markup can express and the connector must parse back into
   * exactly this {@link RichText}. By default bold, italic, inline code and a link.
   */
  default RichText formattedSample() {
    return RichText.builder()
        .text("TCK ")
        .bold("bold")
        .text(" and ")
        .italic("italic")
        .text(" with ")
        .code("code()")
        .text(" and ")
        .link("https://example.org/tck", "a link")
        .build();
  }

  /** How long the TCK waits for anything to happen; generous by default, as CI machines are slow. */
  default Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** Releases what the fixture holds (emulators, channels). */
  @Override
  default void close() throws Exception {}
}
