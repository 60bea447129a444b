package coop.relay.matrix.internal;

import coop.relay.api.DeliveryException;
import coop.relay.api.Identity;
import coop.relay.matrix.AppserviceRegistration;
import coop.relay.support.BoundedMap;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The ghost users of application-service mode: one Matrix account per remote person, inside the
 * registration's user namespace. Before a ghost first speaks in a room it is registered
 * ({@code m.login.application_service}), gets the person's display name, and joins the room (after an
 * invite by the service's own user when the room needs one). Avatars are copied into the media
 * repository in the background, so a slow or missing picture never holds a message back. What was
 * done is remembered (bounded), so the steps run once per ghost, name, avatar and room.
 */
final class Ghosts {
  private static final Logger LOG = LoggerFactory.getLogger(Ghosts.class);
  private static final long MAX_AVATAR_BYTES = 5L * 1024 * 1024;

  private final String connectorId;
  private final AppserviceRegistration registration;
  private final MatrixClient client;
  private final Identities identities;
  private final BoundedMap<String, Mono<Void>> registered = new BoundedMap<>(10_000);
  private final BoundedMap<String, String> names = new BoundedMap<>(10_000);
  private final BoundedMap<String, String> avatars = new BoundedMap<>(10_000);
  private final BoundedMap<String, Mono<Void>> joined = new BoundedMap<>(50_000);
  private final Disposable.Composite background = Disposables.composite();

  Ghosts(String connectorId, AppserviceRegistration registration, MatrixClient client, Identities identities) {
    this.connectorId = connectorId;
    this.registration = registration;
    this.client = client;
    this.identities = identities;
  }

  /** The ghost's user id for a remote person; needs the server name, known after connecting. */
  String userId(Identity person, String serverName) {
    return "@" + GhostNames.localpart(registration.ghostPrefix(), person.user()) + ":" + serverName;
  }

  /** Whether {@code userId} is one of our ghosts (in a user namespace and with the ghost prefix). */
  boolean isGhost(String userId) {
    return userId.startsWith("@" + registration.ghostPrefix()) && registration.inUserNamespace(userId);
  }

  /**
   * Makes sure the ghost of {@code person} exists, shows their name and is in {@code roomId}; emits
   * its user id. Fails when the homeserver refuses to create it or to let it in.
   */
  Mono<String> ready(Identity person, String roomId) {
    return identities.serverName().flatMap(server -> {
      String ghost = userId(person, server);
      return register(ghost)
          .then(Mono.defer(() -> displayName(ghost, person.displayName())))
          .then(Mono.defer(() -> join(ghost, roomId)))
          .doOnSuccess(done -> avatar(ghost, person.avatarUrl()))
          .thenReturn(ghost);
    });
  }

  /** Registers {@code ghost} unless it exists; completes when it does. Remembered on success. */
  Mono<Void> register(String ghost) {
    return once(registered, ghost, () -> {
      String localpart = ghost.substring(1, ghost.indexOf(':'));
      HttpUrl url = client.url(MatrixClient.CLIENT_V3, "register").build();
      Map<String, Object> body = Map.of("type", "m.login.application_service", "username", localpart,
          "inhibit_login", true);
      return client.call(client.post(url, body), "registering ghost " + ghost)
          .onErrorResume(MatrixApiException.class, e -> e.is("M_USER_IN_USE") ? Mono.empty() : Mono.error(e))
          .then();
    });
  }

  private Mono<Void> displayName(String ghost, String name) {
    if (name.equals(names.get(ghost))) {
      return Mono.empty();
    }
    HttpUrl url = masquerade(client.url(MatrixClient.CLIENT_V3, "profile", ghost, "displayname"), ghost);
    return client.call(client.put(url, Map.of("displayname", name)), "setting the display name of " + ghost)
        .doOnSuccess(ok -> names.put(ghost, name))
        .then();
  }

