package coop.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.MessageRef;
import coop.relay.api.event.Delivered;
import coop.relay.api.event.DeliveryFailed;
import coop.relay.api.event.DeliveryRetried;
import coop.relay.api.event.Dropped;
import coop.relay.spi.Backoff;
import coop.relay.spi.RelayStore;
import coop.relay.testkit.Fault;
import coop.relay.testkit.PlatformMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults on one destination never hold up another; failures are retried, reported, never silent. */
class RelayFaultTest {
  private final ThreePlatforms p = new ThreePlatforms();
  private Relay relay;

  private void start(RelayBuilder builder) {
    relay = builder.bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")).build();
    p.record(relay);
    relay.start().block();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop(Duration.ZERO).subscribe();
      p.time.advanceTime();
    }
  }

  @Test
  void aSlowDestinationDelaysOnlyItself() {
    start(p.relay());
    p.beta.faults("c0").always(Fault.delay(Duration.ofSeconds(30)));

    p.alpha.post("c0", p.ada, "one");
    p.alpha.post("c0", p.ada, "two");

    assertThat(p.copies("g", "c0")).extracting(PlatformMessage::plainText).hasSize(2);
    assertThat(p.copies("b", "c0")).isEmpty();
    p.time.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(p.copies("b", "c0")).hasSize(1);
    p.time.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(p.copies("b", "c0")).extracting(PlatformMessage::plainText)
        .containsExactly("A\u2060da (alpha): one", "A\u2060da (alpha): two");
  }

  @Test
  void aRetryAfterIsHonouredExactly() {
    start(p.relay());
    p.gamma.faults("c0").next(Fault.rateLimited(Duration.ofMillis(3_000)));

    p.alpha.post("c0", p.ada, "patience");

    assertThat(p.events(DeliveryRetried.class)).singleElement().satisfies(retry -> {
      assertThat(retry.delay()).isEqualTo(Duration.ofMillis(3_000));
      assertThat(retry.destination().connectorId()).isEqualTo("g");
    });
    p.time.advanceTimeBy(Duration.ofMillis(2_999));
    assertThat(p.copies("g", "c0")).isEmpty();
    p.time.advanceTimeBy(Duration.ofMillis(1));
    assertThat(p.copies("g", "c0")).hasSize(1);
    assertThat(p.copies("b", "c0")).as("the other destination did not wait").hasSize(1);
  }

  @Test
  void transientFailuresAreRetriedWithBackoffUntilDelivered() {
    start(p.relay().backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0, 0.0)));
    p.beta.faults("c0").next(2, Fault.transientFailure());

    p.alpha.post("c0", p.ada, "eventually");
    assertThat(p.copies("b", "c0")).isEmpty();
    p.time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(p.copies("b", "c0")).isEmpty();
    p.time.advanceTimeBy(Duration.ofSeconds(2));

    assertThat(p.copies("b", "c0")).hasSize(1);
    assertThat(p.events(DeliveryRetried.class)).extracting(DeliveryRetried::delay)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(p.events(Delivered.class)).filteredOn(d -> d.copy().connectorId().equals("b"))
        .singleElement().extracting(Delivered::attempts).isEqualTo(3);
  }

  @Test
  void aPermanentFailureIsReportedWithItsReasonAndTheQueueMovesOn() {
    start(p.relay());
    p.beta.faults("c0").next(Fault.permanentFailure());

    p.alpha.post("c0", p.ada, "lost on beta");
    p.alpha.post("c0", p.ada, "arrives on beta");

    assertThat(p.events(DeliveryFailed.class)).singleElement().satisfies(failed -> {
      assertThat(failed.destination().connectorId()).isEqualTo("b");
      assertThat(failed.reason()).contains("injected permanent failure");
      assertThat(failed.attempts()).isEqualTo(1);
    });
    assertThat(p.copies("b", "c0")).extracting(PlatformMessage::plainText).containsExactly("A\u2060da (alpha): arrives on beta");
    assertThat(p.copies("g", "c0")).hasSize(2);
  }

  @Test
  void retriesRunOutIntoAReport() {
    start(p.relay().maxDeliveryAttempts(3).backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0)));
    p.gamma.faults("c0").always(Fault.transientFailure());

    p.alpha.post("c0", p.ada, "doomed on gamma");
    p.time.advanceTimeBy(Duration.ofSeconds(5));

    assertThat(p.events(DeliveryFailed.class)).singleElement().satisfies(failed -> {
      assertThat(failed.attempts()).isEqualTo(3);
      assertThat(failed.reason()).startsWith("gave up after 3 attempts");
    });
  }

  @Test
  void aFullQueueRefusesWithAReportInsteadOfGrowing() {
    start(p.relay().deliveryQueueCapacity(1));
    p.beta.faults("c0").always(Fault.noResponse());

    p.alpha.post("c0", p.ada, "in flight");
    p.alpha.post("c0", p.ada, "waiting");
    p.alpha.post("c0", p.ada, "refused");

    assertThat(p.events(DeliveryFailed.class)).singleElement().satisfies(failed -> {
      assertThat(failed.destination().connectorId()).isEqualTo("b");
      assertThat(failed.reason()).contains("delivery queue of b:c0 is full");
    });
    assertThat(p.copies("g", "c0")).hasSize(3);
  }

  @Test
  void duplicateInboundDeliveriesAreRelayedOnce() {
    start(p.relay());
    p.alpha.duplicateNextEvents(3);

    p.alpha.post("c0", p.ada, "said once");
    MessageRef second = p.alpha.post("c0", p.ada, "said twice?");
    p.alpha.edit(second, p.ada, "edited once");

    assertThat(p.copies("b", "c0")).hasSize(2);
    assertThat(p.copies("g", "c0")).hasSize(2);
    assertThat(p.beta.stats("c0").edits()).isEqualTo(1);
    assertThat(p.events(Dropped.class)).extracting(Dropped::reason).contains(Dropped.Reason.DUPLICATE);
  }

  @Test
  void aDisconnectedPlatformCatchesUpWithoutLossOrDuplicates() {
    start(p.relay());
    p.alpha.post("c0", p.ada, "before");

    p.alpha.disconnect();
    p.alpha.post("c0", p.ada, "during 1");
    p.alpha.post("c0", p.ada, "during 2");
    assertThat(p.copies("b", "c0")).hasSize(1);
    p.alpha.reconnect();

    assertThat(p.copies("b", "c0")).extracting(PlatformMessage::plainText).containsExactly(
        "A\u2060da (alpha): before", "A\u2060da (alpha): during 1", "A\u2060da (alpha): during 2");
    assertThat(p.copies("g", "c0")).hasSize(3);
  }

  @Test
  void aRelayRestartedOnTheSameStoreResumesWithoutLossOrDuplicates() {
    RelayStore store = RelayStores.inMemory();
    start(p.relay().store(store).relayId("r1"));
    p.alpha.post("c0", p.ada, "first life");
    relay.stop().block();

    p.alpha.post("c0", p.ada, "while down");
    p.newConnectors();
    relay = p.relay().store(store).relayId("r1")
        .bridge("coop", b -> b.channel("a", "c0").channel("b", "c0").channel("g", "c0")).build();
    relay.start().block();

    assertThat(p.copies("b", "c0")).extracting(PlatformMessage::plainText)
        .containsExactly("A\u2060da (alpha): first life", "A\u2060da (alpha): while down");
    assertThat(p.copies("a", "c0")).isEmpty();
  }

  @Test
  void stopDrainsWhatItCanAndReportsTheRest() {
    start(p.relay());
    p.beta.faults("c0").always(Fault.noResponse());

    p.alpha.post("c0", p.ada, "stuck on beta");
    p.alpha.post("c0", p.ada, "queued behind it");
    relay.stop(Duration.ofSeconds(5)).subscribe();
    p.time.advanceTimeBy(Duration.ofSeconds(5));

    assertThat(p.events(DeliveryFailed.class)).hasSize(2).allSatisfy(failed -> {
      assertThat(failed.destination().connectorId()).isEqualTo("b");
      assertThat(failed.reason()).contains("relay stopped before this could be delivered");
    });
    assertThat(p.copies("g", "c0")).hasSize(2);
    relay = null;
  }
}
