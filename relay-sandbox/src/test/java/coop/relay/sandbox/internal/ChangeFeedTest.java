package coop.relay.sandbox.internal;

import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxUser;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ChangeFeedTest {

  @Test
  void followersGetLiveChangesAndReplaysStartAfterTheirSequence() {
    ChangeFeed feed = new ChangeFeed("test", () -> Instant.EPOCH);
    feed.user(new SandboxUser("1", "One", null, null, false));
    feed.user(new SandboxUser("2", "Two", null, null, false));

    StepVerifier.create(feed.after(1).take(2))
        .then(() -> feed.user(new SandboxUser("3", "Three", null, null, false)))
        .expectNextMatches(e -> e.sequence() == 2 && e.user().id().equals("2"))
        .expectNextMatches(e -> e.sequence() == 3 && e.type() == SandboxEvent.Type.USER_CREATED)
        .verifyComplete();

    StepVerifier.create(feed.changes().take(1))
        .then(() -> feed.user(new SandboxUser("4", "Four", null, null, false)))
        .expectNextMatches(e -> e.sequence() == 4)
        .verifyComplete();
  }
}
