package coop.relay.slack.internal;

import coop.relay.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * Decoding Socket Mode {@code events_api} envelopes into the relay's events: the connector's hot
 * inbound path, once per Slack event.
 *
 * <p>The connector reads each frame in one streaming pass ({@link WireReader}) that keeps only the
 * fields the bridge uses and skips the rest, such as the {@code blocks} Slack adds to every person's
 * message, its {@code bot_profile} and {@code attachments}, without building them. The baseline is
 * the obvious way: {@code readTree} the whole frame into a {@code JsonNode} tree, then pick the same
 * fields out of it. Both feed the same {@link EventDecoder}, so the difference is the reading. The
 * envelopes are a person's message with rich-text blocks, an edit, a reaction and a bot's post with
 * legacy attachments, cycled.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar SlackDecodeBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SlackDecodeBenchmark {
  private static final String BLOCKS = "[{\"type\":\"rich_text\",\"block_id\":\"Xy1\",\"elements\":[{\"type\":"
      + "\"rich_text_section\",\"elements\":[{\"type\":\"text\",\"text\":\"Meeting at \"},{\"type\":\"text\","
      + "\"text\":\"10:00\",\"style\":{\"bold\":true}},{\"type\":\"text\",\"text\":\" in \"},{\"type\":\"link\","
      + "\"url\":\"https://example.org/room\",\"text\":\"the room\"},{\"type\":\"text\",\"text\":\", ask \"},"
      + "{\"type\":\"user\",\"user_id\":\"U0ABCDEF12\"},{\"type\":\"emoji\",\"name\":\"tada\",\"unicode\":\"1f389\"}]}]}]";
  private static final String MESSAGE = "{\"client_msg_id\":\"5b2f6c9e-7d1a-4c55-9a63-1f0e6d2b7c41\",\"type\":\"message\","
      + "\"text\":\"Meeting at *10:00* in <https://example.org/room|the room>, ask <@U0ABCDEF12> :tada:\","
      + "\"user\":\"U0AUTHOR01\",\"ts\":\"1700000001.000100\",\"blocks\":" + BLOCKS + ",\"team\":\"T0TEAM0001\","
      + "\"channel\":\"C0CHANNEL1\",\"event_ts\":\"1700000001.000100\",\"channel_type\":\"channel\"}";
  private static final String EDIT = "{\"type\":\"message\",\"subtype\":\"message_changed\",\"message\":{\"client_msg_id\":"
      + "\"5b2f6c9e-7d1a-4c55-9a63-1f0e6d2b7c41\",\"type\":\"message\",\"text\":\"Meeting at *11:00*\",\"user\":"
      + "\"U0AUTHOR01\",\"team\":\"T0TEAM0001\",\"edited\":{\"user\":\"U0AUTHOR01\",\"ts\":\"1700000050.000000\"},"
      + "\"blocks\":" + BLOCKS + ",\"ts\":\"1700000001.000100\",\"source_team\":\"T0TEAM0001\",\"user_team\":"
      + "\"T0TEAM0001\"},\"previous_message\":{\"client_msg_id\":\"5b2f6c9e-7d1a-4c55-9a63-1f0e6d2b7c41\",\"type\":"
      + "\"message\",\"text\":\"Meeting at *10:00*\",\"user\":\"U0AUTHOR01\",\"ts\":\"1700000001.000100\",\"team\":"
      + "\"T0TEAM0001\",\"blocks\":" + BLOCKS + "},\"channel\":\"C0CHANNEL1\",\"hidden\":true,\"ts\":"
      + "\"1700000050.000200\",\"event_ts\":\"1700000050.000200\",\"channel_type\":\"channel\"}";
  private static final String REACTION = "{\"type\":\"reaction_added\",\"user\":\"U0AUTHOR02\",\"reaction\":\"+1\","
      + "\"item\":{\"type\":\"message\",\"channel\":\"C0CHANNEL1\",\"ts\":\"1700000001.000100\"},\"item_user\":"
      + "\"U0AUTHOR01\",\"event_ts\":\"1700000060.000300\"}";
  private static final String BOT = "{\"type\":\"message\",\"subtype\":\"bot_message\",\"text\":\"Build #42 passed\","
      + "\"ts\":\"1700000070.000400\",\"username\":\"CI\",\"icons\":{\"image_48\":\"https://example.org/ci48.png\","
      + "\"image_72\":\"https://example.org/ci72.png\"},\"bot_id\":\"B0CIBOT001\",\"app_id\":\"A0CIAPP001\","
      + "\"bot_profile\":{\"id\":\"B0CIBOT001\",\"deleted\":false,\"name\":\"CI\",\"updated\":1690000000,\"app_id\":"
      + "\"A0CIAPP001\",\"icons\":{\"image_36\":\"https://example.org/ci36.png\",\"image_48\":"
      + "\"https://example.org/ci48.png\",\"image_72\":\"https://example.org/ci72.png\"},\"team_id\":\"T0TEAM0001\"},"
      + "\"attachments\":[{\"id\":1,\"color\":\"36a64f\",\"fallback\":\"Build #42 passed\",\"title\":\"Build #42\","
      + "\"title_link\":\"https://ci.example.org/42\",\"text\":\"All 1,204 tests passed in 3m 12s\",\"fields\":[{\"title\":"
      + "\"Branch\",\"value\":\"main\",\"short\":true},{\"title\":\"Commit\",\"value\":\"9ae7c4f\",\"short\":true}],"
      + "\"footer\":\"CI\",\"ts\":1700000069}],\"channel\":\"C0CHANNEL1\",\"event_ts\":\"1700000070.000400\","
      + "\"channel_type\":\"channel\"}";

  private byte[][] envelopes;
  private EventDecoder decoder;
  private int next;

  @Setup
  public void setUp() {
    List<String> events = List.of(MESSAGE, EDIT, REACTION, BOT);
    envelopes = new byte[events.size()][];
    for (int i = 0; i < events.size(); i++) {
      String callback = "{\"token\":\"XXYYZZ\",\"team_id\":\"T0TEAM0001\",\"context_team_id\":\"T0TEAM0001\","
          + "\"api_app_id\":\"A0RELAY001\",\"event\":" + events.get(i) + ",\"type\":\"event_callback\",\"event_id\":"
          + "\"Ev0" + i + "ABCDEF\",\"event_time\":1700000001,\"authorizations\":[{\"enterprise_id\":null,\"team_id\":"
          + "\"T0TEAM0001\",\"user_id\":\"U0RELAYBOT\",\"is_bot\":true,\"is_enterprise_install\":false}],"
          + "\"is_ext_shared_channel\":false,\"event_context\":\"4-eyJldCI6Im1lc3NhZ2UifQ\"}";
      envelopes[i] = ("{\"envelope_id\":\"3c7e0b5a-1d2f-4e6a-8b9c-0d1e2f3a4b5c\",\"payload\":" + callback
          + ",\"type\":\"events_api\",\"accepts_response_payload\":false,\"retry_attempt\":0,\"retry_reason\":\"\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
    decoder = new EventDecoder("sl", "relay-1", new SelfIdentity("U0RELAYBOT", "B0RELAYBOT", "A0RELAY001", "T0TEAM0001"),
        MrkdwnParser.withoutNames("sl"), (id, url) -> { });
    for (byte[] envelope : envelopes) {
      if (!decode(envelope).getClass().equals(baseline(envelope).getClass())) {
        throw new IllegalStateException("the baseline decodes differently from the connector");
      }
    }
  }

  @Benchmark
  public Decoded decodeStreaming() {
    return decode(envelopes[next++ & 3]);
  }

  @Benchmark
  public Decoded baselineReadTree() {
    return baseline(envelopes[next++ & 3]);
  }

  private Decoded decode(byte[] envelope) {
    Callback payload = WireReader.readFrame(envelope).payload();
    return decoder.decode(payload == null ? new Callback(null, null, null, null, null) : payload);
  }

  private Decoded baseline(byte[] envelope) {
    JsonNode frame = Json.mapper().readTree(envelope);
    JsonNode payload = frame.path("payload");
    JsonNode event = payload.get("event");
    return decoder.decode(new Callback(text(payload, "type"), text(payload, "event_id"), text(payload, "challenge"),
        text(payload, "api_app_id"), event == null || !event.isObject() ? null : event(event, 0)));
  }

  private static SlackEvent event(JsonNode e, int depth) {
    JsonNode message = e.get("message");
    JsonNode previous = e.get("previous_message");
    JsonNode edited = e.path("edited");
    JsonNode botProfile = e.path("bot_profile");
    JsonNode profile = e.path("user_profile");
    JsonNode metadata = e.path("metadata");
    JsonNode item = e.path("item");
    List<SlackFile> files = new ArrayList<>();
    for (JsonNode file : e.path("files")) {
      String download = text(file, "url_private_download");
      files.add(new SlackFile(text(file, "id"), text(file, "name"), text(file, "title"), text(file, "mimetype"),
          file.path("size").asLong(-1), text(file, "permalink"), download != null ? download : text(file, "url_private")));
    }
    String profileName = text(profile, "display_name");
    return new SlackEvent(text(e, "type"), text(e, "subtype"), text(e, "channel"), text(e, "user"), text(e, "bot_id"),
        text(e, "app_id"), text(e, "username"), text(e, "text"), text(e, "ts"), text(e, "thread_ts"),
        text(e, "event_ts"), e.path("hidden").asBoolean(false), text(e, "deleted_ts"), text(edited, "user"),
        text(edited, "ts"), icon(e.path("icons")), text(botProfile, "name"), icon(botProfile.path("icons")),
        profileName != null ? profileName : text(profile, "real_name"), text(profile, "image_72"),
        text(metadata, "event_type"), text(metadata.path("event_payload"), "origin"), files,
        message != null && message.isObject() && depth == 0 ? event(message, 1) : null,
        previous != null && previous.isObject() && depth == 0 ? event(previous, 1) : null,
        text(item, "type"), text(item, "channel"), text(item, "ts"), text(e, "reaction"));
  }

  private static @Nullable String icon(JsonNode icons) {
    String i72 = text(icons, "image_72");
    if (i72 != null) {
      return i72;
    }
    for (String size : new String[] {"image_48", "image_64", "image_36"}) {
      String other = text(icons, size);
      if (other != null) {
        return other;
      }
    }
    return null;
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      return value != null && value.isNumber() ? value.asString() : null;
    }
    String s = value.stringValue();
    return s.isEmpty() ? null : s;
  }
}
