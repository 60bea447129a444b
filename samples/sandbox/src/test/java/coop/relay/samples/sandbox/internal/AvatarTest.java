package coop.relay.samples.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AvatarTest {

  @Test
  void showsTheCapitalisedInitialOnAColourThatDependsOnlyOnTheKey() {
    String alice = Avatar.svg("alice");
    assertThat(alice).startsWith("<svg").contains(">A</text>").isEqualTo(Avatar.svg("alice"));
    assertThat(Avatar.svg("bruno")).contains(">B</text>");
    assertThat(fill(Avatar.svg("alice"))).isEqualTo(fill(alice));
  }

  @Test
  void differentPeopleMostlyGetDifferentColours() {
    assertThat(java.util.stream.Stream.of("alice", "bruno", "chloe", "dmitri", "esther", "farid", "grace", "hiro")
        .map(k -> fill(Avatar.svg(k))).distinct().count()).isGreaterThanOrEqualTo(4);
  }

  private static String fill(String svg) {
    int at = svg.indexOf("fill=\"#");
    return svg.substring(at, at + 14);
  }
}
