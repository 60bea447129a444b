package coop.relay.samples.sandbox;

import coop.relay.api.Direction;
import coop.relay.core.Relay;
import coop.relay.core.RelayBuilder;
import coop.relay.samples.sandbox.internal.Demo;
import coop.relay.samples.sandbox.internal.PageServer;
import coop.relay.samples.sandbox.internal.PlatformWiring;
import coop.relay.samples.sandbox.internal.RelayMonitor;
import coop.relay.samples.sandbox.internal.Wirings;
import coop.relay.sandbox.Emulator;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxUser;
import coop.relay.spi.Connector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox app: the platform emulators in-process, two people and two rooms on each platform, a
 * Relay bridging the rooms, and a web page to watch and type.
 *
 * <p>The relay runs two bridges. {@value #COOP} links the "Coop chat" room of every platform both
 * ways. {@value #ANNOUNCEMENTS} shows directions: the "Announcements" room of one platform (Slack's
 * when its connector is there) is only read ({@code IN}), the others are only written ({@code OUT}),
 * so announcements go out and nothing comes back. A platform whose connector is not part of the
 * build yet keeps its emulator and rooms, marked unbridged, and stays out of both bridges.
 *
 * <pre>{@code
 * try (SandboxApp app = SandboxApp.builder().build()) {   // free ports on 127.0.0.1
 *   app.start().block();
 *   System.out.println(app.pageUrl());
 *   SandboxControl telegram = app.control("telegram");   // act as people, read histories
 *   Room coop = app.room("telegram", SandboxApp.COOP);
 * }
 * }</pre>
 *
 * Thread-safe. {@link #start()} may be called once; {@link #stop()} (or {@link #close()}) ends
 * everything.
 */
public final class SandboxApp implements AutoCloseable {
  /** The bridge that links the "Coop chat" rooms both ways. */
  public static final String COOP = "coop";
  /** The bridge that carries announcements out of one room into the others. */
  public static final String ANNOUNCEMENTS = "announcements";

  private static final String COOP_ROOM = "Coop chat";
  private static final String ANNOUNCEMENTS_ROOM = "Announcements";
  private static final String PREFERRED_ANNOUNCER = "slack";

  private final String host;
  private final @Nullable String relayId;
  private final boolean withRelay;
  private final Map<String, PlatformWiring> wirings = new LinkedHashMap<>();
  private final Map<String, Emulator> emulators = new LinkedHashMap<>();
  private final Map<String, Setup> setups = new ConcurrentHashMap<>();
  private final RelaySandbox sandbox;
  private final RelayMonitor monitor;
  private final PageServer page;
  private final JsonMapper json = JsonMapper.builder().build();
  private final AtomicBoolean started = new AtomicBoolean();
  private final Set<String> connectorPlatforms = new LinkedHashSet<>();
  private volatile @Nullable String pageUrl;
  private volatile @Nullable Relay relay;
  private volatile @Nullable Disposable watching;

  private record Setup(PlatformWiring wiring, List<SandboxUser> people, List<Room> rooms) {}

  private SandboxApp(Builder b) {
    this.host = b.host;
    this.relayId = b.relayId;
    this.withRelay = b.withRelay;
    RelaySandbox.Builder sandboxBuilder = RelaySandbox.builder().host(b.host);
    Map<String, String> platformOf = new LinkedHashMap<>();
    for (PlatformWiring w : Wirings.all()) {
      if (b.platforms.isEmpty() || b.platforms.contains(w.platform())) {
        Emulator emulator = w.emulator();
        wirings.put(w.platform(), w);
        emulators.put(w.platform(), emulator);
        sandboxBuilder.emulator(emulator, b.emulatorPorts.getOrDefault(w.platform(), 0));
        platformOf.put(w.connectorId(), w.platform());
        if (w.connectorAvailable()) {
          connectorPlatforms.add(w.platform());
        }
      }
    }
    this.sandbox = sandboxBuilder.build();
    this.monitor = new RelayMonitor(platformOf);
    this.page = new PageServer(b.host, b.port, this::configJson, monitor, this::switchEmulator);
  }

  /** A builder: every platform, free ports on {@code 127.0.0.1}, with a relay. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the page server, the emulators, the people and rooms, and the relay (when at least one
   * connector is available). Completes when the page is served and the relay's {@code start()}
   * completed, i.e. every connector is connected or retrying in the background. Fails if a port
   * cannot be bound, if a connector's credentials are rejected, or if called twice; what did start
   * is then left for {@link #stop()}. Cancelling may leave parts running; {@link #stop()} ends them.
   */
  public Mono<Void> start() {
    return Mono.defer(() -> {
      if (!started.compareAndSet(false, true)) {
        return Mono.error(new IllegalStateException("this SandboxApp was started before; build a new one"));
      }
      return page.start()
          .doOnNext(url -> pageUrl = url)
          .then(sandbox.start())
          .then(Flux.fromIterable(wirings.values()).concatMap(this::stage).then())
          .then(Mono.defer(this::startRelay));
    });
  }

  /**
   * Stops gracefully: the relay first (it drains in-flight deliveries), then the page server and the
   * emulators. Completes when everything is down; safe to call more than once.
   */
  public Mono<Void> stop() {
    return Mono.defer(() -> {
      Relay r = relay;
      Mono<Void> stopRelay = r == null ? Mono.empty() : r.stop().onErrorResume(e -> Mono.empty());
      return stopRelay
          .then(Mono.fromRunnable(() -> {
            Disposable w = watching;
            if (w != null) {
              w.dispose();
            }
          }))
          .then(page.stop())
          .then(sandbox.stop());
    });
  }

  /** {@link #stop()}, waiting at most 30 seconds; for try-with-resources in tests and the main class. */
  @Override
  public void close() {
    stop().block(Duration.ofSeconds(30));
  }

  /**
   * The page's URL, e.g. {@code http://127.0.0.1:8088/}.
   *
   * @throws IllegalStateException before {@link #start()} bound the page server
   */
  public String pageUrl() {
    String url = pageUrl;
    if (url == null) {
      throw new IllegalStateException("the page is not served yet; call start() first");
    }
    return url;
  }

  /** The platforms of this app (emulated, bridged or not), in the page's order. */
  public List<String> platforms() {
    return List.copyOf(wirings.keySet());
  }

  /** The platforms whose rooms the relay bridges: those whose connector is available. */
  public Set<String> bridgedPlatforms() {
    Set<String> out = new LinkedHashSet<>();
    for (String platform : wirings.keySet()) {
      Setup s = setups.get(platform);
      if (s != null && s.rooms().stream().anyMatch(Room::bridged)) {
        out.add(platform);
      }
    }
    return out;
  }

  /**
   * The platforms whose connector is part of this build: they run in the app's relay (bridged as
   * soon as there are two of them), and {@link #newConnector} makes more of them.
   */
  public Set<String> connectorPlatforms() {
    return Collections.unmodifiableSet(connectorPlatforms);
  }

  /** The emulators, for their base URLs, control APIs and platform-specific controls. */
  public RelaySandbox sandbox() {
    return sandbox;
  }

  /** The base URL of a platform's emulator. @throws IllegalArgumentException for an unknown platform */
  public String emulatorUrl(String platform) {
    return sandbox.baseUrl(platform);
  }

  /** The in-process control API of a platform's emulator. */
  public SandboxControl control(String platform) {
    return sandbox.control(platform);
  }

  /** The relay's id for a platform's connector, e.g. {@code tg} for {@code telegram}. */
  public String connectorId(String platform) {
    return wiring(platform).connectorId();
  }

  /** The relay, once started, if at least one connector is available. */
  public Optional<Relay> relay() {
    return Optional.ofNullable(relay);
  }

  /**
   * The room of {@code bridge} ({@link #COOP} or {@link #ANNOUNCEMENTS}) on {@code platform}.
   *
   * @throws IllegalStateException before {@link #start()} created the rooms
   * @throws IllegalArgumentException for an unknown platform or bridge
   */
  public Room room(String platform, String bridge) {
    for (Room room : setup(platform).rooms()) {
      if (room.bridge().equals(bridge)) {
        return room;
      }
    }
    throw new IllegalArgumentException("no bridge " + bridge + "; the bridges are " + COOP + " and " + ANNOUNCEMENTS);
  }

  /** The people created on {@code platform}, in creation order. @throws IllegalStateException before start */
  public List<SandboxUser> people(String platform) {
    return setup(platform).people();
  }

  /**
   * A new connector for {@code platform}, logged in as the emulator's bot number {@code bot} (0 is
   * the app relay's, 1 a second one), for tests that run another relay over the same emulators.
   * Empty while that platform's connector is not available.
   *
   * @throws IllegalStateException before the emulators started
   * @throws IllegalArgumentException for an unknown platform or a bot number outside 0-1
   */
  public Optional<Connector> newConnector(String platform, String connectorId, int bot) {
    if (bot < 0 || bot >= PlatformWiring.BOTS) {
      throw new IllegalArgumentException("bot is 0 (the app relay's) or 1, was " + bot);
    }
    PlatformWiring w = wiring(platform);
    return Optional.ofNullable(w.connector(emulators.get(platform), sandbox.baseUrl(platform), connectorId, bot));
  }

  /** Takes a platform's emulator down (clients see an outage); completes when it is down. */
  public Mono<Void> stopEmulator(String platform) {
    return switchEmulator(platform, false);
  }

  /** Brings a platform's emulator back on its port with all its state; completes when it listens. */
  public Mono<Void> startEmulator(String platform) {
    return switchEmulator(platform, true);
  }

  private Mono<Void> switchEmulator(String platform, boolean up) {
    return Mono.defer(() -> {
      wiring(platform);
      return (up ? sandbox.start(platform) : sandbox.stop(platform))
          .then(Mono.fromRunnable(() -> monitor.emulator(platform, up)));
    });
  }

  private Mono<Void> stage(PlatformWiring w) {
    SandboxControl control = sandbox.control(w.platform());
    String avatarBase = pageUrl() + "avatars/";
    return Flux.fromIterable(w.people(avatarBase))
        .concatMap(control::createUser)
        .collectList()
        .flatMap(people -> control.createChannel(new NewChannel(COOP_ROOM, w.roomType()))
            .zipWith(control.createChannel(new NewChannel(ANNOUNCEMENTS_ROOM, w.roomType())))
            .doOnNext(rooms -> setups.put(w.platform(), new Setup(w, List.copyOf(people),
                List.of(room(w, rooms.getT1(), COOP, Direction.BOTH), room(w, rooms.getT2(), ANNOUNCEMENTS, Direction.OUT))))))
        .then(Mono.fromRunnable(() -> monitor.emulator(w.platform(), true)));
  }

  private static Room room(PlatformWiring w, SandboxChannel channel, String bridge, Direction direction) {
    return new Room(w.platform(), channel.id(), channel.name(), bridge, direction, false);
  }

  private Mono<Void> startRelay() {
    if (!withRelay) {
      return Mono.empty();
    }
    Map<String, Connector> connectors = new LinkedHashMap<>();
    for (PlatformWiring w : wirings.values()) {
      Connector c = w.connector(emulators.get(w.platform()), sandbox.baseUrl(w.platform()), w.connectorId(), 0);
      if (c != null) {
        connectors.put(w.platform(), c);
      }
    }
    if (connectors.isEmpty()) {
      return Mono.empty();
    }
    RelayBuilder builder = Relay.builder()
        .relayId(relayId != null ? relayId : "sandbox")
        .backoff(Demo.DELIVERY_RETRY)
        .maxDeliveryAttempts(Demo.DELIVERY_ATTEMPTS);
    connectors.values().forEach(builder::connector);
    if (connectors.size() >= 2) {
      String announcer = connectors.containsKey(PREFERRED_ANNOUNCER)
          ? PREFERRED_ANNOUNCER : connectors.keySet().iterator().next();
      builder.bridge(COOP, b -> connectors.keySet().forEach(p -> b.channel(connectorId(p), room(p, COOP).channelId())));
      builder.bridge(ANNOUNCEMENTS, b -> connectors.keySet().forEach(p -> b.channel(
          connectorId(p), room(p, ANNOUNCEMENTS).channelId(), p.equals(announcer) ? Direction.IN : Direction.OUT)));
      for (String p : connectors.keySet()) {
        Setup s = setups.get(p);
        setups.put(p, new Setup(s.wiring(), s.people(), List.of(
            bridged(room(p, COOP), Direction.BOTH),
            bridged(room(p, ANNOUNCEMENTS), p.equals(announcer) ? Direction.IN : Direction.OUT))));
      }
    }
    Relay built = builder.build();
    relay = built;
    watching = monitor.watch(built.events());
    return built.start();
  }

  private static Room bridged(Room room, Direction direction) {
    return new Room(room.platform(), room.channelId(), room.name(), room.bridge(), direction, true);
  }

  private PlatformWiring wiring(String platform) {
    PlatformWiring w = wirings.get(platform);
    if (w == null) {
      throw new IllegalArgumentException("this app has no platform " + platform + "; it has " + wirings.keySet());
    }
    return w;
  }

  private Setup setup(String platform) {
    wiring(platform);
    Setup s = setups.get(platform);
    if (s == null) {
      throw new IllegalStateException("the rooms of " + platform + " are not created yet; call start() first");
    }
    return s;
  }

  private String configJson() {
    ObjectNode root = json.createObjectNode();
    Relay r = relay;
    root.put("relayId", r == null ? null : r.id());
    ArrayNode platforms = root.putArray("platforms");
    for (PlatformWiring w : wirings.values()) {
      Setup s = setups.get(w.platform());
      if (s == null) {
        continue;
      }
      ObjectNode p = platforms.addObject();
      p.put("platform", w.platform());
      p.put("label", w.label());
      p.put("connectorId", w.connectorId());
      p.put("bridged", s.rooms().stream().anyMatch(Room::bridged));
      p.put("emulatorUrl", sandbox.baseUrl(w.platform()));
      p.put("running", sandbox.isRunning(w.platform()));
      p.set("people", json.valueToTree(s.people()));
      p.set("rooms", json.valueToTree(s.rooms()));
    }
    return json.writeValueAsString(root);
  }

  @Override
  public String toString() {
    return "SandboxApp[" + (pageUrl == null ? "not started" : pageUrl) + ", " + wirings.keySet() + "]";
  }

  /** Configures a {@link SandboxApp}; not thread-safe. */
  public static final class Builder {
    private final Set<String> platforms = new LinkedHashSet<>();
    private final Map<String, Integer> emulatorPorts = new LinkedHashMap<>();
    private String host = "127.0.0.1";
    private int port;
    private @Nullable String relayId;
    private boolean withRelay = true;

    private Builder() {}

    /** The page server's port; default 0, any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The interface the page and the emulators listen on; default {@code 127.0.0.1}. The emulators
     * check no real credentials, so keep it on loopback unless you know who can reach the machine.
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be an interface name or address, e.g. 127.0.0.1");
      }
      this.host = host;
      return this;
    }

    /** Only these platforms (of telegram, discord, slack, matrix); default all four. */
    public Builder platforms(String... names) {
      List<String> known = new ArrayList<>();
      Wirings.all().forEach(w -> known.add(w.platform()));
      for (String name : names) {
        if (!known.contains(name)) {
          throw new IllegalArgumentException("unknown platform " + name + "; pick from " + known);
        }
        platforms.add(name);
      }
      return this;
    }

    /** A fixed port for one platform's emulator (0: any free port, the default). */
    public Builder emulatorPort(String platform, int port) {
      Objects.requireNonNull(platform, "platform");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
      }
      emulatorPorts.put(platform, port);
      return this;
    }

    /** The relay's id (in the origin marker of everything it sends); default {@code sandbox}. */
    public Builder relayId(String id) {
      this.relayId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Whether the app runs its relay (default true). Without it the app only hosts the emulators,
     * people and rooms, for tests that run relays of their own ({@link SandboxApp#newConnector}).
     */
    public Builder relay(boolean enabled) {
      this.withRelay = enabled;
      return this;
    }

    /** The app; nothing listens until {@link SandboxApp#start()}. */
    public SandboxApp build() {
      return new SandboxApp(this);
    }
  }
}
