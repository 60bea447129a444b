package coop.relay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.event.ConnectorState;
import coop.relay.api.event.ConnectorStateChanged;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.event.MessageCreated;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import coop.relay.testkit.tck.ConnectorTck;
import coop.relay.testkit.tck.InMemoryTckFixture;
import coop.relay.testkit.tck.SeenMessage;
import coop.relay.testkit.tck.TckFeature;
import coop.relay.testkit.tck.TckFixture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Proves that the TCK catches broken connectors: each nested contract runs the whole TCK against
 * the in-memory connector with one deliberate bug, and exactly the tests about that bug must fail.
 * (The nested classes are static, so the build does not run them by themselves.)
 */
class ConnectorTckSelfTest {

  @Test
  void aCorrectConnectorPassesEverything() {
    assertThat(failedTests(CorrectContract.class)).isEmpty();
  }

  @Test
  void echoesThatAreNotSuppressedAreCaught() {
    assertThat(failedTests(EchoingContract.class)).containsExactly("ownPostsAndTheirChangesAreNotEchoed");
  }

  @Test
  void aConnectorThatIgnoresItsCursorsIsCaughtReplayingAfterARestart() {
    assertThat(failedTests(ForgetfulContract.class)).containsExactly("restartResumesFromTheCursorsExactlyOnce");
  }

  @Test
  void aConnectorThatLosesEventsAcrossAReconnectIsCaught() {
    assertThat(failedTests(LossyReconnectContract.class)).containsExactly("reconnectLosesAndDuplicatesNothing");
  }

  @Test
  void aConnectorThatDropsFormattingIsCaught() {
    assertThat(failedTests(FormatStrippingContract.class)).containsExactly("usersMessageArrivesWithItsFormatting");
  }

  @Test
  void aConnectorWhoseStreamDoesNotStartWithConnectedIsCaught() {
    assertThat(failedTests(SilentStartContract.class)).contains("connectionFirstReportsConnected");
  }

  @Test
  void editsThatDoNothingAreCaught() {
    assertThat(failedTests(NoOpEditContract.class)).containsExactly("editReplacesTheTextOfAPostedMessage");
  }

  @Test
  void aStreamThatDiesOnAMalformedPayloadIsCaught() {
    assertThat(failedTests(FragileContract.class)).containsExactly("malformedPayloadIsSkippedAndTheStreamGoesOn");
  }

  @Test
  void refusedPostsReportedAsTransientAreCaught() {
    assertThat(failedTests(WrongFailureKindContract.class))
        .containsExactly("postingIntoAnUnknownChannelFailsPermanently");
  }

  @Test
  void missingFeaturesAndCapabilitiesSkipInsteadOfPassing() {
    TestExecutionSummary summary = run(LimitedContract.class);
    assertThat(summary.getTotalFailureCount()).isZero();
    // edits, deletes, reactions, replies, threads (capabilities) and the eight fixture features
    assertThat(summary.getTestsSkippedCount() + summary.getTestsAbortedCount()).isEqualTo(13);
  }

  private static Set<String> failedTests(Class<?> contract) {
    Set<String> failed = new TreeSet<>();
    for (TestExecutionSummary.Failure failure : run(contract).getFailures()) {
      failed.add(failure.getTestIdentifier().getDisplayName().replace("()", ""));
    }
    return failed;
  }

