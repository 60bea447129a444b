package coop.relay.matrix.internal;

import coop.relay.api.event.InboundEvent;
import coop.relay.support.BoundedMap;
import coop.relay.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Decoding one {@code /sync} answer into the relay's inbound events: 20 rooms with 10 timeline events
 * each (HTML messages, plain messages, replies, reactions, redactions, edits, membership), next to
 * what a homeserver sends besides (presence, account data, receipts and typing, device lists, unread
 * counts, state).
 *
 * <p>The connector reads the answer into small records ({@link SyncResponse}): the parser skips every
 * part the relay does not need without building it, and only events become JSON trees (so that one
 * malformed event is skipped alone). The baseline is the obvious way: {@code readTree} of the whole
 * answer, then walking the tree to the same events, decoded by the same {@link EventDecoder}.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar MatrixDecodeBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatrixDecodeBenchmark {
  private static final int ROOMS = 20;
  private static final int EVENTS_PER_ROOM = 10;

  private byte[] body;
  private EventDecoder decoder;

  @Setup
  public void setUp() {
    body = syncAnswer().getBytes(StandardCharsets.UTF_8);
    decoder = new EventDecoder("mx", "relay", user -> user.equals("@bot:example.org"), new MemberDirectory(10_000),
        new BoundedMap<>(10_000), new HtmlParser("mx"));
    // Both ways must produce the same events, or the comparison means nothing.
    List<InboundEvent> decoded = decode();
    if (decoded.size() < ROOMS * EVENTS_PER_ROOM * 9 / 10 || !decoded.equals(baselineReadTree())) {
      throw new IllegalStateException("decode() and baselineReadTree() disagree: " + decoded.size() + " events");
    }
  }

  /** The connector's way: records for the envelope, trees only for events. */
  @Benchmark
  public List<InboundEvent> decode() {
    SyncResponse response = SyncResponse.read(body);
    List<InboundEvent> out = new ArrayList<>();
    for (Map.Entry<String, SyncResponse.JoinedRoom> room : response.joined().entrySet()) {
      decodeAll(room.getKey(), SyncResponse.events(room.getValue().state()), out);
      decodeAll(room.getKey(), SyncResponse.events(room.getValue().timeline()), out);
    }
    return out;
  }

  /** The obvious way: the whole answer as one tree, walked to the events. */
  @Benchmark
  public List<InboundEvent> baselineReadTree() {
    JsonNode tree = Json.mapper().readTree(body);
    List<InboundEvent> out = new ArrayList<>();
    JsonNode join = tree.path("rooms").path("join");
    for (String roomId : join.propertyNames()) {
      JsonNode room = join.get(roomId);
      List<JsonNode> events = new ArrayList<>();
      room.path("state").path("events").forEach(events::add);
      room.path("timeline").path("events").forEach(events::add);
      decodeAll(roomId, events, out);
    }
    return out;
  }

  private void decodeAll(String roomId, List<JsonNode> events, List<InboundEvent> out) {
    for (JsonNode node : events) {
      Optional<RawEvent> event = Json.convertOrSkip(node, RawEvent.class, "benchmark event");
      if (event.isPresent()) {
        InboundEvent decoded = decoder.decode(roomId, event.get());
        if (decoded != null) {
          out.add(decoded);
        }
      }
    }
  }

  private static String syncAnswer() {
    StringBuilder json = new StringBuilder(256 * 1024);
    json.append("{\"next_batch\":\"s72595_4483_1934\",");
    json.append("\"presence\":{\"events\":[");
    for (int i = 0; i < 30; i++) {
      json.append(i == 0 ? "" : ",").append("{\"type\":\"m.presence\",\"sender\":\"@user").append(i)
          .append(":example.org\",\"content\":{\"presence\":\"online\",\"last_active_ago\":").append(1000 * i)
          .append(",\"currently_active\":true,\"status_msg\":\"working on the relay\"}}");
    }
    json.append("]},\"account_data\":{\"events\":[{\"type\":\"m.push_rules\",\"content\":{\"global\":{\"content\":[],"
        + "\"override\":[],\"room\":[],\"sender\":[],\"underride\":[]}}}]},");
    json.append("\"device_lists\":{\"changed\":[\"@alice:example.org\"],\"left\":[]},"
        + "\"device_one_time_keys_count\":{\"signed_curve25519\":50},");
    json.append("\"rooms\":{\"join\":{");
    for (int r = 0; r < ROOMS; r++) {
      String room = "!room" + r + ":example.org";
      json.append(r == 0 ? "" : ",").append('"').append(room).append("\":{");
      json.append("\"summary\":{\"m.joined_member_count\":42,\"m.invited_member_count\":0},");
      json.append("\"unread_notifications\":{\"highlight_count\":0,\"notification_count\":7},");
      json.append("\"ephemeral\":{\"events\":[{\"type\":\"m.typing\",\"content\":{\"user_ids\":[\"@bob:example.org\"]}},"
          + "{\"type\":\"m.receipt\",\"content\":{\"$e1:example.org\":{\"m.read\":{\"@bob:example.org\":{\"ts\":1}}}}}]},");
      json.append("\"state\":{\"events\":[").append(member(room, "@alice:example.org", "Alice", 0)).append(',')
          .append(member(room, "@bob:example.org", "Bob", 1)).append("]},");
      json.append("\"timeline\":{\"limited\":false,\"prev_batch\":\"t34-23535_0_0\",\"events\":[");
      for (int e = 0; e < EVENTS_PER_ROOM; e++) {
        json.append(e == 0 ? "" : ",").append(event(room, r, e));
      }
      json.append("]}}");
    }
    json.append("}}}");
    return json.toString();
  }

  private static String member(String room, String user, String name, int n) {
    return "{\"type\":\"m.room.member\",\"event_id\":\"$member" + n + room.hashCode() + ":example.org\",\"sender\":\""
        + user + "\",\"state_key\":\"" + user + "\",\"origin_server_ts\":1700000000000,\"content\":{\"membership\":"
        + "\"join\",\"displayname\":\"" + name + "\",\"avatar_url\":\"mxc://example.org/" + name + "\"},"
        + "\"unsigned\":{\"age\":1234}}";
  }

  private static String event(String room, int r, int e) {
    String id = "$ev" + r + "_" + e + ":example.org";
    String sender = e % 2 == 0 ? "@alice:example.org" : "@bob:example.org";
    String head = "{\"event_id\":\"" + id + "\",\"sender\":\"" + sender + "\",\"origin_server_ts\":"
        + (1700000000000L + e) + ",\"unsigned\":{\"age\":" + (100 * e) + "},";
    return switch (e % 5) {
      case 0 -> head + "\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"Meeting at 10:00 in the"
          + " room, see https://example.org/agenda\",\"format\":\"org.matrix.custom.html\",\"formatted_body\":\"Meeting at"
          + " <strong>10:00</strong> in <a href=\\\"https://matrix.to/#/" + room + "\\\">the room</a>, see <a href=\\\""
          + "https://example.org/agenda\\\">the agenda</a><br>with <code>code()</code>\",\"m.mentions\":{}}}";
      case 1 -> head + "\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"> <@alice:example.org>"
          + " question\\n\\nthe answer, plainly\",\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$ev" + r
          + "_0:example.org\"}}}}";
      case 2 -> head + "\"type\":\"m.reaction\",\"content\":{\"m.relates_to\":{\"rel_type\":\"m.annotation\","
          + "\"event_id\":\"$ev" + r + "_0:example.org\",\"key\":\"\uD83D\uDC4D\"}}}";
      case 3 -> head + "\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"* better words\","
          + "\"m.new_content\":{\"msgtype\":\"m.text\",\"body\":\"better words\",\"format\":\"org.matrix.custom.html\","
          + "\"formatted_body\":\"<em>better</em> words\"},\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$ev"
          + r + "_1:example.org\"}}}";
      default -> head + "\"type\":\"m.room.redaction\",\"redacts\":\"$ev" + r + "_2:example.org\",\"content\":{\"redacts\":"
          + "\"$ev" + r + "_2:example.org\",\"reason\":\"oops\"}}";
    };
  }
}
