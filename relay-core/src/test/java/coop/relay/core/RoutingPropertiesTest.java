package coop.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.Direction;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random bridge topologies (overlapping bridges, in/out/both channels, channels of one platform
 * bridged with each other) and random sequences of posts, replies, edits, deletes and duplicate
 * deliveries. Whatever the
 * topology: every eligible channel gets exactly one copy, no channel gets two, no copy comes back
 * to its origin, and every edit and delete reaches every copy.
 */
class RoutingPropertiesTest {
  private static final String[] CONNECTORS = {"a", "b", "g"};

  record Member(int channel, Direction direction) {}

  record Bridge(List<Member> members) {}

  /**
   * What happens: a user posts (or replies to an earlier post) in a channel, edits or deletes an
   * earlier post, or a platform delivers its next events twice (as webhook retries do).
   */
  record Action(int kind, int channel, int target) {}

  @Provide
  Arbitrary<List<Bridge>> topologies() {
    Arbitrary<Member> member = Combinators.combine(
            Arbitraries.integers().between(0, 8), Arbitraries.of(Direction.class))
        .as(Member::new);
    Arbitrary<Bridge> bridge = member.list().ofMinSize(2).ofMaxSize(5)
        .uniqueElements(Member::channel)
        .map(Bridge::new);
    return bridge.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 8),
            Arbitraries.integers().between(0, 30))
        .as(Action::new)
        .list().ofMinSize(1).ofMaxSize(20);
  }

  private static ChannelRef channel(int index) {
    return new ChannelRef(CONNECTORS[index / 3], "c" + (index % 3));
  }

  @Property(tries = 1000)
  void everyEligibleChannelGetsExactlyOneCopyAndEditsAndDeletesReachThemAll(
      @ForAll("topologies") List<Bridge> topology, @ForAll("actions") List<Action> actions,
      @ForAll boolean connectorsSuppressEchoes) {
    ThreePlatforms p = new ThreePlatforms(connectorsSuppressEchoes);
    RelayBuilder builder = p.relay();
    for (int i = 0; i < topology.size(); i++) {
      Bridge bridge = topology.get(i);
      builder.bridge("b" + i, spec -> bridge.members().forEach(m ->
          spec.channel(channel(m.channel()).connectorId(), channel(m.channel()).channelId(), m.direction())));
    }
    Relay relay = builder.build();
    relay.start().block();
    try {
      Map<String, Post> posts = new LinkedHashMap<>();
      List<Post> order = new ArrayList<>();
      for (Action action : actions) {
        act(p, action, order, posts);
      }
      check(p, topology, order);
    } finally {
      relay.stop().block();
    }
  }

  /** A user's post, tracked by a token that appears in its text and in the text of its copies. */
  static final class Post {
    final String token;
    final ChannelRef channel;
    final MessageRef ref;
    String text;
    boolean deleted;

    Post(String token, ChannelRef channel, MessageRef ref, String text) {
      this.token = token;
      this.channel = channel;
      this.ref = ref;
      this.text = text;
    }
  }

  private static void act(ThreePlatforms p, Action action, List<Post> order, Map<String, Post> posts) {
    if (action.kind() == 10) {
      p.platformOf(channel(action.channel()).connectorId()).duplicateNextEvents(1 + action.target() % 3);
      return;
    }
    List<Post> live = order.stream().filter(post -> !post.deleted).toList();
    Post target = live.isEmpty() ? null : live.get(action.target() % live.size());
    if (action.kind() <= 5 || target == null) {
      ChannelRef channel = channel(action.channel());
      InMemoryPlatform platform = p.platformOf(channel.connectorId());
      Identity author = platform.user("u-" + channel.connectorId(), "User " + channel.connectorId());
      String token = "<m" + order.size() + ">";
      String text = "post " + token;
      MessageRef ref;
      if (action.kind() >= 4 && target != null && target.channel.equals(channel)) {
        ref = platform.reply(target.ref, author, text);
      } else {
        ref = platform.post(channel.channelId(), author, text);
      }
      Post post = new Post(token, channel, ref, text);
      order.add(post);
      posts.put(token, post);
    } else if (action.kind() <= 7) {
      InMemoryPlatform platform = p.platformOf(target.channel.connectorId());
      target.text = "edited " + target.token + " #" + action.target();
      platform.edit(target.ref, platform.user("u-" + target.channel.connectorId(), "x"), target.text);
    } else {
      p.platformOf(target.channel.connectorId()).delete(target.ref);
      target.deleted = true;
    }
  }

  private static Set<ChannelRef> eligible(List<Bridge> topology, ChannelRef source) {
    Set<ChannelRef> targets = new LinkedHashSet<>();
    for (Bridge bridge : topology) {
      boolean reads = bridge.members().stream()
          .anyMatch(m -> channel(m.channel()).equals(source) && m.direction().readsFrom());
      if (!reads) {
        continue;
      }
      for (Member member : bridge.members()) {
        ChannelRef target = channel(member.channel());
        if (!target.equals(source) && member.direction().writesTo()) {
          targets.add(target);
        }
      }
    }
    return targets;
  }

  private static void check(ThreePlatforms p, List<Bridge> topology, List<Post> order) {
    Map<ChannelRef, List<PlatformMessage>> copiesByChannel = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      ChannelRef channel = channel(i);
      copiesByChannel.put(channel, p.copies(channel.connectorId(), channel.channelId()));
    }
    for (Post post : order) {
      Set<ChannelRef> expected = eligible(topology, post.channel);
      for (Map.Entry<ChannelRef, List<PlatformMessage>> entry : copiesByChannel.entrySet()) {
        // A copy's own text ends with the post's text; a quoted reply target appears only after "> ".
        List<PlatformMessage> copies = entry.getValue().stream()
            .filter(copy -> lastLine(copy.plainText()).contains(post.token))
            .toList();
        if (!expected.contains(entry.getKey())) {
          assertThat(copies).as("%s must not reach %s", post.token, entry.getKey()).isEmpty();
          continue;
        }
        assertThat(copies).as("%s reaches %s exactly once", post.token, entry.getKey()).hasSize(1);
        PlatformMessage copy = copies.get(0);
        assertThat(copy.deleted()).as("delete of %s reached %s", post.token, entry.getKey()).isEqualTo(post.deleted);
        if (!post.deleted) {
          assertThat(lastLine(copy.plainText())).as("edit of %s reached %s", post.token, entry.getKey())
              .endsWith(post.text);
        }
      }
    }
  }

  private static String lastLine(String text) {
    int newline = text.lastIndexOf('\n');
    return newline < 0 ? text : text.substring(newline + 1);
  }
}
