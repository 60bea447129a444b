package coop.relay.telegram.internal;

import coop.relay.api.event.InboundEvent;
import coop.relay.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * Decoding one {@code getUpdates} answer into Relay's inbound events: a batch of 16 updates recorded
 * from the Telegram emulator ({@code telegram/getUpdates.json}: formatted messages with nested
 * entities and astral characters, a reply, a forum topic, a photo, a document, an edit and two
 * reactions).
 *
 * <p>{@link #decode} is the connector's path: the answer is bound straight into records, and only a
 * malformed batch is read again as a tree. {@link #baselineReadTree} is the obvious tolerant
 * design: {@code readTree} the answer, then bind each update from its tree node (so one bad update
 * cannot spoil the batch). Both end in the same events; the difference is the tree in between.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar TelegramDecodeBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TelegramDecodeBenchmark {
  /** The emulator's bot; none of the recorded updates is its own. */
  private static final long BOT_ID = 123456;

  private final UpdateDecoder decoder = new UpdateDecoder("tg");
  private byte[] batch = new byte[0];

  @Setup
  public void load() {
    try (InputStream in = Objects.requireNonNull(
        TelegramDecodeBenchmark.class.getResourceAsStream("/telegram/getUpdates.json"), "telegram/getUpdates.json")) {
      batch = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int decoded = events(decode());
    int baseline = events(baselineReadTree());
    if (decoded != baseline || decoded < 16) {
      throw new IllegalStateException("the two decoders disagree: " + decoded + " vs " + baseline + " events");
    }
  }

  @Benchmark
  public UpdateDecoder.Batch decode() {
    return decoder.decodeBatch(batch, BOT_ID);
  }

  @Benchmark
  public UpdateDecoder.Batch baselineReadTree() {
    JsonNode root = Json.mapper().readTree(batch);
    List<UpdateDecoder.Decoded> updates = new ArrayList<>();
    long next = -1;
    for (JsonNode element : root.get("result")) {
      Wire.Update update = Json.mapper().treeToValue(element, Wire.Update.class);
      next = Math.max(next, update.updateId() + 1);
      UpdateDecoder.Decoded decoded = decoder.decode(update, BOT_ID);
      if (decoded != null) {
        updates.add(decoded);
      }
    }
    return new UpdateDecoder.Batch(updates, next);
  }

  private static int events(UpdateDecoder.Batch batch) {
    int count = 0;
    for (UpdateDecoder.Decoded update : batch.updates()) {
      for (InboundEvent ignored : update.events()) {
        count++;
      }
    }
    return count;
  }
}
