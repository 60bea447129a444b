package coop.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedMapTest {

  @Test
  void forgetsTheLeastRecentlyUsedBeyondCapacity() {
    BoundedMap<String, Integer> map = new BoundedMap<>(2);
    map.put("a", 1);
    map.put("b", 2);
    map.get("a");
    map.put("c", 3);

    assertThat(map.containsKey("a")).isTrue();
    assertThat(map.containsKey("b")).as("least recently used").isFalse();
    assertThat(map.size()).isEqualTo(2);
  }

  @Test
  void computesAndUpdatesInPlace() {
    BoundedMap<String, Integer> map = new BoundedMap<>(4);

    assertThat(map.computeIfAbsent("k", k -> 1)).isEqualTo(1);
    assertThat(map.computeIfAbsent("k", k -> 2)).isEqualTo(1);
    assertThat(map.update("k", v -> v == null ? 0 : v + 10)).isEqualTo(11);
    assertThat(map.update("new", v -> v == null ? 0 : v + 10)).isZero();
    assertThat(map.remove("k")).isEqualTo(11);
    assertThat(map.get("k")).isNull();
  }

  @Test
  void rejectsANonPositiveCapacity() {
    assertThatThrownBy(() -> new BoundedMap<>(0)).hasMessageContaining("capacity must be positive");
  }
}
