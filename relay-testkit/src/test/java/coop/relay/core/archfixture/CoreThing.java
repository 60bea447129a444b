package coop.relay.core.archfixture;

import coop.relay.core.internal.archfixture.Hidden;
import coop.relay.slack.archfixture.SlackThing;
import okhttp3.FakeCall;

/** Breaks the core's rules: knows a connector, leaks an OkHttp type and an internal type. */
public class CoreThing {
  public FakeCall call() {
    return new FakeCall();
  }

  public Hidden hidden() {
    return new Hidden();
  }

  public String slack() {
    return new SlackThing().toString();
  }
}
