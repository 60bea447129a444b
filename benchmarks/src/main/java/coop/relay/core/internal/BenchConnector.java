package coop.relay.core.internal;

import coop.relay.api.Attachment;
import coop.relay.api.Capabilities;
import coop.relay.api.ChannelRef;
import coop.relay.api.Identity;
import coop.relay.api.MessageRef;
import coop.relay.api.PuppetingMode;
import coop.relay.api.event.InboundEvent;
import coop.relay.api.text.Emoji;
import coop.relay.api.text.Link;
import coop.relay.api.text.Node;
import coop.relay.api.text.RichText;
import coop.relay.api.text.Styled;
import coop.relay.api.text.Text;
import coop.relay.spi.Connector;
import coop.relay.spi.ConnectorContext;
import coop.relay.spi.OutboundMessage;
import coop.relay.spi.RenderedText;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connector that answers at once, so the benchmarks measure the relay and not a platform. Its
 * renderer does real work (a markdown-like walk of the tree), as every platform's renderer does.
 */
final class BenchConnector implements Connector {
  private final String id;
  private final String platform;
  private final Capabilities capabilities;
  private final ConcurrentHashMap<String, Mono<MessageRef>> answers = new ConcurrentHashMap<>();

  BenchConnector(String id, String platform, PuppetingMode puppeting) {
    this.id = id;
    this.platform = platform;
    this.capabilities = Capabilities.builder().puppeting(puppeting).build();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String platform() {
    return platform;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public Flux<InboundEvent> connect(ConnectorContext context) {
    return Flux.never();
  }

  @Override
  public RenderedText render(RichText text) {
    StringBuilder out = new StringBuilder(64);
    for (Node node : text.nodes()) {
      render(node, out);
    }
    return new RenderedText(out.toString(), text);
  }

  private static void render(Node node, StringBuilder out) {
    if (node instanceof Text t) {
      out.append(t.value());
    } else if (node instanceof Styled s) {
      out.append("**");
      s.children().forEach(c -> render(c, out));
      out.append("**");
    } else if (node instanceof Link l) {
      out.append('[');
      l.children().forEach(c -> render(c, out));
      out.append("](").append(l.url()).append(')');
    } else {
      node.appendPlainText(out);
    }
  }

  /** Each destination channel answers with one fixed copy id, so the id map stays bounded. */
  @Override
  public Mono<MessageRef> post(OutboundMessage message) {
    Mono<MessageRef> answer = answers.get(message.destination().channelId());
    if (answer == null) {
      ChannelRef destination = message.destination();
      answer = answers.computeIfAbsent(destination.channelId(),
          channel -> Mono.just(destination.message("copy-" + channel)));
    }
    return answer;
  }

  @Override
  public Mono<Void> edit(MessageRef copy, OutboundMessage message) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> delete(MessageRef copy) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> addReaction(MessageRef message, Emoji emoji, Identity user) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> removeReaction(MessageRef message, Emoji emoji, Identity user) {
    return Mono.empty();
  }

  @Override
  public Mono<byte[]> download(Attachment attachment) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> close() {
    return Mono.empty();
  }
}
