package coop.relay.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JMH JSON result and prints, for every benchmark class, each measured method against its
 * {@code baseline…} sibling with the same parameters: the time ratio and the allocation ratio.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar coop.relay.benchmarks.RatioReport
 * benchmarks/results/jmh-result.json}; it also writes {@code ratios.md} next to the JSON.
 */
public final class RatioReport {
  private record Row(String benchmark, String params, double nanos, double nanosError, double bytes) {}

  private RatioReport() {}

  public static void main(String[] args) throws IOException {
    Path json = Path.of(args.length > 0 ? args[0] : "benchmarks/results/jmh-result.json");
    String report = report(Files.readString(json, StandardCharsets.UTF_8));
    PrintStream out = System.out;
    out.print(report);
    Files.writeString(json.resolveSibling("ratios.md"), report, StandardCharsets.UTF_8);
  }

  static String report(String jmhJson) {
    JsonNode results = JsonMapper.builder().build().readTree(jmhJson);
    Map<String, Row> rows = new LinkedHashMap<>();
    for (JsonNode result : results) {
      String benchmark = result.get("benchmark").asString();
      String params = result.has("params") ? result.get("params").toString() : "";
      JsonNode primary = result.get("primaryMetric");
      JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm");
      rows.put(benchmark + params, new Row(benchmark, params, primary.get("score").asDouble(),
          primary.get("scoreError").asDouble(), alloc.isMissingNode() ? Double.NaN : alloc.get("score").asDouble()));
    }
    StringBuilder out = new StringBuilder("| benchmark | params | ns/op | baseline ns/op | time ratio | B/op | baseline B/op | bytes ratio |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    List<Row> measured = new ArrayList<>();
    rows.values().stream().filter(r -> !method(r.benchmark).startsWith("baseline")).forEach(measured::add);
    for (Row row : measured) {
      String prefix = row.benchmark.substring(0, row.benchmark.lastIndexOf('.') + 1);
      Row baseline = rows.values().stream()
          .filter(r -> r.benchmark.startsWith(prefix) && method(r.benchmark).startsWith("baseline")
              && r.params.equals(row.params))
          .findFirst().orElse(null);
      if (baseline == null) {
        continue;
      }
      out.append(String.format(java.util.Locale.ROOT,
          "| %s | %s | %.1f ± %.1f | %.1f ± %.1f | %.2f× faster | %.0f | %.0f | %s |%n",
          row.benchmark.substring(row.benchmark.lastIndexOf('.', row.benchmark.lastIndexOf('.') - 1) + 1),
          row.params, row.nanos, row.nanosError, baseline.nanos, baseline.nanosError, baseline.nanos / row.nanos,
          row.bytes, baseline.bytes,
          row.bytes < 1 ? "0 B/op" : String.format(java.util.Locale.ROOT, "1/%.1f", baseline.bytes / row.bytes)));
    }
    return out.toString();
  }

  private static String method(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }
}
