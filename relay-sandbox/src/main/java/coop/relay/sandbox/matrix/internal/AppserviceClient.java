package coop.relay.sandbox.matrix.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The homeserver's side of the application service API: requests to {@code
 * <url>/_matrix/app/v1/...}, authenticated with {@code Authorization: Bearer <hs_token>}.
 */
final class AppserviceClient {
  /** The answer of an application service: its status and body. */
  record Answer(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient client = HttpClient.create();
  private final Scheduler scheduler;
  private final Duration timeout;

  AppserviceClient(Scheduler scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  Mono<Answer> request(AppserviceAccount as, HttpMethod method, String path, String body) {
    return Mono.defer(() -> {
      String url = as.registration.url();
      if (url == null) {
        return Mono.error(new IllegalStateException("the application service has no url"));
      }
      String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      String token = as.registration.hsToken();
      return client
          .headers(h -> {
            h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
            h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
          })
          .request(method)
          .uri(base + "/_matrix/app/v1" + path)
          .send(ByteBufFlux.fromString(Mono.just(body)))
          .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
              .map(text -> new Answer(res.status().code(), text)))
          .timeout(timeout, scheduler);
    });
  }

  Mono<Answer> pushTransaction(AppserviceAccount as, AppserviceAccount.Transaction txn) {
    return request(as, HttpMethod.PUT, "/transactions/" + encode(txn.txnId()), txn.body());
  }

  Mono<Answer> queryUser(AppserviceAccount as, String userId) {
    return request(as, HttpMethod.GET, "/users/" + encode(userId), "");
  }

  Mono<Answer> queryAlias(AppserviceAccount as, String alias) {
    return request(as, HttpMethod.GET, "/rooms/" + encode(alias), "");
  }

  Mono<Answer> ping(AppserviceAccount as, String body) {
    return request(as, HttpMethod.POST, "/ping", body);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
