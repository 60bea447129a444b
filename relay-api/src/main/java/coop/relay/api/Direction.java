package coop.relay.api;

/** Which way messages flow between a bridge and one of its channels. */
public enum Direction {
  /** Messages are read from the channel, never written to it. */
  IN,
  /** Messages are written to the channel, never read from it. */
  OUT,
  /** Both; the default. */
  BOTH;

  /** Whether messages posted in the channel are relayed to the bridge. */
  public boolean readsFrom() {
    return this != OUT;
  }

  /** Whether the bridge writes messages into the channel. */
  public boolean writesTo() {
    return this != IN;
  }
}
