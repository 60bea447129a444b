package coop.relay.slack.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared specs by walking up from the working directory, as every module's tests do. */
final class SpecFiles {
  private SpecFiles() {}

  /** {@code shared/specs/slack}. */
  static Path slack() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared").resolve("specs");
      if (Files.isDirectory(candidate)) {
        return candidate.resolve("slack");
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no shared/specs above " + Path.of("").toAbsolutePath()
        + "; the Slack conformance tests need the specs checked out next to the project");
  }
}
