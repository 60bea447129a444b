package coop.relay.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.ChannelRef;
import coop.relay.api.MessageRef;
import org.junit.jupiter.api.Test;

class InMemoryIdMapTest {
  private final ChannelRef a = new ChannelRef("tg", "a");
  private final ChannelRef b = new ChannelRef("dc", "b");
  private final ChannelRef c = new ChannelRef("sl", "c");

  @Test
  void linksOriginalsToCopiesBothWays() {
    InMemoryIdMap map = new InMemoryIdMap(10);
    MessageRef original = a.message("1");
    map.link(original, b.message("10"));
    map.link(original, c.message("20"));

    assertThat(map.canonicalOf(b.message("10"))).isEqualTo(original);
    assertThat(map.canonicalOf(original)).isEqualTo(original);
    assertThat(map.isCopy(c.message("20"))).isTrue();
    assertThat(map.isCopy(original)).isFalse();
    assertThat(map.copyIn(original, c)).isEqualTo(c.message("20"));
    assertThat(map.copyIn(original, a)).isEqualTo(original);
    assertThat(map.copiesOf(original)).containsExactly(b.message("10"), c.message("20"));
    assertThat(map.canonicalOf(a.message("unknown"))).isNull();
  }

  @Test
  void linkingTheSameCopyTwiceKeepsOne() {
    InMemoryIdMap map = new InMemoryIdMap(10);
    map.link(a.message("1"), b.message("10"));
    map.link(a.message("1"), b.message("10"));

    assertThat(map.copiesOf(a.message("1"))).hasSize(1);
  }

  @Test
  void forgetRemovesTheWholeFamily() {
    InMemoryIdMap map = new InMemoryIdMap(10);
    map.link(a.message("1"), b.message("10"));
    map.forget(a.message("1"));

    assertThat(map.canonicalOf(b.message("10"))).isNull();
    assertThat(map.copiesOf(a.message("1"))).isEmpty();
  }

  @Test
  void evictsTheOldestOriginalBeyondCapacity() {
    InMemoryIdMap map = new InMemoryIdMap(2);
    map.link(a.message("1"), b.message("10"));
    map.link(a.message("2"), b.message("20"));
    map.link(a.message("3"), b.message("30"));

    assertThat(map.canonicalOf(b.message("10"))).isNull();
    assertThat(map.canonicalOf(b.message("30"))).isEqualTo(a.message("3"));
  }
}
