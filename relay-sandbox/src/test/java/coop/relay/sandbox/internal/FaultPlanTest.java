package coop.relay.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.sandbox.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void faultsFireForTheirMethodAsOftenAsAskedInOrder() {
    FaultPlan plan = new FaultPlan();
    Fault twice = Fault.rateLimited("sendMessage", 2, Duration.ofSeconds(2));
    Fault any = Fault.serverError("*", 1, 502);
    plan.add(twice);
    plan.add(any);

    assertThat(plan.take("getMe")).isEqualTo(any);
    assertThat(plan.take("getMe")).isNull();
    assertThat(plan.take("SENDMESSAGE")).isEqualTo(twice);
    assertThat(plan.take("sendMessage")).isEqualTo(twice);
    assertThat(plan.take("sendMessage")).isNull();
  }

  @Test
  void clearForgetsPendingFaults() {
    FaultPlan plan = new FaultPlan();
    plan.add(Fault.dropConnection("*", 3));
    plan.clear();
    assertThat(plan.take("x")).isNull();
  }

  @Test
  void faultsRefuseContradictions() {
    assertThatThrownBy(() -> Fault.serverError("m", 1, 404)).hasMessageContaining("500-599");
    assertThatThrownBy(() -> Fault.dropConnection("m", 0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Fault.dropConnection(" ", 1)).hasMessageContaining("\"*\"");
    assertThat(new Fault("m", 1, Fault.Kind.RATE_LIMITED, 0, Duration.ofSeconds(1)).status()).isEqualTo(429);
    assertThat(new Fault("m", 1, Fault.Kind.SERVER_ERROR, 0, null).status()).isEqualTo(500);
  }
}
