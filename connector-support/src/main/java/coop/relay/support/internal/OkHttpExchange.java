package coop.relay.support.internal;

import coop.relay.api.DeliveryException;
import coop.relay.support.HttpHeaders;
import coop.relay.support.HttpResponse;
import coop.relay.support.Redactor;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/** Runs one OkHttp call per subscription, enqueued (never blocking the subscriber's thread). */
public final class OkHttpExchange {
  private OkHttpExchange() {}

  /**
   * A lazy exchange: each subscription enqueues a new call, cancelling the subscription cancels it.
   *
   * @param maxBodyBytes a larger body fails the exchange instead of filling the heap
   */
  public static Mono<HttpResponse> execute(OkHttpClient client, Request request, long maxBodyBytes, Redactor redactor) {
    return Mono.create(sink -> {
      Call call = client.newCall(request);
      sink.onCancel(call::cancel);
      call.enqueue(new SinkCallback(sink, maxBodyBytes, redactor));
    });
  }

  /** Converts OkHttp headers into the plain value type. */
  public static HttpHeaders headers(Headers headers) {
    HttpHeaders.Builder builder = HttpHeaders.builder();
    for (int i = 0; i < headers.size(); i++) {
      builder.add(headers.name(i), headers.value(i));
    }
    return builder.build();
  }

  /** How a request appears in messages: method and URL, without credentials. */
  public static String describe(Request request, Redactor redactor) {
    return request.method() + " " + redactor.redactUrl(request.url().toString());
  }

  private static final class SinkCallback implements Callback {
    private final MonoSink<HttpResponse> sink;
    private final long maxBodyBytes;
    private final Redactor redactor;

    SinkCallback(MonoSink<HttpResponse> sink, long maxBodyBytes, Redactor redactor) {
      this.sink = sink;
      this.maxBodyBytes = maxBodyBytes;
      this.redactor = redactor;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      if (call.isCanceled()) {
        return; // the subscriber cancelled; nobody is listening
      }
      sink.error(DeliveryException.transientFailure(
          describe(call.request(), redactor) + " failed: " + reason(e)
              + "; the platform may be unreachable, it is safe to retry", e));
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > maxBodyBytes) {
          sink.error(tooLarge(call));
          return;
        }
        BufferedSource source = body.source();
        if (source.request(maxBodyBytes + 1)) {
          sink.error(tooLarge(call));
          return;
        }
        byte[] bytes = source.getBuffer().readByteArray();
        sink.success(new HttpResponse(response.code(), headers(response.headers()), bytes));
      } catch (IOException e) {
        onFailure(call, e);
      }
    }

    private DeliveryException tooLarge(Call call) {
      return DeliveryException.permanent("the response to " + describe(call.request(), redactor)
          + " is larger than " + maxBodyBytes + " bytes; raise maxResponseBytes of the ReactiveHttpClient");
    }

    private String reason(IOException e) {
      String message = e.getMessage();
      String type = e.getClass().getSimpleName();
      return message == null ? type : type + " (" + redactor.redact(message) + ")";
    }
  }
}
