package coop.relay.testkit.tck;

/**
 * What a {@link TckFixture} can make its platform do, beyond posting. The TCK skips (with a JUnit
 * assumption naming the missing feature) the tests that need a feature the fixture does not
 * declare. What the connector itself can send (edits, reactions, replies, threads) is not declared
 * here but read from its {@link coop.relay.api.Capabilities}.
 */
public enum TckFeature {
  /** Users can edit their messages and the platform tells the connector. */
  USER_EDITS,
  /** Users can delete their messages and the platform tells the connector (Telegram's Bot API does not). */
  USER_DELETES,
  /** Users can react and the platform tells the connector. */
  USER_REACTIONS,
  /** Users can reply to a message. */
  USER_REPLIES,
  /** Users can post in threads. */
  USER_THREADS,
  /** The fixture can cut the connector off the platform and let it back ({@link TckFixture#disconnect()}). */
  DISCONNECT,
  /** The fixture can send a payload the connector cannot parse ({@link TckFixture#injectMalformedPayload}). */
  MALFORMED_PAYLOAD,
  /** The fixture knows a channel id that does not exist ({@link TckFixture#unknownChannelId()}). */
  UNKNOWN_CHANNEL
}
