package coop.relay.support.internal;

import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The process-wide OkHttp client that every {@code ReactiveHttpClient} derives from unless given
 * its own: clients derived with {@code newBuilder()} share its connection pool and dispatcher
 * threads, which is what OkHttp recommends.
 */
public final class SharedOkHttp {
  /** Long polls hold a connection each; several connectors often talk to the same host. */
  private static final int MAX_REQUESTS_PER_HOST = 32;
  private static final int MAX_REQUESTS = 128;

  private SharedOkHttp() {}

  /** The shared base client. */
  public static OkHttpClient base() {
    return Holder.BASE;
  }

  private static final class Holder {
    static final OkHttpClient BASE = create();

    private static OkHttpClient create() {
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(MAX_REQUESTS);
      dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
      return new OkHttpClient.Builder()
          .dispatcher(dispatcher)
          .connectionPool(new ConnectionPool(10, 5, TimeUnit.MINUTES))
          .build();
    }
  }
}
