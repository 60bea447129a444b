package coop.relay.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import coop.relay.api.Attachment;
import coop.relay.api.event.ChannelEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Style;
import coop.relay.api.text.Styled;
import coop.relay.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every Events API sample of the Slack SDK ({@code shared/specs/slack/samples/events}, 96 payloads)
 * decodes without an exception and is classified: as shipped (placeholder values, so the bridged
 * kinds lack the ids they need and are skipped with a reason, everything else is ignored), and with
 * the placeholders filled in (then the bridged kinds are relayed as the matching event).
 */
class SampleEventsConformanceTest {
  private static final SelfIdentity SELF = new SelfIdentity("USELF", "BSELF", "ASELF", "T1");
  private static final String CHANNEL = "C0123456789";
  private static final String TS = "1700000000.000100";
  private static final String THREAD_TS = "1699999999.000200";

  /** The samples the bridge relays, by file, with the event they become once filled in. */
  private static final Map<String, Class<? extends ChannelEvent>> RELAYED = Map.of(
      "MessagePayload.json", MessageCreated.class,
      "MessageBotPayload.json", MessageCreated.class,
      "MessageMePayload.json", MessageCreated.class,
      "MessageFileSharePayload.json", MessageCreated.class,
      "MessageThreadBroadcastPayload.json", MessageCreated.class,
      "MessageChangedPayload.json", MessageEdited.class,
      "MessageDeletedPayload.json", MessageDeleted.class,
      "ReactionAddedPayload.json", ReactionAdded.class,
      "ReactionRemovedPayload.json", ReactionRemoved.class);

  private final Map<String, String> downloads = new HashMap<>();
  private final EventDecoder decoder = new EventDecoder("sl", "relay-1", SELF, MrkdwnParser.withoutNames("sl"),
      downloads::put);

  static Stream<Path> samples() throws IOException {
    return Files.list(SpecFiles.slack().resolve("samples").resolve("events"))
        .filter(p -> p.toString().endsWith(".json"))
        .sorted();
  }