  private static TestExecutionSummary run(Class<?> contract) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(contract))
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getTestsFoundCount()).as("TCK tests found in %s", contract.getSimpleName()).isEqualTo(19);
    return summary;
  }

  // ---------------------------------------------------------------- contracts with one bug each

  static class CorrectContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), UnaryOperator.identity());
    }
  }

  static class EchoingContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      InMemoryTckFixture base = new InMemoryTckFixture();
      return new Tweaked(base, ignored -> InMemoryConnector.builder().platform(base.platform()).id("mem")
          .suppressEchoes(false).build());
    }
  }

  static class ForgetfulContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Flux<InboundEvent> connect(ConnectorContext context) {
          return delegate.connect(TestConnectorContext.of(context.relayId(),
              new InMemoryCursorStore().scoped(id()), context.channels()));
        }
      });
    }
  }

  static class LossyReconnectContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Flux<InboundEvent> connect(ConnectorContext context) {
          AtomicBoolean reconnected = new AtomicBoolean();
          AtomicInteger dropped = new AtomicInteger();
          return delegate.connect(context).filter(event -> {
            if (event instanceof ConnectorStateChanged s && s.state() == ConnectorState.RECONNECTING) {
              reconnected.set(true);
            }
            // After a reconnect, "forgets" the first message of the backlog.
            return !(reconnected.get() && event instanceof MessageCreated && dropped.getAndIncrement() == 0);
          });
        }
      });
    }
  }

  static class FormatStrippingContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Flux<InboundEvent> connect(ConnectorContext context) {
          return delegate.connect(context).map(event -> event instanceof MessageCreated created
              ? new MessageCreated(created.message().withText(RichText.of(created.message().text().plainText())))
              : event);
        }
      });
    }
  }

  static class SilentStartContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Flux<InboundEvent> connect(ConnectorContext context) {
          return delegate.connect(context).filter(event -> !(event instanceof ConnectorStateChanged));
        }
      }) {
        // Nearly every test waits for CONNECTED in vain; keep the wait short.
        @Override
        public Duration timeout() {
          return Duration.ofMillis(200);
        }
      };
    }
  }

  static class NoOpEditContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
          return Mono.empty();
        }
      });
    }
  }

  static class FragileContract extends ConnectorTck {
    private static final String BROKEN = "{\"broken\":";

    @Override
    protected TckFixture createFixture() {
      InMemoryTckFixture base = new InMemoryTckFixture();
      return new Tweaked(base, c -> new Wrapper(c) {
        @Override
        public Flux<InboundEvent> connect(ConnectorContext context) {
          return delegate.connect(context).handle((event, sink) -> {
            if (event instanceof MessageCreated created && created.message().text().plainText().equals(BROKEN)) {
              sink.error(new IllegalStateException("cannot parse payload"));
            } else {
              sink.next(event);
            }
          });
        }
      }) {
        @Override
        public void injectMalformedPayload(String channelId) {
          base.postAsUser(channelId, RichText.of(BROKEN));
        }
      };
    }
  }

  static class WrongFailureKindContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      return new Tweaked(new InMemoryTckFixture(), c -> new Wrapper(c) {
        @Override
        public Mono<MessageRef> post(OutboundMessage message) {
          return delegate.post(message).onErrorMap(DeliveryException.class,
              e -> DeliveryException.transientFailure(e.getMessage(), e));
        }
      });
    }
  }

  static class LimitedContract extends ConnectorTck {
    @Override
    protected TckFixture createFixture() {
      Capabilities none = Capabilities.builder().edits(false).deletes(false).reactions(false).replies(false)
          .threads(false).build();
      return new Tweaked(new InMemoryTckFixture(none), UnaryOperator.identity()) {
        @Override
        public Set<TckFeature> features() {
          return Set.of();
        }
      };
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** The in-memory fixture with its connector passed through a tweak. */
  static class Tweaked implements TckFixture {
    private final InMemoryTckFixture base;
    private final UnaryOperator<Connector> tweak;

    Tweaked(InMemoryTckFixture base, UnaryOperator<Connector> tweak) {
      this.base = base;
      this.tweak = tweak;
    }

    @Override
    public Connector createConnector() {
      return tweak.apply(base.createConnector());
    }

    // The in-memory platform answers at once; a failing TCK test should not wait long for it.
    @Override
    public Duration timeout() {
      return Duration.ofSeconds(2);
    }

    @Override
    public String channelId() {
      return base.channelId();
    }

    @Override
    public String postAsUser(String channelId, RichText text) {
      return base.postAsUser(channelId, text);
    }

    @Override
    public String replyAsUser(String channelId, String targetId, RichText text) {
      return base.replyAsUser(channelId, targetId, text);
    }

    @Override
    public String postInThreadAsUser(String channelId, String rootId, RichText text) {
      return base.postInThreadAsUser(channelId, rootId, text);
    }

    @Override
    public void editAsUser(String channelId, String messageId, RichText text) {
      base.editAsUser(channelId, messageId, text);
    }

    @Override
    public void deleteAsUser(String channelId, String messageId) {
      base.deleteAsUser(channelId, messageId);
    }

    @Override
    public void reactAsUser(String channelId, String messageId, Emoji emoji) {
      base.reactAsUser(channelId, messageId, emoji);
    }

    @Override
    public void unreactAsUser(String channelId, String messageId, Emoji emoji) {
      base.unreactAsUser(channelId, messageId, emoji);
    }

    @Override
    public List<SeenMessage> history(String channelId) {
      return base.history(channelId);
    }

    @Override
    public void disconnect() {
      base.disconnect();
    }

    @Override
    public void reconnect() {
      base.reconnect();
    }

    @Override
    public void injectMalformedPayload(String channelId) {
      base.injectMalformedPayload(channelId);
    }

    @Override
    public @Nullable String unknownChannelId() {
      return base.unknownChannelId();
    }
  }

  /** A connector that forwards everything; subclasses break one thing. */
  static class Wrapper implements Connector {
    final Connector delegate;

    Wrapper(Connector delegate) {
      this.delegate = delegate;
    }

    @Override
    public String id() {
      return delegate.id();
    }

    @Override
    public String platform() {
      return delegate.platform();
    }

    @Override
    public Capabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public Flux<InboundEvent> connect(ConnectorContext context) {
      return delegate.connect(context);
    }

    @Override
    public RenderedText render(RichText text) {
      return delegate.render(text);
    }

    @Override
    public Mono<MessageRef> post(OutboundMessage message) {
      return delegate.post(message);
    }

    @Override
    public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
      return delegate.edit(copy, message);
    }

    @Override
    public Mono<Void> delete(MessageRef copy) {
      return delegate.delete(copy);
    }

    @Override
    public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
      return delegate.addReaction(message, emoji, user);
    }

    @Override
    public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
      return delegate.removeReaction(message, emoji, user);
    }

    @Override
    public Mono<byte[]> download(Attachment attachment) {
      return delegate.download(attachment);
    }

    @Override
    public Mono<Void> close() {
      return delegate.close();
    }
  }
}
