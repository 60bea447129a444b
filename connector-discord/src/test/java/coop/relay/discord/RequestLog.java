package coop.relay.discord;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.ForwardingSource;
import okio.Okio;
import org.jspecify.annotations.Nullable;

/**
 * Records, on the connector's OkHttp client, when each request left and when its answer came back,
 * then hands the request on to {@code next} (the spec check). Webhook tokens are cut out of the
 * recorded paths.
 *
 * <p>An answer also records when the connector closed its body. The connector's HTTP exchange reads
 * the body, hands the response to the rate limiter (which takes in a 429 on the same thread) and
 * only then closes it; so once {@link Exchange#isClosed()} holds for a 429, the rate limiter knows
 * about it, and a request submitted afterwards has to respect it.
 */
final class RequestLog implements Interceptor {

  /** One request: its method and path, its status (0 until answered, -1 when it failed) and its times. */
  static final class Exchange {
    final String method;
    final String path;
    final long sentNanos;
    private volatile int status;
    private volatile long answeredNanos;
    private volatile boolean closed;

    Exchange(String method, String path, long sentNanos) {
      this.method = method;
      this.path = path;
      this.sentNanos = sentNanos;
    }

    int status() {
      return status;
    }

    /** {@link System#nanoTime()} when the answer came back; only meaningful when {@link #status()} is positive. */
    long answeredNanos() {
      return answeredNanos;
    }

    /** Whether the connector closed the answer's body, after it had acted on the answer. */
    boolean isClosed() {
      return closed;
    }

    @Override
    public String toString() {
      return method + " " + path + " -> " + status;
    }
  }

  private final Interceptor next;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  RequestLog(Interceptor next) {
    this.next = next;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Exchange exchange = new Exchange(request.method(),
        request.url().encodedPath().replaceFirst("(/webhooks/\\d+)/[^/]+", "$1/{token}"), System.nanoTime());
    exchanges.add(exchange);
    Response response;
    try {
      response = next.intercept(chain);
    } catch (IOException | RuntimeException e) {
      exchange.status = -1;
      throw e;
    }
    exchange.answeredNanos = System.nanoTime();
    exchange.status = response.code();
    ResponseBody body = response.body();
    ForwardingSource watched = new ForwardingSource(body.source()) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          exchange.closed = true;
        }
      }
    };
    return response.newBuilder()
        .body(ResponseBody.create(Okio.buffer(watched), body.contentType(), body.contentLength()))
        .build();
  }

  /** Everything recorded so far, in the order the requests left. */
  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** The first answer with {@code status}, or {@code null}. */
  @Nullable Exchange first(int status) {
    return exchanges.stream().filter(e -> e.status() == status).findFirst().orElse(null);
  }

  /** The requests that left after {@code reference}'s answer came back. */
  List<Exchange> sentAfterAnswerOf(Exchange reference) {
    return exchanges.stream().filter(e -> e.sentNanos > reference.answeredNanos()).toList();
  }
}