  @Test
  void all96SamplesAreThere() throws IOException {
    assertThat(samples().count()).isEqualTo(96);
    assertThat(samples().map(p -> p.getFileName().toString())).containsAll(RELAYED.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleAsShippedIsIgnoredOrSkippedWithAReason(Path sample) throws IOException {
    byte[] bytes = Files.readAllBytes(sample);
    String name = sample.getFileName().toString();

    Decoded decoded = decode(bytes);

    if (RELAYED.containsKey(name)) {
      // The placeholders are empty strings: no channel, ts or user to relay with.
      assertThat(decoded).as(name).isInstanceOf(Decoded.Skipped.class);
      assertThat(((Decoded.Skipped) decoded).reason()).as(name).containsAnyOf("channel", "ts", "user", "author");
    } else {
      assertThat(decoded).as(name).isInstanceOf(Decoded.Ignored.class);
      assertThat(((Decoded.Ignored) decoded).reason()).as(name).isNotBlank();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleFilledInIsRelayedExactlyWhenTheBridgeCaresAboutIt(Path sample) throws IOException {
    String name = sample.getFileName().toString();
    byte[] bytes = fillIn(Files.readAllBytes(sample));

    Decoded decoded = decode(bytes);

    Class<? extends ChannelEvent> expected = RELAYED.get(name);
    if (expected == null) {
      assertThat(decoded).as(name).isInstanceOf(Decoded.Ignored.class);
      return;
    }
    assertThat(decoded).as(name).isInstanceOf(Decoded.Relayed.class);
    ChannelEvent event = ((Decoded.Relayed) decoded).event();
    assertThat(event).as(name).isInstanceOf(expected);
    assertThat(event.channel().channelId()).isEqualTo(CHANNEL);
    assertThat(event.channel().connectorId()).isEqualTo("sl");
  }

  @Test
  void samplesInSocketModeEnvelopesReadTheSame() throws IOException {
    for (Path sample : samples().toList()) {
      byte[] callback = fillIn(Files.readAllBytes(sample));
      String envelope = "{\"envelope_id\":\"e-1\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
          + "\"retry_attempt\":2,\"retry_reason\":\"timeout\",\"payload\":" + new String(callback) + "}";

      SocketFrame frame = WireReader.readFrame(envelope.getBytes());

      assertThat(frame.envelopeId()).isEqualTo("e-1");
      assertThat(frame.retryAttempt()).isEqualTo(2);
      assertThat(frame.payload()).as(sample.toString()).isEqualTo(WireReader.readCallback(callback));
    }
  }

  @Test
  void filledInDetailsComeThrough() throws IOException {
    MessageCreated plain = created("MessagePayload.json");
    assertThat(plain.message().ref().messageId()).isEqualTo(TS);
    assertThat(plain.message().text().plainText()).isEqualTo("hello world");
    assertThat(plain.message().threadRoot()).isNotNull();
    assertThat(plain.message().threadRoot().messageId()).isEqualTo(THREAD_TS);
    assertThat(plain.message().author().user().userId()).isEqualTo("U0123456789");

    MessageCreated bot = created("MessageBotPayload.json");
    assertThat(bot.message().author().bot()).isTrue();
    assertThat(bot.message().author().user().userId()).isEqualTo("B0123456789");

    MessageCreated me = created("MessageMePayload.json");
    assertThat(me.message().text().nodes()).singleElement().isInstanceOf(Styled.class)
        .extracting(n -> ((Styled) n).style()).isEqualTo(Style.ITALIC);

    MessageCreated files = created("MessageFileSharePayload.json");
    assertThat(files.message().attachments()).extracting(Attachment::id).containsOnly("F0123456789");
    assertThat(downloads).containsKey("F0123456789");

    Decoded.Relayed reaction = relayed("ReactionAddedPayload.json");
    assertThat(((ReactionAdded) reaction.event()).emoji().unicode()).isEqualTo("👍");
    assertThat(reaction.userId()).isEqualTo("U0123456789");
  }

  @Test
  void ourOwnPostsInTheSamplesAreIgnored() throws IOException {
    for (String name : List.of("MessagePayload.json", "MessageChangedPayload.json", "MessageDeletedPayload.json",
        "ReactionAddedPayload.json")) {
      ObjectNode tree = (ObjectNode) Json.mapper().readTree(fillIn(Files.readAllBytes(
          SpecFiles.slack().resolve("samples/events/" + name))));
      replaceAll(tree, "user", "USELF");

      assertThat(decode(Json.mapper().writeValueAsBytes(tree))).as(name).isInstanceOf(Decoded.Ignored.class);
    }
  }

  @Test
  void truncatedAndWrongTypesNeverThrow() throws IOException {
    for (Path sample : samples().toList()) {
      byte[] bytes = Files.readAllBytes(sample);
      byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
      assertThatCode(() -> {
        try {
          decode(half);
        } catch (RuntimeException expected) {
          // The reader refuses broken JSON with an exception the caller logs; it must not be anything worse.
          assertThat(expected).isInstanceOfAny(tools.jackson.core.JacksonException.class, IllegalArgumentException.class);
        }
      }).doesNotThrowAnyException();
    }
    assertThat(decode("{\"event\":{\"type\":\"message\",\"channel\":{\"id\":1},\"ts\":[1],\"files\":7}}".getBytes()))
        .isInstanceOf(Decoded.Skipped.class);
  }

  private Decoded decode(byte[] bytes) {
    return decoder.decode(WireReader.readCallback(bytes));
  }

  private MessageCreated created(String name) throws IOException {
    return (MessageCreated) relayed(name).event();
  }

  private Decoded.Relayed relayed(String name) throws IOException {
    return (Decoded.Relayed) decode(fillIn(Files.readAllBytes(SpecFiles.slack().resolve("samples/events/" + name))));
  }

  /** The sample with realistic values where it has empty placeholders. */
  private static byte[] fillIn(byte[] sample) {
    JsonNode tree = Json.mapper().readTree(sample);
    fill(tree);
    return Json.mapper().writeValueAsBytes(tree);
  }

  private static final Map<String, String> VALUES = Map.ofEntries(
      Map.entry("channel", CHANNEL), Map.entry("user", "U0123456789"), Map.entry("ts", TS),
      Map.entry("event_ts", TS), Map.entry("deleted_ts", TS), Map.entry("thread_ts", THREAD_TS),
      Map.entry("text", "hello *world*"), Map.entry("reaction", "+1"), Map.entry("id", "F0123456789"),
      Map.entry("name", "photo.png"), Map.entry("mimetype", "image/png"), Map.entry("bot_id", "B0123456789"),
      Map.entry("event_id", "Ev0123456789"), Map.entry("type", "event_callback"),
      Map.entry("url_private_download", "https://files.slack.com/files-pri/T1-F0123456789/photo.png"));
  /** Fields whose placeholders stay empty: filling them would make the sample another kind of message. */
  private static final Set<String> KEEP = Set.of("subtype", "metadata", "event_type");

  private static void fill(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : List.copyOf(object.propertyNames())) {
        JsonNode value = object.get(field);
        if (value.isString() && value.stringValue().isEmpty() && VALUES.containsKey(field) && !KEEP.contains(field)) {
          object.put(field, VALUES.get(field));
        } else if (!KEEP.contains(field)) {
          fill(value);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        fill(element);
      }
    }
  }

  private static void replaceAll(JsonNode node, String field, String value) {
    if (node instanceof ObjectNode object) {
      for (String name : List.copyOf(object.propertyNames())) {
        if (name.equals(field) && object.get(name).isString()) {
          object.put(name, value);
        } else {
          replaceAll(object.get(name), field, value);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        replaceAll(element, field, value);
      }
    }
  }
}
