package coop.relay.sandbox.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import coop.relay.sandbox.Author;
import coop.relay.sandbox.HistoryEntry;
import coop.relay.sandbox.NewChannel;
import coop.relay.sandbox.NewUser;
import coop.relay.sandbox.Post;
import coop.relay.sandbox.RelaySandbox;
import coop.relay.sandbox.SandboxChannel;
import coop.relay.sandbox.SandboxControl;
import coop.relay.sandbox.SandboxException;
import coop.relay.sandbox.SandboxUser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Application services: transactions pushed to the service (with the hs_token, retried with the
 * same id), registration and masquerading of namespace users, user queries, and the ping.
 */
class MatrixAppserviceIT {
  static final String AS_TOKEN = "as_secret_token";
  static final String HS_TOKEN = "hs_secret_token";
  static final String V3 = "/_matrix/client/v3";

  /** One request the test's application service received. */
  record Received(String method, String path, String authorization, String body) {
    JsonNode json() {
      return MatrixClient.JSON.readTree(body.isEmpty() ? "{}" : body);
    }
  }

  private final MatrixSpec spec = MatrixSpec.load();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger transactionFailures = new AtomicInteger();
  private volatile boolean createQueriedUsers = true;
  private HttpServer service;
  private RelaySandbox sandbox;
  private MatrixEmulator matrix;
  private SandboxControl control;
  private MatrixClient as;

  @BeforeEach
  void start() throws IOException {
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext("/_matrix/app/v1/", this::handle);
    service.start();
    AppserviceRegistration registration = AppserviceRegistration.builder()
        .id("relay")
        .url("http://127.0.0.1:" + service.getAddress().getPort())
        .asToken(AS_TOKEN)
        .hsToken(HS_TOKEN)
        .senderLocalpart("relaybot")
        .userNamespace("@relay_.*:sandbox\\.local", true)
        .aliasNamespace("#relay_.*:sandbox\\.local", true)
        .build();
    matrix = MatrixEmulator.builder()
        .appservice(registration)
        .rateLimit(0.001, 2)
        .transactionRetry(Duration.ofMillis(50), Duration.ofMillis(200))
        .build();
    sandbox = RelaySandbox.builder().emulator(matrix).build();
    sandbox.start().block();
    control = sandbox.control("matrix");
    as = new MatrixClient(sandbox.baseUrl("matrix"), AS_TOKEN);
  }

