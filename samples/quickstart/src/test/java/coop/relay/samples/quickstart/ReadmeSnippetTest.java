package coop.relay.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README's quickstart snippet compiling against the real API. */
class ReadmeSnippetTest {
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet:quickstart[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void quickstartSnippetCompiles(@TempDir Path out) throws IOException {
    String snippet = snippet(readme());
    String source = """
        import coop.relay.api.*;
        import coop.relay.core.*;
        import coop.relay.discord.*;
        import coop.relay.matrix.*;
        import coop.relay.slack.*;
        import coop.relay.telegram.*;
        import coop.relay.testkit.*;

        class ReadmeQuickstart {
          void run() {
        %s
          }
        }
        """.formatted(snippet);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///ReadmeQuickstart.java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    boolean compiled = compiler.getTask(null, null, diagnostics,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"),
        null, List.of(file)).call();

    assertThat(diagnostics.getDiagnostics())
        .filteredOn(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .extracting(d -> d.getMessage(Locale.ROOT))
        .isEmpty();
    assertThat(compiled).isTrue();
  }

  private static String snippet(String readme) {
    Matcher matcher = SNIPPET.matcher(readme);
    assertThat(matcher.find()).as("README.md has a quickstart snippet").isTrue();
    return matcher.group(1);
  }

  private static String readme() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("README.md");
      if (Files.exists(candidate) && Files.readString(candidate, StandardCharsets.UTF_8).contains("snippet:quickstart")) {
        return Files.readString(candidate, StandardCharsets.UTF_8);
      }
    }
    throw new IllegalStateException("README.md with the quickstart snippet not found above " + Path.of("").toAbsolutePath());
  }
}
