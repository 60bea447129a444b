package coop.relay.slack.internal;

/**
 * Which thread the messages the connector saw or posted belong to, so that a reply to a message
 * inside a thread goes into that thread: Slack takes only a thread root's ts as {@code thread_ts}.
 */
final class ThreadRoots {
  private final BoundedCache<String> roots;

  ThreadRoots(BoundedCache<String> roots) {
    this.roots = roots;
  }

  /** Remembers that message {@code ts} of {@code channel} is in the thread of {@code rootTs}. */
  void remember(String channel, String ts, String rootTs) {
    if (!ts.equals(rootTs)) {
      roots.put(channel + "/" + ts, rootTs);
    }
  }

  /** The root of the thread {@code ts} is in, or {@code ts} itself when it is no known reply. */
  String rootOf(String channel, String ts) {
    String root = roots.get(channel + "/" + ts);
    return root == null ? ts : root;
  }
}
