package coop.relay.sandbox.discord.internal;

import coop.relay.sandbox.Fault;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxEvent;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import coop.relay.sandbox.internal.FaultPlan;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The control API of the Discord emulator, in-process. */
final class DiscordControl implements SandboxControl {
  private final DiscordState state;
  private final FaultPlan faults;

  DiscordControl(DiscordState state, FaultPlan faults) {
    this.state = state;
    this.faults = faults;
  }

  @Override
  public String platform() {
    return "discord";
  }

  @Override
  public Flux<SandboxUser> users() {
    return Flux.defer(() -> Flux.fromIterable(state.users()));
  }

  @Override
  public Mono<SandboxUser> createUser(NewUser user) {
    return Mono.fromCallable(() -> state.createUser(Objects.requireNonNull(user, "user")));
  }

  @Override
  public Flux<SandboxChannel> channels() {
    return Flux.defer(() -> Flux.fromIterable(state.channels()));
  }

  @Override
  public Mono<SandboxChannel> createChannel(NewChannel channel) {
    return Mono.fromCallable(() -> state.createChannel(Objects.requireNonNull(channel, "channel")));
  }

  @Override
  public Mono<HistoryEntry> post(Post post) {
    return Mono.fromCallable(() -> state.post(Objects.requireNonNull(post, "post")));
  }

  @Override
  public Mono<HistoryEntry> createThread(String channelId, String userId, String title) {
    return Mono.fromCallable(() -> state.createThread(channelId, userId, title));
  }

  @Override
  public Mono<HistoryEntry> edit(String channelId, String messageId, String userId, String text) {
    return Mono.fromCallable(() -> state.edit(channelId, messageId, userId, text));
  }

  @Override
  public Mono<Void> delete(String channelId, String messageId, String userId) {
    return Mono.fromRunnable(() -> state.delete(channelId, messageId, userId));
  }

  @Override
  public Mono<Void> react(String channelId, String messageId, String userId, String emoji) {
    return Mono.fromRunnable(() -> state.react(channelId, messageId, userId, emoji, true));
  }

  @Override
  public Mono<Void> unreact(String channelId, String messageId, String userId, String emoji) {
    return Mono.fromRunnable(() -> state.react(channelId, messageId, userId, emoji, false));
  }

  @Override
  public Flux<HistoryEntry> history(String channelId) {
    return Flux.defer(() -> Flux.fromIterable(state.history(channelId)));
  }

  @Override
  public Mono<SandboxFile> file(String attachmentId) {
    return Mono.fromCallable(() -> state.controlFile(attachmentId));
  }

  @Override
  public Mono<Void> injectFault(Fault fault) {
    // Routes are matched in their normalized form, so "{id}" and "{channel_id}" name the same one.
    return Mono.fromRunnable(() -> {
      Fault f = Objects.requireNonNull(fault, "fault");
      String method = f.method().equals(Fault.ANY_METHOD) ? f.method() : RestApi.normalize(f.method());
      faults.add(new Fault(method, f.times(), f.kind(), f.status(), f.retryAfter()));
    });
  }

  @Override
  public Mono<Void> clearFaults() {
    return Mono.fromRunnable(faults::clear);
  }

  @Override
  public Flux<SandboxEvent> changes() {
    return state.feed.changes();
  }

  @Override
  public Flux<SandboxEvent> changesAfter(long sequence) {
    return state.feed.after(sequence);
  }

  @Override
  public String toString() {
    return "DiscordControl";
  }
}
