package coop.relay.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.telegram.TelegramEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** Hosting emulators, restarting them, and the control API over HTTP. */
class RelaySandboxIT {
  private static final String TOKEN = "31337:sandbox";

  private final HttpClient http = HttpClient.newHttpClient();
  private RelaySandbox sandbox;

  @BeforeEach
  void start() {
    sandbox = RelaySandbox.builder().emulator(TelegramEmulator.builder().bot(TOKEN, "host_bot").build()).build();
    sandbox.start().block();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("telegram") + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(sandbox.baseUrl("telegram") + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anEmulatorComesBackOnItsPortWithItsStateAndDeliversWhatHappenedMeanwhile() throws Exception {
    SandboxControl control = sandbox.control("telegram");
    SandboxUser alice = control.createUser(NewUser.named("Alice")).block();
    SandboxChannel chat = control.createChannel(NewChannel.named("Chat")).block();
    String url = sandbox.baseUrl("telegram");

    sandbox.stop("telegram").block();
    assertThat(sandbox.isRunning("telegram")).isFalse();
    assertThatThrownBy(() -> get("/bot" + TOKEN + "/getMe")).isInstanceOf(IOException.class);
    control.post(Post.of(chat.id(), alice.id(), "while you were away")).block();

    sandbox.start("telegram").block();
    assertThat(sandbox.baseUrl("telegram")).isEqualTo(url);
    HttpResponse<String> updates = get("/bot" + TOKEN + "/getUpdates");
    assertThat(updates.statusCode()).isEqualTo(200);
    assertThat(updates.body()).contains("while you were away");
  }

  @Test
  void stoppingClosesHeldLongPolls() {
    CompletableFuture<HttpResponse<String>> poll = getAsync("/bot" + TOKEN + "/getUpdates?timeout=30");
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(3)).until(() -> !poll.isDone());
    sandbox.stop("telegram").block();
    assertThat(poll).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IOException.class);
  }

