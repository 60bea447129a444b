package coop.relay.sandbox;

import coop.relay.sandbox.internal.EmulatorServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a set of platform emulators in-process, each on its own HTTP server on a free port of the
 * loopback interface, and hands out their base URLs and control APIs.
 *
 * <pre>{@code
 * try (RelaySandbox sandbox = RelaySandbox.builder()
 *     .emulator(TelegramEmulator.builder().bot("123456:sandbox-secret", "relay_bot").build())
 *     .build()) {
 *   sandbox.start().block();
 *   String telegramUrl = sandbox.baseUrl("telegram");   // point TelegramConnector.baseUrl at it
 *   SandboxControl telegram = sandbox.control("telegram");
 *   ...
 * }
 * }</pre>
 *
 * <p>A single emulator can be stopped and started again ({@link #stop(String)}, {@link
 * #start(String)}): it comes back on the same port with all its state, so clients see a platform
 * outage and then catch up. Thread-safe.
 */
public final class RelaySandbox implements AutoCloseable {

  private final Map<String, EmulatorServer> servers;

  private RelaySandbox(Map<String, EmulatorServer> servers) {
    this.servers = servers;
  }

  /** A builder with no emulators, listening on {@code 127.0.0.1}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every emulator that is not running. Emits nothing and completes when all are bound; fails
   * if a server cannot bind (e.g. a fixed port is taken), leaving the others as they are. Cancelling
   * may leave some servers started; {@link #stop()} stops them.
   */
  public Mono<Void> start() {
    return Flux.fromIterable(servers.values()).concatMap(EmulatorServer::start).then();
  }

  /**
   * Starts the emulator of {@code platform} if it is not running, on the port it had before (or the
   * one it was configured with). Completes when it is bound.
   *
   * @throws IllegalArgumentException (on subscription) if the sandbox has no such emulator
   */
  public Mono<Void> start(String platform) {
    return Mono.defer(() -> server(platform).start());
  }

  /**
   * Stops the emulator of {@code platform}: its server closes every connection and stops listening,
   * while its state is kept for a later {@link #start(String)}. Completes when it is down.
   */
  public Mono<Void> stop(String platform) {
    return Mono.defer(() -> server(platform).stop());
  }

  /** Stops every running emulator; completes when all are down. Safe to call more than once. */
  public Mono<Void> stop() {
    return Flux.fromIterable(servers.values()).flatMap(EmulatorServer::stop).then();
  }

  /** Stops every emulator and waits for it (for try-with-resources in tests). */
  @Override
  public void close() {
    for (EmulatorServer server : servers.values()) {
      server.stopNow();
    }
  }

  /** Whether the emulator of {@code platform} is running. */
  public boolean isRunning(String platform) {
    return server(platform).isRunning();
  }

  /**
   * The base URL of the emulator of {@code platform}, e.g. {@code http://127.0.0.1:41234}; platform
   * paths ({@code /bot<token>/getMe}) and the control API ({@code /_sandbox}) are below it.
   *
   * @throws IllegalStateException if that emulator was never started
   * @throws IllegalArgumentException if the sandbox has no such emulator
   */
  public String baseUrl(String platform) {
    return server(platform).baseUrl();
  }

  /** The in-process control API of the emulator of {@code platform}. */
  public SandboxControl control(String platform) {
    return server(platform).emulator().control();
  }

  /** The platforms of this sandbox, in the order they were added. */
  public List<String> platforms() {
    return List.copyOf(servers.keySet());
  }

  /**
   * The emulator of type {@code type}, e.g. {@code sandbox.emulator(TelegramEmulator.class)}, for its
   * platform-specific controls.
   *
   * @throws IllegalArgumentException if the sandbox has no emulator of that type
   */
  public <T extends Emulator> T emulator(Class<T> type) {
    for (EmulatorServer server : servers.values()) {
      if (type.isInstance(server.emulator())) {
        return type.cast(server.emulator());
      }
    }
    throw new IllegalArgumentException(
        "this sandbox has no " + type.getSimpleName() + "; add one with RelaySandbox.builder().emulator(...)");
  }

  private EmulatorServer server(String platform) {
    EmulatorServer server = servers.get(platform);
    if (server == null) {
      throw new IllegalArgumentException(
          "this sandbox has no \"" + platform + "\" emulator; it has " + servers.keySet());
    }
    return server;
  }

  @Override
  public String toString() {
    return "RelaySandbox" + servers.values();
  }

  /** Configures a {@link RelaySandbox}; not thread-safe. */
  public static final class Builder {
    private final List<Emulator> emulators = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String host = "127.0.0.1";

    private Builder() {}

    /** Adds an emulator on a free port. */
    public Builder emulator(Emulator emulator) {
      return emulator(emulator, 0);
    }

    /**
     * Adds an emulator on a fixed {@code port} (0 for a free one), e.g. for a sandbox a person opens
     * in a browser.
     */
    public Builder emulator(Emulator emulator, int port) {
      Objects.requireNonNull(emulator, "emulator");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
      }
      if (ports.containsKey(emulator.platform())) {
        throw new IllegalArgumentException(
            "a \"" + emulator.platform() + "\" emulator is already added; a sandbox runs one per platform");
      }
      emulators.add(emulator);
      ports.put(emulator.platform(), port);
      return this;
    }

    /**
     * The interface to listen on; default {@code 127.0.0.1}. Use {@code 0.0.0.0} only to reach the
     * sandbox from another machine: emulators check no real credentials.
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must be an interface name or address, e.g. 127.0.0.1");
      }
      this.host = host;
      return this;
    }

    /**
     * Builds the sandbox; nothing listens until {@link RelaySandbox#start()}.
     *
     * @throws IllegalStateException if no emulator was added
     */
    public RelaySandbox build() {
      if (emulators.isEmpty()) {
        throw new IllegalStateException(
            "add at least one emulator, e.g. .emulator(TelegramEmulator.builder().bot(token, name).build())");
      }
      Map<String, EmulatorServer> servers = new LinkedHashMap<>();
      for (Emulator emulator : emulators) {
        servers.put(emulator.platform(), new EmulatorServer(emulator, host, ports.get(emulator.platform())));
      }
      return new RelaySandbox(Collections.unmodifiableMap(servers));
    }
  }
}
