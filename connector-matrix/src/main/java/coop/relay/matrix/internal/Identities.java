package coop.relay.matrix.internal;

import coop.relay.api.InvalidConfigurationException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Who the connector is on the homeserver: {@code GET /account/whoami} answered once (the access
 * token's user in client mode, the service's own user in application-service mode), and the server
 * name that every ghost id ends with. A base URL that is no homeserver is a configuration error.
 */
final class Identities {
  private final String connectorId;
  private final MatrixClient client;
  private final Mono<String> whoami;
  private volatile @Nullable String userId;

  Identities(String connectorId, MatrixClient client) {
    this.connectorId = connectorId;
    this.client = client;
    this.whoami = Mono.defer(this::ask)
        .cache(user -> Duration.ofDays(3650), failure -> Duration.ZERO, () -> Duration.ZERO);
  }

  /** Emits the user id the token belongs to; asks the homeserver the first time only. */
  Mono<String> whoami() {
    return whoami;
  }

  /** Asks the homeserver again, e.g. as a health check; fails like any request. */
  Mono<String> check() {
    return ask();
  }

  /** The server name, the part of our user id after the first {@code :}. */
  Mono<String> serverName() {
    return whoami.map(Identities::serverOf);
  }

  /** Our user id when it is known, else {@code null}. */
  @Nullable String userIdIfKnown() {
    return userId;
  }

  static String serverOf(String userId) {
    return userId.substring(userId.indexOf(':') + 1);
  }

  private Mono<String> ask() {
    return client.call(client.get(client.url(MatrixClient.CLIENT_V3, "account", "whoami").build()), "GET whoami")
        .map(answer -> {
          String user = EventDecoder.text(answer, "user_id");
          if (user == null || !user.startsWith("@") || user.indexOf(':') < 2) {
            throw new InvalidConfigurationException("connector '" + connectorId + "': the homeserver answered whoami"
                + " without a user id; check that baseUrl points at the homeserver's client-server API");
          }
          userId = user;
          return user;
        })
        .onErrorMap(MatrixApiException.class, e -> new InvalidConfigurationException("connector '" + connectorId
            + "': " + e.getMessage() + "; check that baseUrl points at a Matrix homeserver"));
  }
}
