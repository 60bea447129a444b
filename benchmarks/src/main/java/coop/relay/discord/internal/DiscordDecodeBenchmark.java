package coop.relay.discord.internal;

import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.Message;
import coop.relay.api.UserRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.support.Json;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * Decoding a Gateway MESSAGE_CREATE dispatch (a realistic guild message with a member, mentions,
 * an attachment and markdown) into the relay's {@link MessageCreated}.
 *
 * <p>The connector reads the frame in one streaming pass: once {@code t} is known, {@code d} is
 * bound straight to its record, and the fields it does not need are skipped unread. The baseline is
 * the obvious way: {@code readTree} of the whole frame, then picking the fields out of the tree.
 * Both parse the same markdown with the same parser, so the difference is the JSON work and the
 * allocation of the tree.
 *
 * <p>Run: {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar DiscordDecodeBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DiscordDecodeBenchmark {
  private static final String CDN = "https://cdn.discordapp.com";
  static final String FRAME = "{\"t\":\"MESSAGE_CREATE\",\"s\":4242,\"op\":0,\"d\":{"
      + "\"type\":0,\"tts\":false,\"timestamp\":\"2024-05-01T10:00:00.123000+00:00\",\"pinned\":false,"
      + "\"nonce\":\"1235022465436336128\",\"mentions\":[{\"username\":\"nelly\",\"global_name\":\"Nelly\","
      + "\"id\":\"80351110224678912\",\"avatar\":\"8342729096ea3675442027381ff50dfe\",\"discriminator\":\"0\","
      + "\"public_flags\":64,\"member\":{\"roles\":[],\"nick\":\"Nell\",\"joined_at\":\"2020-01-01T00:00:00+00:00\"}}],"
      + "\"mention_roles\":[],\"mention_everyone\":false,\"member\":{\"roles\":[\"41771983423143936\"],"
      + "\"premium_since\":null,\"pending\":false,\"nick\":null,\"mute\":false,\"joined_at\":\"2021-02-01T00:00:00+00:00\","
      + "\"flags\":0,\"deaf\":false,\"communication_disabled_until\":null,\"avatar\":null},"
      + "\"id\":\"1235022466107297893\",\"flags\":0,\"embeds\":[],\"edited_timestamp\":null,"
      + "\"content\":\"Hey <@80351110224678912>, the **release** is out: see [the notes](https://example.org/notes)"
      + " and run `./mvnw verify` _today_ \\ud83c\\udf89\",\"components\":[],\"channel_id\":\"41771983423143937\","
      + "\"author\":{\"username\":\"alice\",\"public_flags\":0,\"id\":\"41771983423143938\",\"global_name\":\"Alice\","
      + "\"discriminator\":\"0\",\"clan\":null,\"avatar_decoration_data\":null,\"avatar\":\"a_1269e74af4df7417b13759eae50c83dc\"},"
      + "\"attachments\":[{\"width\":640,\"url\":\"https://cdn.discordapp.com/attachments/41771983423143937/1/cat.png\","
      + "\"size\":48213,\"proxy_url\":\"https://media.discordapp.net/attachments/41771983423143937/1/cat.png\","
      + "\"id\":\"1235022465906098216\",\"height\":480,\"filename\":\"cat.png\",\"content_type\":\"image/png\"}],"
      + "\"guild_id\":\"41771983423143936\"}}";

  private FrameReader reader;
  private DispatchDecoder decoder;
  private DispatchDecoder.Session session;
  private MarkdownParser parser;

  @Setup
  public void setUp() {
    reader = new FrameReader();
    decoder = new DispatchDecoder("dc", CDN, new Directory(), new MessageLocations(), ConcurrentHashMap.newKeySet());
    session = new DispatchDecoder.Session("bench", "900000000000000001", "900000000000000002", "session",
        Set.of("41771983423143937"));
    parser = new MarkdownParser("dc", CDN);
  }

  /** The connector's decoding: one streaming pass, {@code d} bound to its record. */
  @Benchmark
  public List<InboundEvent> decode() {
    return decoder.decode(reader.read(FRAME), session);
  }

  /** The naive way: the whole frame as a tree, fields picked out of it. */
  @Benchmark
  public InboundEvent baselineReadTree() {
    JsonNode frame = Json.mapper().readTree(FRAME);
    JsonNode d = frame.get("d");
    JsonNode author = d.get("author");
    String name = author.path("global_name").isString() ? author.get("global_name").asString()
        : author.get("username").asString();
    Identity identity = new Identity(new UserRef("dc", author.get("id").asString()), name,
        CDN + "/avatars/" + author.get("id").asString() + "/" + author.path("avatar").asString() + ".png", false, null);
    java.util.Map<String, String> mentioned = new java.util.HashMap<>();
    for (JsonNode user : d.path("mentions")) {
      JsonNode nick = user.path("member").path("nick");
      mentioned.put(user.get("id").asString(), nick.isString() ? nick.asString() : user.path("global_name").asString());
    }
    List<coop.relay.api.Attachment> attachments = new java.util.ArrayList<>();
    for (JsonNode a : d.path("attachments")) {
      attachments.add(new coop.relay.api.Attachment(a.get("id").asString(), a.get("filename").asString(),
          a.path("content_type").asString("application/octet-stream"), a.path("size").asLong(-1),
          a.path("url").asString(null), coop.relay.api.Attachment.Kind.IMAGE));
    }
    MentionNames names = new MentionNames() {
      @Override
      public String user(String id) {
        return mentioned.get(id);
      }
    };
    Message message = Message.builder(ChannelRef.of("dc", d.get("channel_id").asString()).message(d.get("id").asString()),
            identity)
        .text(parser.parse(d.get("content").asString(), names))
        .attachments(attachments)
        .timestamp(OffsetDateTime.parse(d.get("timestamp").asString()).toInstant())
        .build();
    return new MessageCreated(message);
  }
}
