package coop.relay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Attachment;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.UserRef;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class InMemoryPlatformTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
  private static final Emoji WAVE = Emoji.unicode("wave", "👋");

  private final InMemoryPlatform chat = InMemoryPlatform.builder()
      .name("memchat")
      .channels("general", "random")
      .clock(Clock.fixed(NOW, ZoneOffset.UTC))
      .build();
  private final Identity alice = chat.user("alice", "Alice");
  private final Identity bob = chat.user("bob", "Bob");

  @Test
  void messageIdsIncreaseAcrossChannelsAndReferencesCarryThePlatformsName() {
    MessageRef first = chat.post("general", alice, "one");
    MessageRef second = chat.post("random", bob, "two");
    MessageRef third = chat.post("general", alice, "three");

    assertThat(List.of(first, second, third)).extracting(MessageRef::messageId).containsExactly("1", "2", "3");
    assertThat(first.channel()).isEqualTo(ChannelRef.of("memchat", "general"));
    assertThat(chat.history("general")).extracting(PlatformMessage::plainText).containsExactly("one", "three");
    assertThat(chat.history("general").get(0).timestamp()).isEqualTo(NOW);
    assertThat(chat.channels()).containsExactly("general", "random");
  }

  @Test
  void historyIsAnImmutableSnapshotWithEditsDeletesReactionsRepliesAndThreads() {
    MessageRef root = chat.post("general", alice, "root");
    MessageRef reply = chat.reply(root, bob, "reply");
    MessageRef threaded = chat.postInThread(root, bob, "in thread");
    MessageRef deeper = chat.postInThread(threaded, alice, "still the same thread");
    chat.edit(reply, bob, "reply, edited");
    chat.react(root, bob, WAVE);
    chat.react(root, bob, WAVE);
    chat.react(root, alice, WAVE);
    chat.delete(threaded);
    List<PlatformMessage> snapshot = chat.history("general");

    chat.post("general", alice, "after the snapshot");

    assertThat(snapshot).hasSize(4);
    assertThatThrownBy(() -> snapshot.add(snapshot.get(0))).isInstanceOf(UnsupportedOperationException.class);
    PlatformMessage rootSeen = snapshot.get(0);
    assertThat(rootSeen.reactions()).extracting(r -> r.user().displayName()).containsExactly("Bob", "Alice");
    assertThat(rootSeen.reactionKeys()).containsExactly("👋", "👋");
    assertThat(rootSeen.reactions()).noneMatch(Reaction::byBridge);
    assertThat(snapshot.get(1).replyTo()).isEqualTo(root);
    assertThat(snapshot.get(1).edited()).isTrue();
    assertThat(snapshot.get(1).plainText()).isEqualTo("reply, edited");
    assertThat(snapshot.get(2).deleted()).isTrue();
    assertThat(snapshot.get(2).threadRoot()).isEqualTo(root);
    assertThat(chat.message(deeper).threadRoot()).as("a thread has one root").isEqualTo(root);
    assertThat(snapshot).allMatch(m -> !m.byBridge() && m.origin() == null);
  }

  @Test
  void refusalsSayWhatToFix() {
    MessageRef mine = chat.post("general", alice, "mine");

    assertThatThrownBy(() -> chat.post("nowhere", alice, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel 'nowhere' does not exist on memchat").hasMessageContaining("createChannel");
    assertThatThrownBy(() -> chat.edit(mine, bob, "not yours"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the author can edit");
    assertThatThrownBy(() -> chat.reply(ChannelRef.of("memchat", "general").message("99"), bob, "to nothing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reply target 99 does not exist");
    chat.delete(mine);
    assertThatThrownBy(() -> chat.delete(mine))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already deleted");
    assertThatThrownBy(() -> chat.react(mine, bob, WAVE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was deleted");
    assertThatThrownBy(() -> chat.message(ChannelRef.of("memchat", "general").message("42")))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> InMemoryPlatform.builder().name(" "))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("name must not be blank");
  }

  @Test
  void referencesFromAnyConnectorIdAreAccepted() {
    MessageRef ref = chat.post("general", alice, "hello");
    MessageRef asSeenByConnector = ChannelRef.of("mem", "general").message(ref.messageId());

    chat.react(asSeenByConnector, bob, WAVE);

    assertThat(chat.message(ref).reactions()).hasSize(1);
  }

  @Test
  void userPostsAreRenderedWithPingsOnlyForThisPlatformsUsers() {
    RichText text = RichText.builder()
        .mention(new UserRef("memchat", "bob"), "Bob")
        .text(" and ")
        .mention(new UserRef("tg", "7"), "Tom_*")
        .text(" see ")
        .channel(ChannelRef.of("memchat", "random"), "random")
        .lineBreak()
        .quote(q -> q.text("quoted").lineBreak().strike("gone"))
        .codeBlock("java", "int x;")
        .text(" ")
        .underline("u")
        .spoiler("s")
        .customEmoji("party", null)
        .build();

    MessageRef ref = chat.post("general", alice, text);

    assertThat(chat.message(ref).markup()).isEqualTo(
        "<@bob> and @Tom\\_\\* see <#random>\n> quoted\n> ~~gone~~\n```java\nint x;\n``` __u__||s||:party:");
    assertThat(chat.message(ref).text()).isEqualTo(text);
  }

  @Test
  void uploadedFilesCanBeAttachedAndDownloadedByAConnector() {
    byte[] content = "png bytes".getBytes(StandardCharsets.UTF_8);
    Attachment file = chat.upload("cat.png", "image/png", content);

    MessageRef ref = chat.post("general", alice, RichText.of("a cat"), List.of(file));
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).build();

    assertThat(file.kind()).isEqualTo(Attachment.Kind.IMAGE);
    assertThat(file.sizeBytes()).isEqualTo(content.length);
    assertThat(file.url()).isEqualTo("https://memchat.invalid/files/" + file.id());
    assertThat(chat.message(ref).attachments()).containsExactly(file);
    assertThat(connector.download(file).block(TIMEOUT)).isEqualTo(content);
    content[0] = 0;
    assertThat(chat.fileContent(file)[0]).as("the platform keeps its own copy").isEqualTo((byte) 'p');
  }

  @Test
  void statsAreZeroForChannelsWithoutBridgeActivityAndUserActionsAreNotCounted() {
    chat.post("general", alice, "user activity");

    assertThat(chat.stats("general")).isEqualTo(ChannelStats.EMPTY);
    assertThat(chat.stats("unknown")).isEqualTo(ChannelStats.EMPTY);
    assertThat(new ChannelStats(1, 2, 3, 4, 5, 6).operations()).isEqualTo(15);
  }

  @Test
  void faultPlansValidateAndReportWhatIsPending() {
    FaultPlan plan = chat.faults("general").next(2, Fault.transientFailure()).next(Fault.delay(Duration.ZERO));

    assertThat(plan.pending()).isEqualTo(3);
    assertThat(plan.clear().pending()).isZero();
    assertThat(chat.faults("general")).isSameAs(plan);
    assertThatThrownBy(() -> plan.next(-1, Fault.permanentFailure())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.rateLimited(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chat.duplicateNextEvents(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentUsersGetUniqueIdsAndAConnectorSeesEveryMessageOnceInPlatformOrder() throws Exception {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).build();
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (InboundRecorder inbound = InboundRecorder.record(
        connector.connect(TestConnectorContext.fresh("relay1", connector.id())))) {
      List<Callable<List<String>>> users = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Identity user = chat.user("user" + t, "User " + t);
        users.add(() -> IntStream.range(0, perThread)
            .mapToObj(i -> chat.post("general", user, user.displayName() + " #" + i).messageId())
            .toList());
      }
      List<String> ids = new ArrayList<>();
      for (Future<List<String>> posted : pool.invokeAll(users)) {
        ids.addAll(posted.get());
      }

      assertThat(ids).doesNotHaveDuplicates().hasSize(4 * perThread);
      List<String> historyOrder = chat.history("general").stream().map(PlatformMessage::id).toList();
      inbound.await(MessageCreated.class, m -> m.target().messageId().equals(historyOrder.get(historyOrder.size() - 1)),
          TIMEOUT);
      assertThat(inbound.messagesIn("general")).extracting(m -> m.target().messageId())
          .containsExactlyElementsOf(historyOrder);
      assertThat(historyOrder).isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cancellingWhileAnotherThreadPostsThenRestartingLosesAndDuplicatesNothing() throws Exception {
    InMemoryCursorStore cursors = new InMemoryCursorStore();
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).build();
    TestConnectorContext context = TestConnectorContext.of("relay1", cursors.scoped(connector.id()),
        Set.of("general"));
    ExecutorService poster = Executors.newSingleThreadExecutor();
    CountDownLatch firstMessage = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    try {
      InboundRecorder first = InboundRecorder.record(connector.connect(context)
          .doOnNext(event -> {
            if (event instanceof MessageCreated) {
              firstMessage.countDown();
            }
          }));
      Future<List<String>> posted = poster.submit(() -> IntStream.range(0, 2000)
          .mapToObj(i -> chat.post("general", alice, "m" + i).messageId()).toList());
      assertThat(firstMessage.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      first.close(); // usually while the poster thread is emitting into it
      List<String> all = new ArrayList<>(posted.get());
      first.messagesIn("general").forEach(m -> seen.add(m.target().messageId()));

      try (InboundRecorder second = InboundRecorder.record(connector.connect(context))) {
        String fence = chat.post("general", alice, "fence").messageId();
        all.add(fence);
        second.await(MessageCreated.class, m -> m.target().messageId().equals(fence), TIMEOUT);
        second.messagesIn("general").forEach(m -> seen.add(m.target().messageId()));
      }

      assertThat(seen).containsExactlyElementsOf(all);
    } finally {
      poster.shutdownNow();
    }
  }

  @Test
  void withDeliverOnEventsArriveOnTheSchedulerInOrderAndNotOnTheActingThread() {
    Scheduler network = Schedulers.newSingle("memchat-network");
    try {
      InMemoryPlatform async = InMemoryPlatform.builder().channels("general").deliverOn(network).build();
      InMemoryConnector connector = InMemoryConnector.builder().platform(async).build();
      List<String> threads = new CopyOnWriteArrayList<>();
      try (InboundRecorder inbound = InboundRecorder.record(connector
          .connect(TestConnectorContext.fresh("relay1", connector.id()))
          .doOnNext(e -> threads.add(Thread.currentThread().getName())))) {
        List<String> ids = IntStream.range(0, 50)
            .mapToObj(i -> async.post("general", alice, "m" + i).messageId()).toList();

        inbound.await(MessageCreated.class, m -> m.target().messageId().equals(ids.get(ids.size() - 1)), TIMEOUT);
        assertThat(inbound.messagesIn("general")).extracting(m -> m.target().messageId())
            .containsExactlyElementsOf(ids);
        assertThat(threads).allMatch(name -> name.startsWith("memchat-network"));
      }
    } finally {
      network.dispose();
    }
  }

  @Test
  void theBridgesReactionsAreMarkedAndTheEventNamesTheReactor() {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).suppressEchoes(false).build();
    MessageRef ref = chat.post("general", alice, "react");
    try (InboundRecorder inbound = InboundRecorder.record(
        connector.connect(TestConnectorContext.fresh("relay1", connector.id())))) {
      connector.addReaction(ref, WAVE, alice).block(TIMEOUT);

      ReactionAdded added = inbound.await(ReactionAdded.class, r -> true, TIMEOUT);
      assertThat(added.user()).isEqualTo(connector.botIdentity());
      assertThat(chat.message(ref).reactions()).singleElement().matches(Reaction::byBridge);
    }
  }
}
