package coop.relay.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxFile;
import coop.relay.sandbox.SandboxUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Socket Mode over a real WebSocket: hello, envelopes, acks, redelivery, refresh. */
class SlackSocketModeIT {
  private static final String BOT = "xoxb-1-relay";
  private static final String APP = "xapp-1-relay";

  private RelaySandbox sandbox;
  private SlackEmulator slack;
  private SandboxControl control;
  private WebApiClient app;
  private WebApiClient bot;
  private SandboxUser alice;
  private SandboxChannel general;
  private final List<SocketClient> clients = new ArrayList<>();

  private void start(SlackEmulator.Builder builder) {
    slack = builder.app("relay", a -> a.botToken(BOT).appToken(APP)).rateLimits(false).build();
    sandbox = RelaySandbox.builder().emulator(slack).build();
    sandbox.start().block();
    control = sandbox.control("slack");
    app = new WebApiClient(sandbox.baseUrl("slack") + "/api", APP);
    bot = app.withToken(BOT);
    alice = control.createUser(NewUser.named("Alice")).block();
    general = control.createChannel(NewChannel.named("general")).block();
  }

  private void start() {
    start(SlackEmulator.builder());
  }

  @AfterEach
  void stop() {
    clients.forEach(SocketClient::abort);
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private SocketClient connect() {
    SocketClient client = SocketClient.open(app);
    clients.add(client);
    JsonNode hello = client.next();
    assertThat(hello.path("type").asString()).isEqualTo("hello");
    return client;
  }

  private HistoryEntry say(String text) {
    return control.post(Post.of(general.id(), alice.id(), text)).block();
  }

  /** The next envelope, checked against the samples and acked. */
  private JsonNode event(SocketClient client) {
    JsonNode envelope = client.nextEnvelope();
    EventSamples.conforms(envelope.get("payload"));
    client.ack(envelope);
    return envelope.get("payload").get("event");
  }

  @Test
  void helloThenEveryKindOfEventInSlacksShapes() {
    start();
    SocketClient client = SocketClient.open(app);
    clients.add(client);
    JsonNode hello = client.next();
    assertThat(hello.get("type").asString()).isEqualTo("hello");
    assertThat(hello.get("num_connections").asInt()).isEqualTo(1);
    assertThat(hello.get("debug_info").get("host").asString()).isNotEmpty();
    assertThat(hello.get("connection_info").get("app_id").asString()).isEqualTo(slack.app("relay").appId());

    HistoryEntry root = say("hello *world*");
    JsonNode envelope = client.nextEnvelope();
    assertThat(envelope.get("envelope_id").asString()).isNotEmpty();
    assertThat(envelope.get("accepts_response_payload").asBoolean()).isFalse();
    assertThat(envelope.get("retry_attempt").asInt()).isZero();
    JsonNode payload = envelope.get("payload");
    EventSamples.conforms(payload);
    client.ack(envelope);
    assertThat(payload.get("api_app_id").asString()).isEqualTo(slack.app("relay").appId());
    assertThat(payload.get("team_id").asString()).isEqualTo("T0SANDBOX1");
    assertThat(payload.get("event_id").asString()).startsWith("Ev");
    assertThat(payload.get("authorizations").get(0).get("user_id").asString()).isEqualTo(slack.app("relay").botUserId());
    JsonNode message = payload.get("event");
    assertThat(message.get("type").asString()).isEqualTo("message");
    assertThat(message.has("subtype")).isFalse();
    assertThat(message.get("text").asString()).isEqualTo("hello *world*");
    assertThat(message.get("user").asString()).isEqualTo(alice.id());
    assertThat(message.get("ts").asString()).isEqualTo(root.messageId());
    assertThat(message.get("event_ts").asString()).isEqualTo(root.messageId());
    assertThat(message.get("channel").asString()).isEqualTo(general.id());
    assertThat(message.get("channel_type").asString()).isEqualTo("channel");

    HistoryEntry reply = control.post(Post.of(general.id(), alice.id(), "in thread").withThread(root.messageId())).block();
    JsonNode threaded = event(client);
    assertThat(threaded.get("thread_ts").asString()).isEqualTo(root.messageId());
    assertThat(threaded.get("parent_user_id").asString()).isEqualTo(alice.id());

    control.edit(general.id(), root.messageId(), alice.id(), "hello *everyone*").block();
    JsonNode changed = event(client);
    assertThat(changed.get("subtype").asString()).isEqualTo("message_changed");
    assertThat(changed.get("message").get("text").asString()).isEqualTo("hello *everyone*");
    assertThat(changed.get("message").get("edited").get("user").asString()).isEqualTo(alice.id());
    assertThat(changed.get("previous_message").get("text").asString()).isEqualTo("hello *world*");
    assertThat(changed.get("hidden").asBoolean()).isTrue();

    control.react(general.id(), root.messageId(), alice.id(), "🎉").block();
    JsonNode added = event(client);
    assertThat(added.get("type").asString()).isEqualTo("reaction_added");
    assertThat(added.get("reaction").asString()).isEqualTo("tada");
    assertThat(added.get("item").get("ts").asString()).isEqualTo(root.messageId());
    assertThat(added.get("item").get("channel").asString()).isEqualTo(general.id());
    assertThat(added.get("item_user").asString()).isEqualTo(alice.id());
    control.unreact(general.id(), root.messageId(), alice.id(), "🎉").block();
    assertThat(event(client).get("type").asString()).isEqualTo("reaction_removed");

    control.post(Post.of(general.id(), alice.id(), "/me dances")).block();
    JsonNode me = event(client);
    assertThat(me.get("subtype").asString()).isEqualTo("me_message");
    assertThat(me.get("text").asString()).isEqualTo("dances");

    slack.broadcastReply(general.id(), root.messageId(), alice.id(), "to everyone").block();
    JsonNode broadcast = event(client);
    assertThat(broadcast.get("subtype").asString()).isEqualTo("thread_broadcast");
    assertThat(broadcast.get("root").get("ts").asString()).isEqualTo(root.messageId());

    control.post(Post.of(general.id(), alice.id(), "a file")
        .withAttachment(new SandboxFile("a.txt", "text/plain", new byte[] {65}))).block();
    JsonNode file = event(client);
    assertThat(file.get("subtype").asString()).isEqualTo("file_share");
    assertThat(file.get("files").get(0).get("url_private").asString()).contains("/files-pri/");

    control.delete(general.id(), reply.messageId(), alice.id()).block();
    JsonNode deleted = event(client);
    assertThat(deleted.get("subtype").asString()).isEqualTo("message_deleted");
    assertThat(deleted.get("deleted_ts").asString()).isEqualTo(reply.messageId());
    assertThat(deleted.get("previous_message").get("text").asString()).isEqualTo("in thread");
  }

  @Test
  void theAppsOwnPostsComeBackWithBotIdAndMetadata() {
    start();
    SocketClient client = connect();
    JsonNode posted = bot.json("chat.postMessage", Map.of("channel", general.id(), "text", "relayed",
        "metadata", Map.of("event_type", "relay_origin", "event_payload", Map.of("id", "42")))).ok();
    JsonNode own = event(client);
    assertThat(own.get("bot_id").asString()).isEqualTo(slack.app("relay").botId());
    assertThat(own.get("app_id").asString()).isEqualTo(slack.app("relay").appId());
    assertThat(own.get("ts").asString()).isEqualTo(posted.get("ts").asString());
    assertThat(own.get("metadata").get("event_payload").get("id").asString()).isEqualTo("42");

    bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "as Bob", "username", "Bob",
        "icon_url", "https://example.org/bob.png"));
    JsonNode puppet = event(client);
    assertThat(puppet.get("subtype").asString()).isEqualTo("bot_message");
    assertThat(puppet.get("username").asString()).isEqualTo("Bob");
    assertThat(puppet.get("bot_id").asString()).isEqualTo(slack.app("relay").botId());

