package coop.relay.samples.sandbox;

import java.io.PrintStream;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The README's run command: {@code ./mvnw -q -B -Prun -pl samples/sandbox -am package -DskipTests}.
 * Starts the {@link SandboxApp} with its page on port 8088 (or {@code -Drelay.sandbox.port=N}; a
 * free port if that one is taken), prints the page's URL and runs until Ctrl-C, which stops the
 * relay gracefully.
 */
public final class SandboxMain {
  private static final int DEFAULT_PORT = 8088;

  private SandboxMain() {}

  /** Runs the sandbox until the JVM is asked to stop. */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    int port = Integer.getInteger("relay.sandbox.port", DEFAULT_PORT);
    SandboxApp app = start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("Stopping the sandbox (the relay drains its deliveries first)...");
      app.close();
      stopped.countDown();
    }, "sandbox-shutdown"));
    out.println();
    out.println("Relay sandbox is running. Open " + app.pageUrl());
    out.println("Bridged: " + (app.bridgedPlatforms().isEmpty() ? "nothing yet (no connector is available)"
        : String.join(", ", app.bridgedPlatforms())) + ". Press Ctrl-C to stop.");
    stopped.await();
  }

  private static SandboxApp start(int port) {
    SandboxApp app = SandboxApp.builder().port(port).build();
    try {
      app.start().block(Duration.ofMinutes(2));
      return app;
    } catch (RuntimeException e) {
      app.close();
      if (port != 0 && isBindFailure(e)) {
        System.err.println("Port " + port + " is taken; using a free one instead.");
        return start(0);
      }
      throw e;
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
