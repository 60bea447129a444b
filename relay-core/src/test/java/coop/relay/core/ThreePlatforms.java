package coop.relay.core;

import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.RelayEvent;
import coop.relay.testkit.InMemoryConnector;
import coop.relay.testkit.InMemoryPlatform;
import coop.relay.testkit.PlatformMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Three in-memory platforms ("alpha" can puppet, "beta" and "gamma" cannot), each with channels
 * {@code c0..c2} and one connector, all on one virtual clock: everything the relay does happens
 * synchronously while a test acts, and delays pass only when the test advances {@link #time}.
 */
final class ThreePlatforms {
  final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  final InMemoryPlatform alpha = platform("alpha");
  final InMemoryPlatform beta = platform("beta");
  final InMemoryPlatform gamma = platform("gamma");
  private final boolean suppressEchoes;
  InMemoryConnector alphaConnector;
  InMemoryConnector betaConnector;
  InMemoryConnector gammaConnector;
  final List<RelayEvent> events = new CopyOnWriteArrayList<>();
  final Identity ada = alpha.user("u-ada", "Ada");
  final Identity bob = beta.user("u-bob", "Bob");
  final Identity cy = gamma.user("u-cy", "Cy");

  ThreePlatforms() {
    this(true);
  }

  ThreePlatforms(boolean suppressEchoes) {
    this.suppressEchoes = suppressEchoes;
    newConnectors();
  }

  /** Fresh connectors on the same platforms, as after a process restart. */
  void newConnectors() {
    alphaConnector = connector("a", alpha, PuppetingMode.PER_MESSAGE, suppressEchoes);
    betaConnector = connector("b", beta, PuppetingMode.NONE, suppressEchoes);
    gammaConnector = connector("g", gamma, PuppetingMode.NONE, suppressEchoes);
  }

  private InMemoryPlatform platform(String name) {
    return InMemoryPlatform.builder().name(name).channels("c0", "c1", "c2").scheduler(time).build();
  }

  private static InMemoryConnector connector(String id, InMemoryPlatform platform, PuppetingMode puppeting,
      boolean suppressEchoes) {
    return InMemoryConnector.builder()
        .id(id)
        .platform(platform)
        .capabilities(Capabilities.builder().puppeting(puppeting).build())
        .suppressEchoes(suppressEchoes)
        .build();
  }

  RelayBuilder relay() {
    return Relay.builder().connector(alphaConnector).connector(betaConnector).connector(gammaConnector)
        .scheduler(time);
  }

  Disposable record(Relay relay) {
    return relay.events().subscribe(events::add);
  }

  InMemoryPlatform platformOf(String connectorId) {
    return switch (connectorId) {
      case "a" -> alpha;
      case "b" -> beta;
      case "g" -> gamma;
      default -> throw new IllegalArgumentException(connectorId);
    };
  }

  /** The messages the bridge posted in a channel. */
  List<PlatformMessage> copies(String connectorId, String channelId) {
    return platformOf(connectorId).history(channelId).stream().filter(PlatformMessage::byBridge).toList();
  }

  <T extends RelayEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