    bot.form("chat.update", Map.of("channel", general.id(), "ts", posted.get("ts").asString(), "text", "relayed, edited"));
    JsonNode changed = event(client);
    assertThat(changed.get("message").get("metadata").get("event_type").asString()).isEqualTo("relay_origin");
  }

  @Test
  void linksUnfurlAsAMessageChangedWithoutAnEdit() {
    start(SlackEmulator.builder().unfurlDelay(Duration.ofMillis(100)));
    SocketClient client = connect();
    HistoryEntry posted = say("read <https://example.org/coop|this> please");
    assertThat(event(client).has("attachments")).isFalse();
    JsonNode unfurled = event(client);
    assertThat(unfurled.get("subtype").asString()).isEqualTo("message_changed");
    assertThat(unfurled.get("message").has("edited")).isFalse();
    assertThat(unfurled.get("message").get("text").asString()).isEqualTo(posted.text());
    assertThat(unfurled.get("message").get("attachments").get(0).get("from_url").asString()).isEqualTo("https://example.org/coop");
    assertThat(unfurled.get("previous_message").has("attachments")).isFalse();
    HistoryEntry stored = control.history(general.id()).blockFirst();
    assertThat(stored.edited()).isFalse();
    assertThat(stored.raw()).contains("from_url");
    assertThat(bot.form("conversations.history", Map.of("channel", general.id())).ok()
        .get("messages").get(0).get("attachments")).hasSize(1);

    // An app's text links unfurl only with unfurl_links; media links unless unfurl_media=false.
    bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "https://example.org/page"));
    assertThat(event(client).get("text").asString()).isEqualTo("https://example.org/page");
    bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "https://example.org/cat.png"));
    assertThat(event(client).get("text").asString()).isEqualTo("https://example.org/cat.png");
    JsonNode media = event(client);
    assertThat(media.get("message").get("attachments").get(0).get("image_url").asString()).isEqualTo("https://example.org/cat.png");
    bot.form("chat.postMessage", Map.of("channel", general.id(), "text", "https://example.org/more", "unfurl_links", "true"));
    event(client);
    assertThat(event(client).get("message").get("attachments").get(0).get("title_link").asString()).isEqualTo("https://example.org/more");
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(client::idle);
  }

  @Test
  void anUnackedEnvelopeIsSentAgainAfterTheAckTimeout() {
    start(SlackEmulator.builder().ackTimeout(Duration.ofSeconds(1)));
    SocketClient client = connect();
    say("ack me late");
    JsonNode first = client.nextEnvelope();
    JsonNode second = client.nextEnvelope();
    assertThat(second.get("payload").get("event_id").asString()).isEqualTo(first.get("payload").get("event_id").asString());
    assertThat(second.get("envelope_id").asString()).isNotEqualTo(first.get("envelope_id").asString());
    assertThat(second.get("retry_attempt").asInt()).isEqualTo(1);
    assertThat(second.get("retry_reason").asString()).isEqualTo("timeout");
    client.ack(second);
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(client::idle);

    // Slack gives up after three retries.
    say("never acked");
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      attempts.add(client.nextEnvelope().get("retry_attempt").asInt());
    }
    assertThat(attempts).containsExactly(0, 1, 2, 3);
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(client::idle);
  }

  @Test
  void envelopesUnackedWhenTheConnectionDropsGoToTheNextConnection() {
    start();
    SocketClient first = connect();
    say("in flight");
    JsonNode lost = first.nextEnvelope();
    slack.dropSockets("relay").block();
    first.closed.join();
    await().atMost(Duration.ofSeconds(5)).until(() -> slack.openSockets("relay") == 0);

    say("while away");
    SocketClient second = connect();
    JsonNode again = second.nextEnvelope();
    assertThat(again.get("payload").get("event_id").asString()).isEqualTo(lost.get("payload").get("event_id").asString());
    assertThat(again.get("retry_attempt").asInt()).isEqualTo(1);
    assertThat(again.get("retry_reason").asString()).isEqualTo("connection_closed");
    second.ack(again);
    JsonNode waiting = second.nextEnvelope();
    assertThat(waiting.get("payload").get("event").get("text").asString()).isEqualTo("while away");
    assertThat(waiting.get("retry_attempt").asInt()).isZero();
  }

  @Test
  void aRefreshLetsTheAppOpenItsNextConnectionFirst() {
    start(SlackEmulator.builder().socketRefresh(null, Duration.ofSeconds(3)));
    SocketClient old = connect();
    slack.refreshSockets("relay").block();
    JsonNode disconnect = old.next();
    assertThat(disconnect.get("type").asString()).isEqualTo("disconnect");
    assertThat(disconnect.get("reason").asString()).isEqualTo("refresh_requested");

    SocketClient next = SocketClient.open(app);
    clients.add(next);
    assertThat(next.next().get("num_connections").asInt()).isEqualTo(2);
    say("after the refresh");
    assertThat(event(next).get("text").asString()).isEqualTo("after the refresh");
    assertThat(old.closed.join()).isEqualTo(1000);
    assertThat(old.idle()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> slack.openSockets("relay") == 1);
  }

  @Test
  void connectionsAreRefreshedWhenTheyGetOldAndWarningsAndLinkDisabledAreSent() {
    start(SlackEmulator.builder().socketRefresh(Duration.ofMillis(1500), Duration.ofMillis(100)));
    SocketClient client = connect();
    slack.warnSockets("relay").block();
    assertThat(client.next().get("reason").asString()).isEqualTo("warning");
    assertThat(client.next().get("reason").asString()).isEqualTo("refresh_requested");
    client.closed.join();

    SocketClient second = connect();
    slack.socketMode("relay", false).block();
    assertThat(second.next().get("reason").asString()).isEqualTo("link_disabled");
    second.closed.join();
  }

  @Test
  void eventsAreSpreadOverOpenConnectionsOncePerEvent() {
    start();
    SocketClient a = connect();
    SocketClient b = SocketClient.open(app);
    clients.add(b);
    assertThat(b.next().get("num_connections").asInt()).isEqualTo(2);
    for (int i = 0; i < 6; i++) {
      say("message " + i);
    }
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      texts.add(event(a).get("text").asString());
      texts.add(event(b).get("text").asString());
    }
    assertThat(texts).hasSize(6);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> a.idle() && b.idle());
  }

  @Test
  void ticketsWorkOnceAndGarbageFramesAreIgnored() {
    start();
    String url = app.form("apps.connections.open", Map.of()).ok().get("url").asString();
    assertThat(url).startsWith("ws://").contains("ticket=").contains("app_id=" + slack.app("relay").appId());
    SocketClient client = SocketClient.connect(url);
    clients.add(client);
    client.next();
    assertThatThrownBy(() -> SocketClient.connect(url)).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
    assertThat(app.withToken("xapp-1-unknown").form("apps.connections.open", Map.of()).error()).isEqualTo("invalid_auth");

    client.send("not json");
    client.send("{\"no\":\"envelope\"}");
    say("still works");
    assertThat(event(client).get("text").asString()).isEqualTo("still works");
  }

  @Test
  void eventsWaitWhileTheEmulatorIsDownAndOnlyMembersGetThem() {
    start();
    SocketClient client = connect();
    sandbox.stop("slack").block();
    client.closed.join();
    say("posted during the outage");
    sandbox.start("slack").block();
    SocketClient after = connect();
    JsonNode envelope = after.nextEnvelope();
    assertThat(envelope.get("payload").get("event").get("text").asString()).isEqualTo("posted during the outage");
    after.ack(envelope);

    slack.leave("relay", general.id()).block();
    say("not for the bot");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(after::idle);
    slack.join("relay", general.id()).block();
    say("for the bot again");
    assertThat(event(after).get("text").asString()).isEqualTo("for the bot again");
  }

  @Test
  void aMalformedEventComesInAnEnvelopeAndIsSentAgainUntilAcked() {
    start(SlackEmulator.builder().ackTimeout(Duration.ofSeconds(1)));
    SocketClient client = connect();
    String eventId = slack.injectMalformedEvent("relay", general.id()).block();
    JsonNode first = client.nextEnvelope();
    JsonNode payload = first.get("payload");
    EventSamples.wrapperConforms(payload);
    assertThat(payload.get("event_id").asString()).isEqualTo(eventId);
    assertThat(payload.get("api_app_id").asString()).isEqualTo(slack.app("relay").appId());
    JsonNode broken = payload.get("event");
    assertThat(broken.get("type").asString()).isEqualTo("message");
    assertThat(broken.get("channel").isArray()).as("channel is an array: %s", broken).isTrue();
    assertThat(broken.get("channel").get(0).asString()).isEqualTo(general.id());
    assertThat(broken.get("ts").isObject()).as("ts is an object: %s", broken).isTrue();
    assertThat(broken.get("user").isNumber()).as("user is a number: %s", broken).isTrue();
    assertThatThrownBy(() -> EventSamples.conforms(payload)).as("the event has no message's shape")
        .isInstanceOf(AssertionError.class);

    // Not acked: it comes again like any event, in a new envelope.
    JsonNode again = client.nextEnvelope();
    assertThat(again.get("envelope_id").asString()).isNotEqualTo(first.get("envelope_id").asString());
    assertThat(again.get("retry_attempt").asInt()).isEqualTo(1);
    assertThat(again.get("retry_reason").asString()).isEqualTo("timeout");
    assertThat(again.get("payload")).isEqualTo(payload);
    assertThat(slack.undeliveredEvents("relay")).as("the malformed event awaits its ack").isEqualTo(1);
    client.ack(again);
    await().atMost(Duration.ofSeconds(5)).until(() -> slack.undeliveredEvents("relay") == 0);

    HistoryEntry after = say("after the broken one");
    JsonNode next = event(client);
    assertThat(next.get("ts").asString()).isEqualTo(after.messageId());
    assertThat(control.history(general.id()).map(HistoryEntry::messageId).collectList().block())
        .as("the malformed event is no message of the channel").containsExactly(after.messageId());
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(4)).until(client::idle);
  }

  @Test
  void eventsCountAsUndeliveredUntilAckedOrGivenUp() {
    start(SlackEmulator.builder().ackTimeout(Duration.ofMillis(500)));
    say("before any connection");
    assertThat(slack.undeliveredEvents("relay")).as("waiting for a connection").isEqualTo(1);
    SocketClient client = connect();
    JsonNode envelope = client.nextEnvelope();
    assertThat(slack.undeliveredEvents("relay")).as("sent, not acked").isEqualTo(1);
    client.ack(envelope);
    await().atMost(Duration.ofSeconds(5)).until(() -> slack.undeliveredEvents("relay") == 0);

    say("never acked");
    for (int attempt = 0; attempt < 4; attempt++) {
      assertThat(client.nextEnvelope().get("retry_attempt").asInt()).isEqualTo(attempt);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> slack.undeliveredEvents("relay") == 0);
    assertThatThrownBy(() -> slack.undeliveredEvents("nope")).isInstanceOf(SandboxException.class);
  }

  @Test
  void malformedEventsOverHttpNeedAKnownAppAndAChannelItsBotIsIn() throws Exception {
    start();
    SocketClient client = connect();
    String base = sandbox.baseUrl("slack") + "/_sandbox/slack/apps/";
    HttpResponse<String> sent = postJson(base + "relay/malformed-event", "{\"channelId\":\"" + general.id() + "\"}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    String eventId = SlackSpec.JSON.readTree(sent.body()).get("eventId").asString();
    JsonNode envelope = client.nextEnvelope();
    client.ack(envelope);
    assertThat(envelope.get("payload").get("event_id").asString()).isEqualTo(eventId);
    assertThat(envelope.get("payload").get("event").get("channel").get(0).asString()).isEqualTo(general.id());

    assertThat(postJson(base + "nope/malformed-event", "{\"channelId\":\"" + general.id() + "\"}").statusCode())
        .isEqualTo(404);
    HttpResponse<String> unknownChannel = postJson(base + "relay/malformed-event", "{\"channelId\":\"C0NOSUCH1\"}");
    assertThat(unknownChannel.statusCode()).isEqualTo(404);
    assertThat(SlackSpec.JSON.readTree(unknownChannel.body()).get("error").asString()).isEqualTo("NOT_FOUND");
    assertThat(postJson(base + "relay/malformed-event", "{}").statusCode()).isEqualTo(400);

    slack.leave("relay", general.id()).block();
    assertThat(postJson(base + "relay/malformed-event", "{\"channelId\":\"" + general.id() + "\"}").statusCode())
        .as("the bot is not in the channel").isEqualTo(409);
    slack.join("relay", general.id()).block();
    slack.deactivate("relay").block();
    assertThat(catchThrowableOfType(SandboxException.class,
        () -> slack.injectMalformedEvent("relay", general.id()).block()).reason())
        .isEqualTo(SandboxException.Reason.CONFLICT);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(client::idle);
  }

  private static HttpResponse<String> postJson(String url, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
