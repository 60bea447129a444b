package coop.relay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.ChannelRef;
import coop.relay.api.CredentialsRejectedException;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.InvalidConfigurationException;
import coop.relay.api.MessageRef;
import coop.relay.api.OriginMarker;
import coop.relay.api.PuppetingMode;
import coop.relay.api.RateLimitedException;
import coop.relay.api.UserRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.event.MessageDeleted;
import coop.relay.api.event.MessageEdited;
import coop.relay.api.event.ReactionAdded;
import coop.relay.api.event.ReactionRemoved;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.OutboundAttachment;
import coop.relay.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class InMemoryConnectorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Emoji THUMBS_UP = Emoji.unicode("thumbsup", "👍");

  private final InMemoryPlatform chat =
      InMemoryPlatform.builder().name("memchat").channels("general", "random").build();
  private final Identity alice = chat.user("alice", "Alice");
  private final Identity remoteBob = new Identity(new UserRef("tg", "42"), "Bob", "https://example.org/bob.png",
      false, null);
  private final InMemoryCursorStore cursors = new InMemoryCursorStore();

  private InMemoryConnector connector() {
    return InMemoryConnector.builder().platform(chat).build();
  }

  private TestConnectorContext context(InMemoryConnector connector) {
    return TestConnectorContext.of("relay1", cursors.scoped(connector.id()), Set.of("general"));
  }

  private OutboundMessage outbound(InMemoryConnector connector, String channel, RichText text,
      @Nullable MessageRef replyTo, @Nullable MessageRef threadRoot, String deliveryId) {
    return new OutboundMessage(ChannelRef.of(connector.id(), channel), ChannelRef.of("tg", "-100").message("7"),
        remoteBob, connector.render(text), List.of(), replyTo, threadRoot, new OriginMarker("relay1", deliveryId));
  }

  private OutboundMessage outbound(InMemoryConnector connector, String channel, String text) {
    return outbound(connector, channel, RichText.of(text), null, null, "d-" + text.hashCode());
  }

  private static Predicate<InboundEvent> state(ConnectorState state) {
    return e -> e instanceof ConnectorStateChanged c && c.state() == state;
  }

  private static Predicate<InboundEvent> created(String plainText) {
    return e -> e instanceof MessageCreated c && c.message().text().plainText().equals(plainText);
  }

  @Test
  void connectFirstReportsConnectedThenUserMessagesWithFormattingAndConnectorIds() {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).id("mem").build();
    RichText formatted = RichText.builder().text("see ").bold("this").text(" and ").code("x()").build();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> chat.post("general", alice, formatted))
        .assertNext(e -> {
          MessageCreated created = (MessageCreated) e;
          assertThat(created.message().text()).isEqualTo(formatted);
          assertThat(created.message().ref()).isEqualTo(ChannelRef.of("mem", "general").message("1"));
          assertThat(created.message().author().user()).isEqualTo(new UserRef("mem", "alice"));
          assertThat(created.message().author().displayName()).isEqualTo("Alice");
          assertThat(created.message().origin()).isNull();
        })
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void eventsPostedBeforeTheFirstConnectionAreDeliveredFromTheBeginning() {
    chat.post("general", alice, "early");
    InMemoryConnector connector = connector();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .expectNextMatches(created("early"))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void repliesThreadsEditsDeletesAndReactionsOfUsersArriveAsTheirEvents() {
    InMemoryConnector connector = connector();
    MessageRef root = chat.post("general", alice, "root");

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .expectNextMatches(created("root"))
        .then(() -> chat.reply(root, alice, "a reply"))
        .assertNext(e -> {
          var reply = ((MessageCreated) e).message().replyTo();
          assertThat(reply).isNotNull();
          assertThat(reply.target()).isEqualTo(root);
          assertThat(reply.authorName()).isEqualTo("Alice");
          assertThat(reply.excerpt().plainText()).isEqualTo("root");
        })
        .then(() -> chat.postInThread(root, alice, "in thread"))
        .assertNext(e -> assertThat(((MessageCreated) e).message().threadRoot()).isEqualTo(root))
        .then(() -> chat.edit(root, alice, "root v2"))
        .assertNext(e -> {
          MessageEdited edited = (MessageEdited) e;
          assertThat(edited.target()).isEqualTo(root);
          assertThat(edited.text().plainText()).isEqualTo("root v2");
          assertThat(edited.editor().displayName()).isEqualTo("Alice");
        })
        .then(() -> chat.react(root, alice, THUMBS_UP))
        .assertNext(e -> assertThat(((ReactionAdded) e).emoji()).isEqualTo(THUMBS_UP))
        .then(() -> chat.unreact(root, alice, THUMBS_UP))
        .assertNext(e -> assertThat(((ReactionRemoved) e).target()).isEqualTo(root))
        .then(() -> chat.delete(root))
        .assertNext(e -> assertThat(((MessageDeleted) e).target()).isEqualTo(root))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void ownPostIsStoredAndItsEchoIsSuppressedButLaterEventsStillArrive() {
    InMemoryConnector connector = connector();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> StepVerifier.create(connector.post(outbound(connector, "general", "from the bridge")))
            .expectNext(ChannelRef.of("memchat", "general").message("1"))
            .verifyComplete())
        .then(() -> chat.post("general", alice, "after"))
        .expectNextMatches(created("after"))
        .thenCancel()
        .verify(TIMEOUT);

    PlatformMessage stored = chat.history("general").get(0);
    assertThat(stored.byBridge()).isTrue();
    assertThat(stored.plainText()).isEqualTo("from the bridge");
    assertThat(stored.origin()).isEqualTo(new OriginMarker("relay1", "d-" + "from the bridge".hashCode()));
  }

  @Test
  void withoutEchoSuppressionOwnPostsEditsReactionsAndDeletesComeBackMarkedAndByTheBot() {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat).suppressEchoes(false).build();
    OutboundMessage message = outbound(connector, "general", "copy");
    MessageRef ref = ChannelRef.of("memchat", "general").message("1");

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> connector.post(message).block(TIMEOUT))
        .assertNext(e -> {
          var echo = ((MessageCreated) e).message();
          assertThat(echo.origin()).isEqualTo(message.origin());
          assertThat(echo.author().bot()).isTrue();
          assertThat(echo.author().displayName()).isEqualTo("Relay");
        })
        .then(() -> connector.edit(ref, outbound(connector, "general", "copy v2")).block(TIMEOUT))
        .assertNext(e -> assertThat(((MessageEdited) e).origin()).isNotNull())
        .then(() -> connector.addReaction(ref, THUMBS_UP, remoteBob).block(TIMEOUT))
        .assertNext(e -> assertThat(((ReactionAdded) e).user().user().userId()).isEqualTo("relay-bot"))
        .then(() -> connector.delete(ref).block(TIMEOUT))
        .expectNextMatches(e -> e instanceof MessageDeleted)
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void echoesOfAnotherRelayAreNotSuppressed() {
    InMemoryConnector ours = connector();
    InMemoryConnector theirs = connector();

    StepVerifier.create(ours.connect(context(ours)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> theirs.post(new OutboundMessage(ChannelRef.of(theirs.id(), "general"),
            ChannelRef.of("tg", "-100").message("9"), remoteBob, theirs.render(RichText.of("from relay2")),
            List.of(), null, null, new OriginMarker("relay2", "x"))).block(TIMEOUT))
        .assertNext(e -> assertThat(((MessageCreated) e).message().origin()).isEqualTo(new OriginMarker("relay2", "x")))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void theShownAuthorFollowsThePuppetingMode() {
    InMemoryConnector none = connector();
    InMemoryConnector perMessage = InMemoryConnector.builder().platform(chat)
        .capabilities(Capabilities.builder().puppeting(PuppetingMode.PER_MESSAGE).build()).build();
    InMemoryConnector ghosts = InMemoryConnector.builder().platform(chat)
        .capabilities(Capabilities.builder().puppeting(PuppetingMode.GHOST_USERS).build()).build();

    none.post(outbound(none, "general", "a")).block(TIMEOUT);
    perMessage.post(outbound(perMessage, "general", "b")).block(TIMEOUT);
    ghosts.post(outbound(ghosts, "general", "c")).block(TIMEOUT);

    List<PlatformMessage> history = chat.history("general");
    assertThat(history).extracting(PlatformMessage::authorName).containsExactly("Relay", "Bob", "Bob");
    assertThat(history.get(0).author().user().userId()).isEqualTo("relay-bot");
    assertThat(history.get(1).author().user().userId()).isEqualTo("relay-bot");
    assertThat(history.get(1).author().avatarUrl()).isEqualTo("https://example.org/bob.png");
    assertThat(history.get(2).author().user().userId()).isEqualTo("ghost.tg.42");
    assertThat(history).allMatch(PlatformMessage::byBridge);
  }

  @Test
  void postKeepsTheRichTextAndRendersMarkup() {
    InMemoryConnector connector = connector();
    RichText text = RichText.builder().bold("hi").text(" *you* ").link("https://example.org", "site").build();

    connector.post(outbound(connector, "general", text, null, null, "d1")).block(TIMEOUT);

    PlatformMessage stored = chat.history("general").get(0);
    assertThat(stored.text()).isEqualTo(text);
    assertThat(stored.markup()).isEqualTo("**hi** \\*you\\* [site](https://example.org)");
  }

  @Test
  void repliesAndThreadsOfTheBridgeAreStoredWithTheirTargets() {
    InMemoryConnector connector = connector();
    MessageRef target = chat.post("general", alice, "question");
    MessageRef asConnector = ChannelRef.of(connector.id(), "general").message(target.messageId());

    MessageRef reply = connector.post(outbound(connector, "general", RichText.of("answer"), asConnector, null, "d1"))
        .block(TIMEOUT);
    MessageRef inThread = connector.post(outbound(connector, "general", RichText.of("more"), null, asConnector, "d2"))
        .block(TIMEOUT);

    assertThat(chat.message(reply).replyTo()).isEqualTo(target);
    assertThat(chat.message(inThread).threadRoot()).isEqualTo(target);
  }

  @Test
  void editsDeletesAndReactionsOfTheBridgeChangeTheHistoryAndAreCounted() {
    InMemoryConnector connector = connector();
    MessageRef copy = connector.post(outbound(connector, "general", "v1")).block(TIMEOUT);

    connector.edit(copy, outbound(connector, "general", "v2")).block(TIMEOUT);
    connector.addReaction(copy, THUMBS_UP, remoteBob).block(TIMEOUT);
    assertThat(chat.message(copy).reactions()).singleElement()
        .satisfies(r -> assertThat(r.byBridge()).isTrue())
        .satisfies(r -> assertThat(r.key()).isEqualTo("👍"));
    connector.removeReaction(copy, THUMBS_UP, remoteBob).block(TIMEOUT);
    connector.delete(copy).block(TIMEOUT);
    connector.delete(copy).block(TIMEOUT);

    PlatformMessage stored = chat.message(copy);
    assertThat(stored.plainText()).isEqualTo("v2");
    assertThat(stored.edited()).isTrue();
    assertThat(stored.deleted()).isTrue();
    assertThat(stored.reactions()).isEmpty();
    assertThat(chat.stats("general")).isEqualTo(new ChannelStats(1, 1, 2, 1, 1, 0));
  }

  @Test
  void thePlatformRefusesWhatARealOneWouldWithPermanentFailures() {
    InMemoryConnector connector = connector();
    MessageRef usersMessage = ChannelRef.of(connector.id(), "general")
        .message(chat.post("general", alice, "mine").messageId());

    StepVerifier.create(connector.edit(usersMessage, outbound(connector, "general", "hijack")))
        .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeliveryException.class)
            .matches(x -> !((DeliveryException) x).isRetryable())
            .hasMessageContaining("can only edit its own messages"));
    StepVerifier.create(connector.post(outbound(connector, "nowhere", "x")))
        .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeliveryException.class)
            .hasMessageContaining("channel 'nowhere' does not exist"));
    StepVerifier.create(connector.addReaction(ChannelRef.of(connector.id(), "general").message("999"), THUMBS_UP,
            remoteBob))
        .verifyError(DeliveryException.class);
    StepVerifier.create(connector.post(new OutboundMessage(ChannelRef.of("elsewhere", "general"),
            ChannelRef.of("tg", "1").message("1"), remoteBob, connector.render(RichText.of("x")), List.of(), null,
            null, new OriginMarker("relay1", "d"))))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("channel of connector 'elsewhere'"));
  }

  @Test
  void operationsTheCapabilitiesExcludeFailPermanently() {
    InMemoryConnector limited = InMemoryConnector.builder().platform(chat)
        .capabilities(Capabilities.builder().edits(false).deletes(false).reactions(false).replies(false)
            .threads(false).build())
        .build();
    MessageRef copy = limited.post(outbound(limited, "general", "x")).block(TIMEOUT);

    StepVerifier.create(limited.edit(copy, outbound(limited, "general", "y")))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("does not support edits"));
    StepVerifier.create(limited.delete(copy))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("does not support deletes"));
    StepVerifier.create(limited.addReaction(copy, THUMBS_UP, remoteBob))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("does not support reactions"));
    StepVerifier.create(limited.post(outbound(limited, "general", RichText.of("r"), copy, null, "d")))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("does not support replies"));
    StepVerifier.create(limited.post(outbound(limited, "general", RichText.of("t"), null, copy, "d")))
        .verifyErrorSatisfies(e -> assertThat(e).hasMessageContaining("does not support threads"));
    assertThat(chat.history("general")).hasSize(1);
  }

  @Test
  void scriptedFaultsFailInOrderThenOperationsSucceed() {
    InMemoryConnector connector = connector();
    chat.faults("general").next(2, Fault.transientFailure()).next(Fault.permanentFailure())
        .next(Fault.rateLimited(Duration.ofSeconds(3)));

    StepVerifier.create(connector.post(outbound(connector, "general", "1")))
        .verifyErrorSatisfies(e -> assertThat(((DeliveryException) e).isRetryable()).isTrue());
    StepVerifier.create(connector.post(outbound(connector, "general", "2")))
        .verifyErrorSatisfies(e -> assertThat(((DeliveryException) e).isRetryable()).isTrue());
    StepVerifier.create(connector.post(outbound(connector, "general", "3")))
        .verifyErrorSatisfies(e -> assertThat(((DeliveryException) e).isRetryable()).isFalse());
    StepVerifier.create(connector.post(outbound(connector, "general", "4")))
        .verifyErrorSatisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).hasSeconds(3));
    StepVerifier.create(connector.post(outbound(connector, "general", "5"))).expectNextCount(1).verifyComplete();

    assertThat(chat.history("general")).extracting(PlatformMessage::plainText).containsExactly("5");
    assertThat(chat.stats("general")).isEqualTo(new ChannelStats(1, 0, 0, 0, 0, 4));
    assertThat(chat.faults("general").pending()).isZero();
  }

  @Test
  void faultsAreLazyAndPerChannelAndThePlatformWidePlanAppliesToEveryChannel() {
    InMemoryConnector connector = connector();
    chat.faults("random").next(Fault.permanentFailure());
    Mono<MessageRef> notYetSubscribed = connector.post(outbound(connector, "random", "lazy"));

    StepVerifier.create(connector.post(outbound(connector, "general", "ok"))).expectNextCount(1).verifyComplete();
    assertThat(chat.faults("random").pending()).isEqualTo(1);
    StepVerifier.create(notYetSubscribed).verifyError(DeliveryException.class);

    chat.faults().always(Fault.transientFailure());
    StepVerifier.create(connector.post(outbound(connector, "general", "a"))).verifyError(DeliveryException.class);
    StepVerifier.create(connector.post(outbound(connector, "random", "b"))).verifyError(DeliveryException.class);
    chat.faults().clear();
    StepVerifier.create(connector.post(outbound(connector, "random", "c"))).expectNextCount(1).verifyComplete();
  }

  @Test
  void delaysRunOnVirtualTimeAndCancellingDuringADelayPreventsTheOperation() {
    InMemoryConnector connector = connector();
    chat.faults("general").always(Fault.delay(Duration.ofMinutes(5)));

    StepVerifier.withVirtualTime(() -> connector.post(outbound(connector, "general", "slow")))
        .expectSubscription()
        .expectNoEvent(Duration.ofMinutes(4))
        .then(() -> assertThat(chat.history("general")).isEmpty())
        .thenAwait(Duration.ofMinutes(1))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(chat.history("general")).hasSize(1);

    StepVerifier.withVirtualTime(() -> connector.post(outbound(connector, "general", "cancelled")))
        .expectSubscription()
        .thenAwait(Duration.ofMinutes(1))
        .thenCancel()
        .verify(TIMEOUT);
    assertThat(chat.history("general")).hasSize(1);
  }

  @Test
  void noResponseNeverAnswers() {
    InMemoryConnector connector = connector();
    chat.faults("general").next(Fault.noResponse());

    StepVerifier.withVirtualTime(() -> connector.post(outbound(connector, "general", "lost")))
        .expectSubscription()
        .expectNoEvent(Duration.ofDays(1))
        .thenCancel()
        .verify(TIMEOUT);
    assertThat(chat.history("general")).isEmpty();
  }

  @Test
  void disconnectReportsReconnectingAndReconnectDeliversWhatHappenedMeanwhileInOrder() {
    InMemoryConnector connector = connector();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(chat::disconnect)
        .expectNextMatches(state(ConnectorState.RECONNECTING))
        .then(() -> {
          chat.post("general", alice, "one");
          chat.post("random", alice, "two");
        })
        .then(chat::reconnect)
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .expectNextMatches(created("one"))
        .expectNextMatches(created("two"))
        .then(() -> chat.post("general", alice, "three"))
        .expectNextMatches(created("three"))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void connectingWhileThePlatformIsDownFirstReportsReconnecting() {
    InMemoryConnector connector = connector();
    chat.disconnect();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.RECONNECTING))
        .then(() -> chat.post("general", alice, "queued"))
        .then(chat::reconnect)
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .expectNextMatches(created("queued"))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void aRestartWithTheSameCursorsReplaysExactlyWhatWasMissed() {
    InMemoryConnector first = connector();
    StepVerifier.create(first.connect(context(first)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> chat.post("general", alice, "m1"))
        .expectNextMatches(created("m1"))
        .then(() -> chat.post("general", alice, "m2"))
        .expectNextMatches(created("m2"))
        .thenCancel()
        .verify(TIMEOUT);
    chat.post("general", alice, "m3");
    chat.post("general", alice, "m4");

    InMemoryConnector second = connector();
    StepVerifier.create(second.connect(context(second)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .expectNextMatches(created("m3"))
        .expectNextMatches(created("m4"))
        .then(() -> chat.post("general", alice, "m5"))
        .expectNextMatches(created("m5"))
        .thenCancel()
        .verify(TIMEOUT);
    assertThat(cursors.snapshot("memchat")).containsEntry(InMemoryPlatform.cursorName(), "5");
  }

  @Test
  void duplicatedEventsArriveTwiceWithTheSameEventId() {
    InMemoryConnector connector = connector();
    chat.duplicateNextEvents(1);
    MessageRef ref = chat.post("general", alice, "twice");
    chat.post("general", alice, "once");

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .assertNext(e -> assertThat(((MessageCreated) e).eventId()).isEqualTo(ref.messageId()))
        .assertNext(e -> assertThat(((MessageCreated) e).eventId()).isEqualTo(ref.messageId()))
        .expectNextMatches(created("once"))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void malformedPayloadsAreSkippedAndLaterEventsStillArrive() {
    InMemoryConnector connector = connector();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> {
          chat.injectMalformedPayload("general");
          chat.post("general", alice, "fine");
        })
        .expectNextMatches(created("fine"))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void eventsAreEmittedOnlyAsFarAsRequestedAndTheCursorFollowsWhatWasEmitted() {
    InMemoryConnector connector = connector();
    chat.post("general", alice, "a");
    chat.post("general", alice, "b");
    List<InboundEvent> received = new CopyOnWriteArrayList<>();
    BaseSubscriber<InboundEvent> subscriber = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(1);
      }

      @Override
      protected void hookOnNext(InboundEvent value) {
        received.add(value);
      }
    };

    // Emission is synchronous on the thread that requests or acts, so the list is settled on return.
    connector.connect(context(connector)).subscribe(subscriber);
    assertThat(received).singleElement().matches(state(ConnectorState.CONNECTED));
    assertThat(cursors.snapshot("memchat")).isEmpty();
    subscriber.request(1);
    assertThat(received).hasSize(2).last().matches(created("a"));
    assertThat(cursors.snapshot("memchat")).containsEntry(InMemoryPlatform.cursorName(), "1");
    subscriber.request(5);
    chat.post("general", alice, "c");
    assertThat(received).hasSize(4).last().matches(created("c"));
    subscriber.dispose();
    chat.post("general", alice, "d");
    assertThat(received).hasSize(4);
    assertThat(cursors.snapshot("memchat")).containsEntry(InMemoryPlatform.cursorName(), "3");
  }

  @Test
  void rejectedCredentialsFailTheConnection() {
    InMemoryConnector connector = connector();
    chat.rejectCredentials(true);

    StepVerifier.create(connector.connect(context(connector)))
        .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(CredentialsRejectedException.class)
            .hasMessageContaining("connector 'memchat'"));

    chat.rejectCredentials(false);
    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .thenCancel()
        .verify(TIMEOUT);
  }

  @Test
  void closeStopsOpenConnectionsAndRefusesFurtherWork() {
    InMemoryConnector connector = connector();

    StepVerifier.create(connector.connect(context(connector)))
        .expectNextMatches(state(ConnectorState.CONNECTED))
        .then(() -> connector.close().block(TIMEOUT))
        .expectNextMatches(state(ConnectorState.STOPPED))
        .verifyComplete();
    StepVerifier.create(connector.post(outbound(connector, "general", "late"))).verifyError(DeliveryException.class);
    StepVerifier.create(connector.connect(context(connector))).verifyError(InvalidConfigurationException.class);
    StepVerifier.create(connector.close()).verifyComplete();
  }

  @Test
  void attachmentsAreUploadedWithinTheLimitAndLinkedAboveIt() {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat)
        .capabilities(Capabilities.builder().maxAttachmentBytes(4).build()).build();
    byte[] small = "abc".getBytes(StandardCharsets.UTF_8);
    Attachment smallFile = new Attachment("src-1", "a.txt", "text/plain", small.length, null, Attachment.Kind.FILE);
    Attachment bigFile = new Attachment("src-2", "big.png", "image/png", 5000, "https://example.org/big.png",
        Attachment.Kind.IMAGE);
    OutboundMessage base = outbound(connector, "general", "files");
    OutboundMessage withFiles = new OutboundMessage(base.destination(), base.source(), base.author(), base.text(),
        List.of(new OutboundAttachment(smallFile, Mono.just(small)),
            new OutboundAttachment(bigFile, Mono.error(new AssertionError("a linked file must not be downloaded")))),
        null, null, base.origin());

    MessageRef ref = connector.post(withFiles).block(TIMEOUT);

    PlatformMessage stored = chat.message(ref);
    assertThat(stored.attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("a.txt");
      assertThat(chat.fileContent(a)).isEqualTo(small);
      assertThat(connector.download(a).block(TIMEOUT)).isEqualTo(small);
    });
    assertThat(stored.plainText()).isEqualTo("files\nbig.png (https://example.org/big.png)");
    StepVerifier.create(connector.download(smallFile)).verifyErrorSatisfies(e ->
        assertThat(e).isInstanceOf(DeliveryException.class).hasMessageContaining("no file 'src-1'"));
  }

  @Test
  void textsLongerThanTheLimitAreSplitAndTheFirstPartIsReturned() {
    InMemoryConnector connector = InMemoryConnector.builder().platform(chat)
        .capabilities(Capabilities.builder().maxTextLength(4).build()).build();

    MessageRef first = connector.post(outbound(connector, "general", "abcdefghij")).block(TIMEOUT);

    assertThat(chat.history("general")).extracting(PlatformMessage::plainText).containsExactly("abcd", "efgh", "ij");
    assertThat(first.messageId()).isEqualTo(chat.history("general").get(0).id());
    assertThat(chat.stats("general").posts()).isEqualTo(1);
  }

  @Test
  void theBuilderFailsFastAndDefaultsToThePlatformsName() {
    assertThatThrownBy(() -> InMemoryConnector.builder().build())
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("needs a platform");
    assertThatThrownBy(() -> InMemoryConnector.builder().id(" "))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("id must not be blank");

    InMemoryConnector connector = connector();
    assertThat(connector.id()).isEqualTo("memchat");
    assertThat(connector.platform()).isEqualTo("memchat");
    assertThat(connector.botIdentity().user()).isEqualTo(new UserRef("memchat", "relay-bot"));
    assertThat(InMemoryConnector.builder().platform(chat).id("x").platformName("slackish").build().platform())
        .isEqualTo("slackish");
  }
}