  @AfterEach
  void stop() {
    sandbox.close();
    service.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getRawPath();
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    received.add(new Received(exchange.getRequestMethod(), path, auth == null ? "" : auth, body));
    int status = 200;
    if (path.startsWith("/_matrix/app/v1/transactions/") && transactionFailures.getAndDecrement() > 0) {
      status = 500;
    } else if (path.startsWith("/_matrix/app/v1/users/")) {
      String userId = URLDecoder.decode(path.substring("/_matrix/app/v1/users/".length()), StandardCharsets.UTF_8);
      if (createQueriedUsers) {
        // A service that wants the user creates it before answering, as the spec asks.
        as.post(V3 + "/register", Map.of("type", "m.login.application_service",
            "username", userId.substring(1, userId.indexOf(':')), "inhibit_login", true)).ok();
      } else {
        status = 404;
      }
    }
    byte[] answer = (status == 200 ? "{}" : "{\"errcode\":\"M_UNKNOWN\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private List<Received> transactions() {
    return received.stream().filter(r -> r.path().startsWith("/_matrix/app/v1/transactions/")).toList();
  }

  private String register(String localpart) {
    return as.post(V3 + "/register", Map.of("type", "m.login.application_service", "username", localpart,
        "inhibit_login", true)).ok().get("user_id").asString();
  }

  @Test
  void eventsArePushedInTransactionsRetriedWithTheSameIdUntilAccepted() {
    transactionFailures.set(2);
    SandboxUser alice = control.createUser(NewUser.named("Alice")).block();
    SandboxChannel room = control.createChannel(NewChannel.named("Bridged")).block();
    HistoryEntry hello = control.post(Post.of(room.id(), alice.id(), "hello <b>bridge</b>")).block();

    // Events are queued before post() returns, so an empty queue means all were acknowledged.
    await().atMost(Duration.ofSeconds(10)).until(() -> matrix.pendingTransactionEvents("relay") == 0);
    assertThat(seen()).contains(hello.messageId());
    List<Received> txns = transactions();
    assertThat(txns.get(0).path()).isEqualTo(txns.get(1).path()).isEqualTo(txns.get(2).path());
    assertThat(txns.get(0).body()).as("a retry sends the same events").isEqualTo(txns.get(1).body()).isEqualTo(txns.get(2).body());
    assertThat(txns).allSatisfy(t -> {
      assertThat(t.method()).isEqualTo("PUT");
      assertThat(t.authorization()).isEqualTo("Bearer " + HS_TOKEN);
      assertThat(spec.checkRequest("PUT", t.path(), t.json())).isEmpty();
      t.json().get("events").forEach(e -> assertThat(spec.checkEvent(e)).as("%s", e).isEmpty());
    });

    // Each acknowledged transaction carries new events, in stream order, each exactly once.
    List<String> ids = new ArrayList<>();
    Set<String> txnIds = new HashSet<>();
    for (Received t : transactions()) {
      if (txnIds.add(t.path())) {
        t.json().get("events").forEach(e -> ids.add(e.get("event_id").asString()));
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
    JsonNode message = transactions().stream()
        .flatMap(t -> stream(t.json().get("events")))
        .filter(e -> e.get("event_id").asString().equals(hello.messageId()))
        .findFirst().orElseThrow();
    assertThat(message.get("room_id").asString()).isEqualTo(room.id());
    assertThat(message.get("content").get("formatted_body").asString()).isEqualTo("hello <b>bridge</b>");
    assertThat(ids.indexOf(hello.messageId())).isEqualTo(ids.size() - 1);
  }

  private List<String> seen() {
    List<String> out = new ArrayList<>();
    for (Received t : transactions()) {
      t.json().path("events").forEach(e -> out.add(e.path("event_id").asString()));
    }
    return out;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  @Test
  void namespaceUsersAreRegisteredAndMasqueradedAs() {
    String ghost = register("relay_tg_42");
    assertThat(ghost).isEqualTo("@relay_tg_42:sandbox.local");
    assertThat(as.post(V3 + "/register", Map.of("type", "m.login.application_service", "username", "relay_tg_42",
        "inhibit_login", true)).errcode()).isEqualTo("M_USER_IN_USE");
    assertThat(as.post(V3 + "/register", Map.of("type", "m.login.application_service", "username", "outsider",
        "inhibit_login", true)).errcode()).isEqualTo("M_EXCLUSIVE");
    MatrixClient.Response noToken = as.withToken(null).post(V3 + "/register",
        Map.of("type", "m.login.application_service", "username", "relay_x"));
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.errcode()).isEqualTo("M_MISSING_TOKEN");
    assertThat(as.post(V3 + "/register", Map.of("username", "someone", "password", "pw")).status())
        .as("open registration is disabled").isEqualTo(403);

    assertThat(as.get(V3 + "/account/whoami").ok().get("user_id").asString()).isEqualTo("@relaybot:sandbox.local");
    JsonNode me = as.as(ghost).get(V3 + "/account/whoami").ok();
    assertThat(me.get("user_id").asString()).isEqualTo(ghost);
    assertThat(me.has("device_id")).isFalse();
    assertThat(as.as("@relay_never_registered:sandbox.local").get(V3 + "/account/whoami").status()).isEqualTo(403);
    SandboxUser alice = control.createUser(NewUser.named("Alice")).block();
    MatrixClient.Response foreign = as.as(alice.id()).get(V3 + "/account/whoami");
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.errcode()).isEqualTo("M_FORBIDDEN");
    assertThatThrownBy(() -> control.createUser(NewUser.named("Impostor").withUsername("relay_fake")).block())
        .isInstanceOf(SandboxException.class).hasMessageContaining("exclusive namespace");

    SandboxChannel room = control.createChannel(NewChannel.named("Puppets")).block();
    as.as(ghost).put(V3 + "/profile/" + MatrixClient.seg(ghost) + "/displayname", Map.of("displayname", "Bob (Telegram)")).ok();
    as.post(V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/invite", Map.of("user_id", ghost)).ok();
    as.as(ghost).post(V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/join", Map.of()).ok();
    as.as(ghost).put(V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/send/m.room.message/g1?ts=1700000000000",
        Map.of("msgtype", "m.text", "body", "hi from telegram")).ok();

    HistoryEntry entry = control.history(room.id()).blockLast();
    assertThat(entry.author().id()).isEqualTo(ghost);
    assertThat(entry.author().kind()).isEqualTo(Author.Kind.PUPPET);
    assertThat(entry.author().shownName()).isEqualTo("Bob (Telegram)");
    assertThat(entry.date().toEpochMilli()).as("timestamp massaging").isEqualTo(1700000000000L);
  }

  @Test
  void masqueradedUsersAreRateLimitedButTheSenderIsNot() {
    String ghost = register("relay_busy");
    SandboxChannel room = control.createChannel(NewChannel.named("Busy")).block();
    as.post(V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/invite", Map.of("user_id", ghost)).ok();
    as.as(ghost).post(V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/join", Map.of()).ok();
    String send = V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/send/m.room.message/";
    Map<String, String> content = Map.of("msgtype", "m.text", "body", "x");
    assertThat(as.as(ghost).put(send + "g1", content).status()).isEqualTo(200);
    MatrixClient.Response limited = as.as(ghost).put(send + "g2", content);
    assertThat(limited.status()).as("the join took the first of two").isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotNull();
    for (int i = 0; i < 5; i++) {
      assertThat(as.put(send + "s" + i, content).status()).isEqualTo(200);
    }
  }

  @Test
  void invitingAnUnknownNamespaceUserAsksTheService() {
    SandboxChannel room = control.createChannel(NewChannel.named("Invites")).block();
    String invite = V3 + "/rooms/" + MatrixClient.seg(room.id()) + "/invite";
    as.post(invite, Map.of("user_id", "@relay_new:sandbox.local")).ok();
    Received query = received.stream().filter(r -> r.path().startsWith("/_matrix/app/v1/users/")).findFirst().orElseThrow();
    assertThat(URLDecoder.decode(query.path(), StandardCharsets.UTF_8)).isEqualTo("/_matrix/app/v1/users/@relay_new:sandbox.local");
    assertThat(query.method()).isEqualTo("GET");
    assertThat(query.authorization()).isEqualTo("Bearer " + HS_TOKEN);
    assertThat(control.users().map(SandboxUser::id).collectList().block()).contains("@relay_new:sandbox.local");

    createQueriedUsers = false;
    MatrixClient.Response unknown = as.post(invite, Map.of("user_id", "@relay_nobody:sandbox.local"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
  }

  @Test
  void eventsOfAnOutageArePushedOnceTheHomeserverIsBack() {
    SandboxUser alice = control.createUser(NewUser.named("Alice")).block();
    SandboxChannel room = control.createChannel(NewChannel.named("Outage")).block();
    await().atMost(Duration.ofSeconds(10)).until(() -> matrix.pendingTransactionEvents("relay") == 0);
    sandbox.stop("matrix").block();
    HistoryEntry during = control.post(Post.of(room.id(), alice.id(), "while down")).block();
    assertThat(matrix.pendingTransactionEvents("relay")).isPositive();
    assertThat(seen()).doesNotContain(during.messageId());

    sandbox.start("matrix").block();
    await().atMost(Duration.ofSeconds(10)).until(() -> matrix.pendingTransactionEvents("relay") == 0);
    assertThat(seen()).containsOnlyOnce(during.messageId());
  }

  @Test
  void theServiceCanPingItselfThroughTheHomeserver() {
    JsonNode pong = as.post("/_matrix/client/v1/appservice/relay/ping", Map.of("transaction_id", "ping-1")).ok();
    assertThat(pong.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
    Received ping = received.stream().filter(r -> r.path().equals("/_matrix/app/v1/ping")).findFirst().orElseThrow();
    assertThat(ping.authorization()).isEqualTo("Bearer " + HS_TOKEN);
    assertThat(ping.json().get("transaction_id").asString()).isEqualTo("ping-1");
    assertThat(as.post("/_matrix/client/v1/appservice/other/ping", Map.of()).status()).isEqualTo(403);
  }
}