  /** Joins {@code ghost} to {@code roomId}, inviting it as the service's user first when the room is closed. */
  Mono<Void> join(String ghost, String roomId) {
    return once(joined, ghost + " " + roomId, () -> {
      HttpUrl joinUrl = masquerade(client.url(MatrixClient.CLIENT_V3, "join", roomId), ghost);
      Mono<JsonNode> join = client.call(client.post(joinUrl, Map.of()), "joining " + roomId + " as " + ghost);
      HttpUrl inviteUrl = client.url(MatrixClient.CLIENT_V3, "rooms", roomId, "invite").build();
      Mono<JsonNode> invite = client.call(client.post(inviteUrl, Map.of("user_id", ghost)),
          "inviting " + ghost + " to " + roomId);
      return join.onErrorResume(MatrixApiException.class, refused -> refused.is("M_FORBIDDEN")
              ? invite.onErrorResume(MatrixApiException.class, e -> Mono.empty()).then(join)
              : Mono.error(refused))
          .then();
    });
  }

  /** Forgets that {@code ghost} is in {@code roomId} (it was kicked, or the room said it is not in it). */
  void forgetMembership(String ghost, String roomId) {
    joined.remove(ghost + " " + roomId);
  }

  /** Copies the avatar into the media repository and sets it, in the background; failures are logged. */
  private void avatar(String ghost, @Nullable String avatarUrl) {
    if (avatarUrl == null || avatarUrl.equals(avatars.get(ghost))) {
      return;
    }
    avatars.put(ghost, avatarUrl);
    HttpUrl source = HttpUrl.parse(avatarUrl);
    if (source == null) {
      return;
    }
    Disposable task = client.http().execute(new Request.Builder().url(source).get().build())
        .timeout(Duration.ofSeconds(30))
        .flatMap(response -> {
          String type = Objects.requireNonNullElse(response.header("Content-Type"), "");
          // Only pictures are copied: an avatar URL must not turn the relay into a fetcher of other pages.
          if (!response.isSuccessful() || !type.startsWith("image/") || response.body().length == 0
              || response.body().length > MAX_AVATAR_BYTES) {
            return Mono.error(DeliveryException.permanent("the avatar answered HTTP " + response.status() + " with "
                + response.body().length + " bytes of " + (type.isEmpty() ? "an unknown type" : type)));
          }
          HttpUrl upload = client.url(MatrixClient.MEDIA_V3, "upload").addQueryParameter("filename", "avatar").build();
          return client.send("upload " + ghost, ghost, client.upload(upload, response.body(), type),
              "uploading the avatar of " + ghost);
        })
        .flatMap(uploaded -> {
          String mxc = EventDecoder.text(uploaded, "content_uri");
          if (mxc == null) {
            return Mono.error(DeliveryException.permanent("the upload answered no content_uri"));
          }
          HttpUrl url = masquerade(client.url(MatrixClient.CLIENT_V3, "profile", ghost, "avatar_url"), ghost);
          return client.call(client.put(url, Map.of("avatar_url", mxc)), "setting the avatar of " + ghost);
        })
        .subscribe(ok -> { }, failure -> {
          avatars.remove(ghost);
          LOG.info("Matrix connector '{}': could not copy the avatar of {} ({}); it keeps the default picture",
              connectorId, ghost, ConnectionStates.describe(failure));
        });
    background.add(task);
  }

  /** {@code url} acting as {@code ghost}: the application service's identity assertion. */
  static HttpUrl masquerade(HttpUrl.Builder url, String ghost) {
    return url.addQueryParameter("user_id", ghost).build();
  }

  /** Runs {@code action} once per key while it succeeds; a failure is forgotten so that it is tried again. */
  private static Mono<Void> once(BoundedMap<String, Mono<Void>> done, String key,
      java.util.function.Supplier<Mono<Void>> action) {
    return Mono.defer(() -> done.computeIfAbsent(key, k -> Mono.defer(action)
        .doOnError(failure -> done.remove(k))
        .cache(success -> Duration.ofDays(3650), failure -> Duration.ZERO, () -> Duration.ofDays(3650))));
  }

  /** Stops copying avatars. */
  void close() {
    background.dispose();
  }

  /** The prefix of the ghosts' localparts, as configured. */
  String prefix() {
    return registration.ghostPrefix();
  }

  @Override
  public String toString() {
    return "Ghosts[" + connectorId + "]";
  }
}
