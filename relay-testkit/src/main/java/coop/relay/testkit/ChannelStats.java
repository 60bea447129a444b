package coop.relay.testkit;

/**
 * How many operations the connectors performed in one channel of an {@link InMemoryPlatform}, for
 * assertions such as "the retry posted exactly once". Users' own actions are not counted.
 *
 * @param posts messages posted (a text split into several messages counts once)
 * @param edits messages edited
 * @param deletes messages deleted (also when they were already gone)
 * @param reactionsAdded reactions added
 * @param reactionsRemoved reactions removed
 * @param failures operations that an injected {@link Fault} made fail (delays are not failures)
 */
public record ChannelStats(long posts, long edits, long deletes, long reactionsAdded, long reactionsRemoved,
    long failures) {

  /** No operations at all. */
  public static final ChannelStats EMPTY = new ChannelStats(0, 0, 0, 0, 0, 0);

  /** Every successful operation, of any kind. */
  public long operations() {
    return posts + edits + deletes + reactionsAdded + reactionsRemoved;
  }
}