  @Test
  void theControlApiWorksTheSameOverHttp() {
    SandboxControl remote = SandboxControl.remote(sandbox.baseUrl("telegram")).block();
    assertThat(remote.platform()).isEqualTo("telegram");

    SandboxUser bob = remote.createUser(NewUser.named("Bob").withAvatar("https://example.org/bob.png")).block();
    assertThat(bob.avatarUrl()).isEqualTo("https://example.org/bob.png");
    assertThat(remote.users().collectList().block()).extracting(SandboxUser::displayName).containsExactly("host_bot", "Bob");
    SandboxChannel chat = remote.createChannel(NewChannel.named("Remote chat")).block();
    assertThat(remote.channels().collectList().block()).containsExactly(chat);

    HistoryEntry posted = remote.post(Post.of(chat.id(), bob.id(), "<b>hi</b> there")
        .withAttachment(new SandboxFile("notes.txt", "text/plain", "n".getBytes()))).block();
    assertThat(posted.text()).isEqualTo("hi there");
    assertThat(posted.formatted()).isEqualTo("<b>hi</b> there");
    HistoryEntry reply = remote.post(Post.of(chat.id(), bob.id(), "reply").withReplyTo(posted.messageId())).block();
    assertThat(reply.replyTo()).isEqualTo(posted.messageId());
    remote.edit(chat.id(), reply.messageId(), bob.id(), "edited reply").block();
    remote.react(chat.id(), posted.messageId(), bob.id(), "🔥").block();
    remote.delete(chat.id(), reply.messageId(), bob.id()).block();

    List<HistoryEntry> history = remote.history(chat.id()).collectList().block();
    assertThat(history).hasSize(2);
    assertThat(history.get(0).reactions()).singleElement().satisfies(r -> assertThat(r.emoji()).isEqualTo("🔥"));
    assertThat(history.get(1).edited()).isTrue();
    assertThat(history.get(1).deleted()).isTrue();
    assertThat(history).isEqualTo(sandbox.control("telegram").history(chat.id()).collectList().block());
    SandboxFile file = remote.file(history.get(0).attachments().get(0).id()).block();
    assertThat(file).isEqualTo(new SandboxFile("notes.txt", "text/plain", "n".getBytes()));

    assertThatThrownBy(() -> remote.post(Post.of("-42", bob.id(), "nowhere")).block())
        .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.reason()).isEqualTo(SandboxException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> remote.react(chat.id(), posted.messageId(), bob.id(), "🦆").block())
        .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.reason()).isEqualTo(SandboxException.Reason.INVALID));
    remote.injectFault(Fault.serverError("getMe", 1, 503)).block();
    assertThat(sandbox.control("telegram").clearFaults().then(remote.clearFaults()).block()).isNull();
  }

  @Test
  void changesStreamOverServerSentEventsAndReplayAfterASequence() throws Exception {
    SandboxControl remote = SandboxControl.remote(sandbox.baseUrl("telegram")).block();
    List<SandboxEvent> live = new CopyOnWriteArrayList<>();
    Disposable following = remote.changes().subscribe(live::add);
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        // The stream is open once the server has answered; create users until the first shows up.
        remote.createUser(NewUser.named("Probe")).block();
        return !live.isEmpty();
      });
      SandboxChannel chat = remote.createChannel(NewChannel.named("Watched")).block();
      SandboxUser carol = remote.createUser(NewUser.named("Carol")).block();
      remote.post(Post.of(chat.id(), carol.id(), "watch this")).block();
      await().atMost(Duration.ofSeconds(5)).until(() -> live.stream().anyMatch(e -> e.type() == SandboxEvent.Type.MESSAGE_CREATED));
      SandboxEvent created = live.stream().filter(e -> e.type() == SandboxEvent.Type.MESSAGE_CREATED).findFirst().orElseThrow();
      assertThat(created.message().text()).isEqualTo("watch this");
      assertThat(created.channelId()).isEqualTo(chat.id());
      assertThat(created.platform()).isEqualTo("telegram");
    } finally {
      following.dispose();
    }
    List<SandboxEvent> replayed = remote.changesAfter(0).take(Duration.ofSeconds(2)).collectList().block();
    assertThat(replayed).isNotEmpty();
    assertThat(replayed.get(0).sequence()).isEqualTo(1);
    assertThat(replayed).extracting(SandboxEvent::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(replayed).extracting(SandboxEvent::type).contains(SandboxEvent.Type.USER_CREATED,
        SandboxEvent.Type.CHANNEL_CREATED, SandboxEvent.Type.MESSAGE_CREATED);

    HttpResponse<String> stream = getAsync("/_sandbox/nope").get();
    assertThat(stream.statusCode()).isEqualTo(404);
    assertThat(stream.body()).contains("\"error\":\"NOT_FOUND\"");
  }

  @Test
  void pathSegmentsOfTheControlApiAreDecodedExactlyOnce() throws Exception {
    HttpResponse<String> answer = get("/_sandbox/channels/abc%2541/messages");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).contains("no Telegram chat abc%41;");
    HttpResponse<String> cleared = http.send(
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl("telegram") + "/_sandbox/faults")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(cleared.statusCode()).as("actions without a result answer 204").isEqualTo(204);
    assertThat(get("/_sandbox").body()).isEqualTo("{\"platform\":\"telegram\"}");
  }

  @Test
  void aPageFromAnotherOriginMayUseTheControlApi() throws Exception {
    HttpResponse<String> preflight = http.send(
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl("telegram") + "/_sandbox/channels/1/messages/2"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "http://127.0.0.1:9")
            .header("Access-Control-Request-Method", "PATCH")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("PATCH"));
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v -> assertThat(v).contains("Content-Type"));
    assertThat(get("/_sandbox/users").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(get("/_sandbox/nothing").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void theBuilderFailsFastOnMistakes() {
    assertThatThrownBy(() -> RelaySandbox.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("add at least one emulator");
    TelegramEmulator one = TelegramEmulator.builder().bot("1:a", "one_bot").build();
    assertThatThrownBy(() -> RelaySandbox.builder().emulator(one).emulator(TelegramEmulator.builder().bot("2:b", "two_bot").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
    assertThatThrownBy(() -> sandbox.baseUrl("discord")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no \"discord\" emulator");
    assertThatThrownBy(() -> TelegramEmulator.builder().bot("not a token", "x_bot"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not a token");
    assertThatThrownBy(() -> TelegramEmulator.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThat(sandbox.platforms()).containsExactly("telegram");
    assertThat(sandbox.emulator(TelegramEmulator.class).platform()).isEqualTo("telegram");
  }
}
