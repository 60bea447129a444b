package coop.relay.samples.sandbox;

import static coop.relay.samples.sandbox.PlatformView.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.core.Relay;
import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxAttachment;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxReaction;
import coop.relay.sandbox.SandboxUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The end-to-end matrix, over real HTTP and WebSocket between the connectors and the emulators: for
 * every ordered pair of the four platforms, a person on the first posts a message with formatting
 * and a mention, answers it, edits it, reacts to it, posts a file and deletes the message, in a room
 * bridged with a fresh room on the second; the second's history, read through its control API, must
 * then be exactly what that platform shows, and the first's must hold no echo.
 *
 * <p>Every one of the twelve pairs is listed; a pair whose connector is not part of the build yet is
 * reported as aborted with the reason, and {@link #everyAvailableConnectorIsInTheMatrix()} fails if a
 * connector on the classpath is left out. Fallbacks (Telegram cannot puppet or report deletes, Slack
 * answers in threads, files arrive as separate messages) are documented and asserted in
 * {@link PlatformView}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossPlatformMatrixIT {
  private static final Duration RELAYED = Duration.ofSeconds(30);
  private static final Map<String, String> CONNECTOR_CLASSES = Map.of(
      "telegram", "coop.relay.telegram.TelegramConnector",
      "discord", "coop.relay.discord.DiscordConnector",
      "slack", "coop.relay.slack.SlackConnector",
      "matrix", "coop.relay.matrix.MatrixConnector");
  private static final byte[] MINUTES =
      "Minutes of the coop meeting: 1. Budget approved. 2. Next meeting Friday.\n".getBytes(StandardCharsets.UTF_8);

  private SandboxApp app;

  @BeforeAll
  void start() {
    app = SandboxApp.builder().relayId("matrix-test").build();
    app.start().block(Duration.ofMinutes(1));
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void everyAvailableConnectorIsInTheMatrix() {
    List<String> onClasspath = new ArrayList<>();
    for (String platform : app.platforms()) {
      if (isPresent(CONNECTOR_CLASSES.get(platform))) {
        onClasspath.add(platform);
      }
    }
    List<String> pairs = new ArrayList<>();
    for (String from : app.bridgedPlatforms()) {
      for (String to : app.bridgedPlatforms()) {
        if (!from.equals(to)) {
          pairs.add(from + "→" + to);
        }
      }
    }
    System.out.printf("End-to-end matrix: %d of 12 ordered pairs run: %s; connectors in this build: %s%n",
        pairs.size(), pairs, onClasspath);
    assertThat(app.connectorPlatforms()).as("every connector on the classpath runs in the sandbox").containsExactlyElementsOf(onClasspath);
    if (onClasspath.size() >= 2) {
      assertThat(app.bridgedPlatforms()).as("and is bridged").containsExactlyElementsOf(onClasspath);
      assertThat(pairs).hasSize(onClasspath.size() * (onClasspath.size() - 1));
    }
  }

  @TestFactory
  Stream<DynamicTest> everyOrderedPair() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String from : app.platforms()) {
      for (String to : app.platforms()) {
        if (!from.equals(to)) {
          tests.add(DynamicTest.dynamicTest(from + " → " + to, () -> {
            for (String p : List.of(from, to)) {
              if (!app.bridgedPlatforms().contains(p)) {
                throw new TestAbortedException("not run: the " + p + " connector is not part of this build yet"
                    + " (bridged: " + app.bridgedPlatforms() + ")");
              }
            }
            new Pair(from, to).run();
          }));
        }
      }
    }
    return tests.stream();
  }

  /** One ordered pair: a fresh room on each side, bridged while the relay runs. */
  private final class Pair {
    private final PlatformView source;
    private final PlatformView destination;
    private final SandboxControl src;
    private final SandboxControl dst;
    private final SandboxUser author;
    private final SandboxUser other;
    private String srcRoom;
    private String dstRoom;

    Pair(String from, String to) {
      this.source = PlatformView.of(from);
      this.destination = PlatformView.of(to);
      this.src = app.control(from);
      this.dst = app.control(to);
      this.author = app.people(from).get(0);
      this.other = app.people(from).get(1);
    }

    void run() {
      String name = "pair " + source.platform() + " to " + destination.platform();
      srcRoom = src.createChannel(NewChannel.named(name)).block().id();
      dstRoom = dst.createChannel(NewChannel.named(name)).block().id();
      Relay relay = app.relay().orElseThrow();
      String bridge = "pair-" + source.platform() + "-" + destination.platform();
      relay.bridge(bridge, b -> b
          .channel(app.connectorId(source.platform()), srcRoom)
          .channel(app.connectorId(destination.platform()), dstRoom)).block();
      try {
        exercise();
      } finally {
        relay.removeBridge(bridge).block();
      }
    }

    private void exercise() {
      String from = source.platform();
      String authorName = author.displayName();
      String otherName = other.displayName();

      // 1. Formatting and a mention of another person of the source platform.
      HistoryEntry original = src.post(Post.of(srcRoom, author.id(), source.formatted(other))).block();
      HistoryEntry copy = awaitCopies(1).get(0);
      destination.assertFormattedCopy(copy, authorName, from, otherName, "");
      assertAuthor(copy, authorName);
      if (!destination.puppets()) {
        assertThat(copy.text()).as("the name in front cannot ping the person it names")
            .contains(authorName.charAt(0) + "\u2060" + authorName.substring(1));
      }

      // 2. An answer to it.
      src.post(Post.of(srcRoom, other.id(), "Replying to you").withReplyTo(original.messageId())).block();
      HistoryEntry answer = awaitCopies(2).get(1);
      destination.assertAnswer(answer, copy, otherName, from, "Replying to you");

      // 3. An edit.
      src.edit(srcRoom, original.messageId(), author.id(), source.formatted(other) + " Edited.").block();
      await("the edit on " + destination).atMost(RELAYED).until(() -> copy(0).edited());
      destination.assertFormattedCopy(copy(0), authorName, from, otherName, " Edited.");

      // 4. A reaction: the destination's bot reacts (no platform lets a bot react as someone else).
      src.react(srcRoom, original.messageId(), other.id(), "👍").block();
      await("the reaction on " + destination).atMost(RELAYED).until(() -> !copy(0).reactions().isEmpty());
      List<SandboxReaction> reactions = copy(0).reactions();
      assertThat(reactions).extracting(SandboxReaction::emoji).containsExactly("👍");
      assertThat(reactions.get(0).userIds()).hasSize(1).doesNotContain(app.people(destination.platform()).stream()
          .map(SandboxUser::id).toArray(String[]::new));

      // 5. A file, re-uploaded to the destination.
      SandboxFile file = new SandboxFile("minutes.txt", "text/plain", MINUTES);
      src.post(Post.of(srcRoom, author.id(), "Minutes attached").withAttachment(file)).block();
      int afterFile = destination.splitsFiles() ? 4 : 3;
      List<HistoryEntry> withFile = awaitCopies(afterFile);
      HistoryEntry textEntry = withFile.get(2);
      HistoryEntry fileEntry = withFile.get(afterFile - 1);
      destination.assertPlainCopy(textEntry, authorName, from, "Minutes attached");
      if (destination.splitsFiles()) {
        assertThat(textEntry.attachments()).isEmpty();
        assertThat(fileEntry.author().kind()).isNotEqualTo(Author.Kind.USER);
      }
      assertThat(fileEntry.attachments()).hasSize(1);
      SandboxAttachment attachment = fileEntry.attachments().get(0);
      assertThat(attachment.fileName()).isEqualTo("minutes.txt");
      assertThat(attachment.size()).isEqualTo(MINUTES.length);
      assertThat(dst.file(attachment.id()).block().data()).as("the file's bytes").isEqualTo(MINUTES);

      // 6. A delete. Telegram does not tell bots about deletions, so from there the copies stay.
      src.delete(srcRoom, original.messageId(), author.id()).block();
      if (source.reportsDeletes()) {
        await("the delete on " + destination).atMost(RELAYED).until(() -> copy(0).deleted());
      } else {
        // Nothing arrives; the copy must simply stay as it was once everything else is relayed.
        assertThat(copy(0).deleted()).as("Telegram reports no deletes: the copy stays").isFalse();
      }

      // Exactly what the destination shows: these copies, all by the relay, nothing else.
      List<HistoryEntry> finalHistory = dst.history(dstRoom).collectList().block();
      assertThat(finalHistory).hasSize(afterFile);
      assertThat(finalHistory).allSatisfy(e -> assertThat(e.author().kind()).isNotEqualTo(Author.Kind.USER));
      assertThat(finalHistory.get(1).deleted()).isFalse();
      // A redacted Matrix event loses its edits with its content; elsewhere the deleted copy stays edited.
      assertThat(finalHistory.get(0).edited() || finalHistory.get(0).deleted()).isTrue();
      // And no echo came back to the source.
      List<HistoryEntry> sourceHistory = src.history(srcRoom).collectList().block();
      assertThat(sourceHistory).hasSize(3);
      assertThat(sourceHistory).allSatisfy(e -> assertThat(e.author().kind()).isEqualTo(Author.Kind.USER));
      assertThat(plain(sourceHistory.get(0).text())).doesNotContain("(" + destination.platform() + ")");
    }

    private void assertAuthor(HistoryEntry copy, String name) {
      if (destination.puppets()) {
        assertThat(copy.author().kind()).isEqualTo(destination.puppet());
        assertThat(copy.author().shownName()).isEqualTo(name);
      } else {
        assertThat(copy.author().kind()).isEqualTo(Author.Kind.BOT);
        assertThat(plain(copy.text())).startsWith(name + " (" + source.platform() + "): ");
      }
    }

    private HistoryEntry copy(int index) {
      return dst.history(dstRoom).collectList().block().get(index);
    }

    private List<HistoryEntry> awaitCopies(int count) {
      await(count + " entries on " + destination).atMost(RELAYED).pollInterval(Duration.ofMillis(100))
          .until(() -> dst.history(dstRoom).collectList().block().size() >= count);
      List<HistoryEntry> history = dst.history(dstRoom).collectList().block();
      assertThat(history).as("the destination shows exactly " + count + " entries").hasSize(count);
      return history;
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, CrossPlatformMatrixIT.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
