package coop.relay.spi;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.RichText;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A chat platform as the relay sees it. Implement it to bridge a new platform, and check the
 * implementation with the connector TCK of {@code relay-testkit}.
 *
 * <p><b>Contract.</b> All methods returning {@code Mono}/{@code Flux} are lazy: nothing happens
 * until subscription, and cancelling the subscription cancels the work (the HTTP call, the poll, the
 * socket). Failures are signalled as {@link coop.relay.api.DeliveryException} (with
 * {@link coop.relay.api.RateLimitedException} when the platform gave a retry-after),
 * {@link coop.relay.api.CredentialsRejectedException} or
 * {@link coop.relay.api.InvalidConfigurationException}; never thrown. Implementations must not
 * block the calling thread, and must never put a secret into a log line, an exception or
 * {@code toString()}.
 *
 * <p><b>Echoes.</b> Everything the relay posts through this connector carries an
 * {@link coop.relay.api.OriginMarker} ({@link OutboundMessage#origin()}). The connector puts it in a
 * platform-native place that comes back with the message, and drops inbound events that carry a
 * marker of its own relay ({@link ConnectorContext#relayId()}) or that its own bot account caused.
 * The relay has a second, independent guard by message id; neither relies on time windows.
 */
public interface Connector {

  /** The id this connector was registered under; unique within a relay, e.g. {@code "tg"}. */
  String id();

  /** The platform's name, e.g. {@code "telegram"}; shown in name templates and metrics. */
  String platform();

  /** What this platform can do; constant for the life of the connector. */
  Capabilities capabilities();

  /**
   * Connects to the platform and streams what happens there.
   *
   * <p>The flux first emits a {@link coop.relay.api.event.ConnectorStateChanged} with
   * {@code CONNECTED} once it receives, or {@code RECONNECTING} when the platform is unreachable and
   * it retries in the background; afterwards channel events and further state changes. It resumes
   * from the cursors in {@link ConnectorContext#cursors()} and saves them as it goes, so a restart
   * neither loses nor repeats events (repeats that the platform itself causes are dropped by the
   * relay's dedup window). A malformed platform payload is logged without secrets and skipped; it
   * never ends the flux.
   *
   * <p>The flux fails with {@link coop.relay.api.CredentialsRejectedException} when the platform
   * rejects the credentials and with {@link coop.relay.api.InvalidConfigurationException} when the
   * configuration cannot work; it never completes on its own. Cancelling it disconnects.
   * The relay subscribes once.
   */
  Flux<InboundEvent> connect(ConnectorContext context);

  /**
   * Renders portable text into this platform's markup. Pure and cheap to call; the relay calls it
   * once per message for all destinations on this connector and shares the result.
   * Mentions of users of other connectors render as plain text that pings nobody.
   */
  RenderedText render(RichText text);

  /**
   * Posts a message into {@link OutboundMessage#destination()}.
   *
   * @return emits the reference of the new platform message (the first one when the text was split)
   */
  Mono<MessageRef> post(OutboundMessage message);

  /**
   * Replaces the content of a message this connector posted earlier.
   *
   * @param copy the message to edit, as returned by {@link #post}
   * @param message the new content; its destination is the copy's channel
   * @return completes when the platform accepted the edit
   */
  Mono<Void> edit(MessageRef copy, OutboundMessage message);

  /** Deletes a message this connector posted earlier; completes when done, also when it was already gone. */
  Mono<Void> delete(MessageRef copy);

  /**
   * Adds a reaction to a message on this platform on behalf of {@code user} (as the bot where the
   * platform cannot react as someone else).
   */
  Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user);

  /** Removes a reaction added by {@link #addReaction}. */
  Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user);

  /**
   * Fetches the bytes of an attachment that was received through this connector, so that another
   * connector can upload it. Fails with a {@link coop.relay.api.DeliveryException} when the file is
   * gone.
   */
  Mono<byte[]> download(Attachment attachment);

  /** Releases what the connector holds (HTTP clients, threads); completes when it is done. Idempotent. */
  Mono<Void> close();
}
