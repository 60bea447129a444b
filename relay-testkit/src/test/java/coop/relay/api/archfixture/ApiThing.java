package coop.relay.api.archfixture;

import coop.relay.testkit.InMemoryCursorStore;
import org.slf4j.LoggerFactory;

/** Breaks relay-api's rules: uses the testkit and SLF4J. */
public class ApiThing {
  public String uses() {
    return new InMemoryCursorStore().toString() + LoggerFactory.getLogger(ApiThing.class).getName();
  }
}
