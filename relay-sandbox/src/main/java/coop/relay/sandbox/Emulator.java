package coop.relay.sandbox;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * One platform emulator, hosted by {@link RelaySandbox} on its own HTTP server.
 *
 * <p>Test authors use {@link #platform()} and {@link #control()}; the remaining methods are the
 * plug-in contract between an emulator and the sandbox host. An emulator keeps its state (users,
 * channels, messages, pending updates) in memory for its whole life: stopping and starting its server
 * does not lose anything, which is how the sandbox shows reconnect and catch-up.
 *
 * <p>Every platform emulator plugs in the same way: it lives in {@code coop.relay.sandbox.<platform>},
 * implements this interface, and serves its wire protocol from {@link #routes(HttpServerRoutes)}. The
 * host adds the shared control API under {@link SandboxControl#HTTP_PREFIX} itself, so emulators
 * must not register routes below that prefix except for platform-specific control actions under
 * {@code /_sandbox/<platform>/}.
 */
public interface Emulator {

  /**
   * The platform's short lowercase name, e.g. {@code telegram}; unique within one sandbox and used
   * as the key in {@link RelaySandbox#baseUrl(String)} and in the control API's JSON.
   */
  String platform();

  /**
   * The control API of this emulator. It works whether or not the emulator's server is running (only
   * its HTTP form needs the server), so a test can prepare users and channels before starting it.
   */
  SandboxControl control();

  /**
   * Registers the platform's wire routes. Called each time the server (re)starts, on a fresh
   * {@code routes} object; must not block.
   */
  void routes(HttpServerRoutes routes);

  /**
   * Called once the server is bound, with its base URL (e.g. {@code http://127.0.0.1:41234}), before
   * {@link RelaySandbox#start()} completes. Emulators resume background work here (webhook pushes).
   */
  default void started(String baseUrl) {}

  /**
   * Called before the server is stopped. Emulators release held requests and pause background work
   * here; the returned {@code Mono} completes when they did. The default does nothing.
   */
  default Mono<Void> stopping() {
    return Mono.empty();
  }
}
